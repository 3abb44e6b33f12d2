import { orgToday } from '../web/time.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { isOverdue } from '../domain/due-dates.js';
import { ACTION_STATUSES } from '../domain/nonconformity.js';
import { can } from '../domain/permissions.js';
import { formChoices, invalidLink } from '../findings/queries.js';
import type { OrgAccess } from '../web/context.js';
import { notFound } from '../web/errors.js';
import { parseLocalised } from '../web/validation.js';
import { reviewApiRoutes } from './api.js';
import { managementReviewInputs } from './inputs.js';
import {
  addFeedback,
  addOutput,
  createReview,
  getReview,
  listFeedback,
  listReviews,
  narrativesOf,
  removeFeedback,
  reviewOutputs,
  updateReview,
} from './queries.js';
import {
  FEEDBACK_KINDS,
  FEEDBACK_PARTIES,
  FeedbackInput,
  FeedbackItemParams,
  OUTPUT_TYPES,
  OutputInput,
  ReviewInput,
  ReviewParams,
  ReviewUpdateForm,
} from './schemas.js';

const org = (req: FastifyRequest): OrgAccess => req.org as OrgAccess;
const actor = (req: FastifyRequest) => ({ orgId: org(req).id, userId: req.user!.id });

export async function reviewRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { db } = app;
  const read = (resource?: string) =>
    ({ access: { kind: 'org', permission: 'org.read', ...(resource && { resource }) } }) as const;
  const manage = (resource?: string) =>
    ({ access: { kind: 'org', permission: 'review.manage', ...(resource && { resource }) } }) as const;

  const listPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    errors = {},
    values: object = { heldOn: orgToday(req) },
  ) => {
    const reviews = await listReviews(db, org(req).id);
    return reply.page('reviews/list.eta', {
      title: req.t('reviews.title'),
      reviews,
      errors,
      values,
      canManage: can(org(req).role, 'review.manage'),
    });
  };
  app.get('/orgs/:orgId/reviews', { config: read() }, async (req, reply) => listPage(req, reply));
  app.post('/orgs/:orgId/reviews', { config: manage() }, async (req, reply) => {
    const r = parseLocalised(ReviewInput, req.body, req.locale, req.t);
    if (!r.ok) return listPage(req, reply.code(422), r.fieldErrors, req.body as object);
    const id = await createReview(db, actor(req), r.data);
    return reply.flash({ kind: 'ok', key: 'common.saved' }).redirect(`/reviews/${id}`, 303);
  });

  const reviewPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    reviewId: number,
    extra: Record<string, unknown> = {},
  ) => {
    const review = await getReview(db, org(req).id, reviewId);
    if (!review) throw notFound();
    const [inputs, outputs, { members }] = await Promise.all([
      managementReviewInputs(db, review.id),
      reviewOutputs(db, org(req).id, review.id),
      formChoices(db, org(req).id),
    ]);
    const today = orgToday(req);
    const values = {
      title: review.title,
      heldOn: review.held_on,
      periodStart: review.period_start,
      periodEnd: review.period_end,
      attendees: review.attendees,
      minutes: review.minutes,
      ...Object.fromEntries(Object.entries(narrativesOf(review)).map(([k, v]) => [`narrative_${k}`, v])),
    };
    return reply.page('reviews/show.eta', {
      title: `${review.ref} · ${review.title}`,
      review,
      pack: inputs!.pack,
      members,
      values,
      errors: {},
      outputs: outputs.map((o) => ({ ...o, overdue: isOverdue(o.due_date, o.status, today) })),
      outputTypes: OUTPUT_TYPES,
      actionStatuses: ACTION_STATUSES,
      outputErrors: {},
      outputValues: {},
      canManage: can(org(req).role, 'review.manage'),
      canUpdate: can(org(req).role, 'action.update'),
      ...extra,
    });
  };
  app.get('/reviews/:reviewId', { schema: { params: ReviewParams }, config: read('review') }, async (req, reply) =>
    reviewPage(req, reply, req.params.reviewId),
  );

  app.post('/reviews/:reviewId', { schema: { params: ReviewParams }, config: manage('review') }, async (req, reply) => {
    const review = await getReview(db, org(req).id, req.params.reviewId);
    if (!review) throw notFound();
    const r = parseLocalised(ReviewUpdateForm, req.body, req.locale, req.t);
    if (!r.ok) return reviewPage(req, reply.code(422), review.id, { errors: r.fieldErrors, values: req.body });
    await updateReview(db, actor(req), review, r.data);
    return reply.flash({ kind: 'ok', key: 'common.saved' }).redirect(`/reviews/${review.id}`, 303);
  });

  app.post(
    '/reviews/:reviewId/outputs',
    { schema: { params: ReviewParams }, config: manage('review') },
    async (req, reply) => {
      const review = await getReview(db, org(req).id, req.params.reviewId);
      if (!review) throw notFound();
      const again = (outputErrors: Record<string, string[]>) =>
        reviewPage(req, reply.code(422), review.id, { outputErrors, outputValues: req.body });
      const r = parseLocalised(OutputInput, req.body, req.locale, req.t);
      if (!r.ok) return again(r.fieldErrors);
      const bad = invalidLink(await formChoices(db, org(req).id), {
        ownerUserId: r.data.ownerUserId,
        processId: null,
        serviceId: null,
        otherPartyId: null,
      });
      if (bad) return again({ [bad]: [req.t('findings.errors.notInOrganisation')] });
      await addOutput(db, actor(req), review, r.data);
      return reply.flash({ kind: 'ok', key: 'common.saved' }).redirect(`/reviews/${review.id}#outputs`, 303);
    },
  );

  // ---- 9.3 e) feedback register ----
  const feedbackPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    errors = {},
    values: object = { receivedOn: orgToday(req) },
  ) => {
    const [items, { services }] = await Promise.all([listFeedback(db, org(req).id), formChoices(db, org(req).id)]);
    return reply.page('reviews/feedback.eta', {
      title: req.t('reviews.feedback.title'),
      items,
      services,
      parties: FEEDBACK_PARTIES,
      kinds: FEEDBACK_KINDS,
      errors,
      values,
      canManage: can(org(req).role, 'registers.manage'),
    });
  };
  const registers = { access: { kind: 'org', permission: 'registers.manage' } } as const;
  app.get('/orgs/:orgId/feedback', { config: read() }, async (req, reply) => feedbackPage(req, reply));
  app.post('/orgs/:orgId/feedback', { config: registers }, async (req, reply) => {
    const r = parseLocalised(FeedbackInput, req.body, req.locale, req.t);
    if (!r.ok) return feedbackPage(req, reply.code(422), r.fieldErrors, req.body as object);
    const bad = invalidLink(await formChoices(db, org(req).id), {
      ownerUserId: null,
      processId: null,
      serviceId: r.data.serviceId,
      otherPartyId: null,
    });
    if (bad)
      return feedbackPage(
        req,
        reply.code(422),
        { [bad]: [req.t('findings.errors.notInOrganisation')] },
        req.body as object,
      );
    await addFeedback(db, actor(req), r.data);
    return reply.flash({ kind: 'ok', key: 'common.saved' }).redirect(`/orgs/${org(req).id}/feedback`, 303);
  });
  app.post(
    '/orgs/:orgId/feedback/:itemId/delete',
    { schema: { params: FeedbackItemParams }, config: registers },
    async (req, reply) => {
      if (!(await removeFeedback(db, actor(req), req.params.itemId))) throw notFound();
      return reply.flash({ kind: 'ok', key: 'common.deleted' }).redirect(`/orgs/${org(req).id}/feedback`, 303);
    },
  );

  await app.register(reviewApiRoutes);
}
