import { orgToday } from '../web/time.js';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actionDto } from '../findings/dto.js';
import { formChoices, invalidLink } from '../findings/queries.js';
import { OrgParams } from '../organisations/schemas.js';
import type { OrgAccess } from '../web/context.js';
import { notFound, unprocessable } from '../web/errors.js';
import { managementReviewInputs } from './inputs.js';
import {
  addFeedback,
  addOutput,
  createReview,
  getReview,
  listFeedback,
  listReviews,
  narrativesOf,
  type ReviewRow,
  reviewOutputs,
  updateReview,
} from './queries.js';
import { z } from 'zod';
import { IdOnly } from '../web/api-schemas.js';
import {
  FeedbackInput,
  FeedbackOut,
  OutputInput,
  ReviewInput,
  ReviewInputsOut,
  ReviewOut,
  ReviewParams,
  ReviewSummaryOut,
  ReviewUpdate,
} from './schemas.js';

const tags = ['reviews'];
const org = (req: FastifyRequest): OrgAccess => req.org as OrgAccess;
const actor = (req: FastifyRequest) => ({ orgId: org(req).id, userId: req.user!.id });

const reviewDto = (r: ReviewRow) => ({
  id: r.id,
  ref: r.ref,
  title: r.title,
  heldOn: r.held_on,
  period: { from: r.period_start, to: r.period_end },
  attendees: r.attendees,
  minutes: r.minutes,
  narratives: narrativesOf(r),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export async function reviewApiRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { db } = app;
  const read = (resource?: string) =>
    ({ access: { kind: 'org', permission: 'org.read', ...(resource && { resource }) } }) as const;
  const manage = (resource?: string) =>
    ({ access: { kind: 'org', permission: 'review.manage', ...(resource && { resource }) } }) as const;
  const review = async (req: FastifyRequest, id: number) => {
    const r = await getReview(db, org(req).id, id);
    if (!r) throw notFound();
    return r;
  };
  const withOutputs = async (req: FastifyRequest, r: ReviewRow) => {
    const today = orgToday(req);
    return {
      ...reviewDto(r),
      outputs: (await reviewOutputs(db, org(req).id, r.id)).map((a) => ({
        ...actionDto(a, today),
        outputType: a.output_type,
      })),
    };
  };
  const checkOwner = async (req: FastifyRequest, ownerUserId: number | null, serviceId: number | null = null) => {
    const bad = invalidLink(await formChoices(db, org(req).id), {
      ownerUserId,
      processId: null,
      serviceId,
      otherPartyId: null,
    });
    if (bad)
      throw unprocessable(
        'findings.errors.notInOrganisation',
        {},
        { fields: { [bad]: [req.t('findings.errors.notInOrganisation')] } },
      );
  };

  app.get(
    '/api/v1/organizations/:orgId/reviews',
    {
      schema: {
        tags,
        summary: 'Management reviews (9.3)',
        params: OrgParams,
        response: { 200: z.array(ReviewSummaryOut) },
      },
      config: read(),
    },
    async (req) => (await listReviews(db, org(req).id)).map(reviewDto),
  );

  app.post(
    '/api/v1/organizations/:orgId/reviews',
    {
      schema: {
        tags,
        summary: 'Plan a management review; the period defaults to the time since the previous one',
        params: OrgParams,
        body: ReviewInput,
        response: { 201: ReviewOut },
      },
      config: manage(),
    },
    async (req, reply) => {
      const id = await createReview(db, actor(req), req.body);
      return reply.code(201).send(await withOutputs(req, await review(req, id)));
    },
  );

  app.get(
    '/api/v1/reviews/:reviewId',
    {
      schema: {
        tags,
        params: ReviewParams,
        summary: 'A management review with its outputs',
        response: { 200: ReviewOut },
      },
      config: read('review'),
    },
    async (req) => withOutputs(req, await review(req, req.params.reviewId)),
  );

  app.patch(
    '/api/v1/reviews/:reviewId',
    {
      schema: {
        tags,
        summary: 'Update a review: attendees, period, minutes, narratives for inputs a–l',
        params: ReviewParams,
        body: ReviewUpdate,
        response: { 200: ReviewOut },
      },
      config: manage('review'),
    },
    async (req) => {
      const r = await review(req, req.params.reviewId);
      await updateReview(db, actor(req), r, req.body);
      return withOutputs(req, await review(req, r.id));
    },
  );

  app.get(
    '/api/v1/reviews/:reviewId/inputs',
    {
      schema: {
        tags,
        summary: 'The input pack of the review: 9.3 a)–l) with figures, the period they cover, and narratives',
        params: ReviewParams,
        response: { 200: ReviewInputsOut },
      },
      config: read('review'),
    },
    async (req) => {
      const r = await review(req, req.params.reviewId);
      const inputs = await managementReviewInputs(db, r.id);
      if (!inputs) throw notFound();
      return { ...inputs, pack: { ...inputs.pack } };
    },
  );

  app.post(
    '/api/v1/reviews/:reviewId/outputs',
    {
      schema: {
        tags,
        summary: 'Record an output (improvement decision, SMS change, resource need) as a tracked action',
        params: ReviewParams,
        body: OutputInput,
        response: { 201: ReviewOut },
      },
      config: manage('review'),
    },
    async (req, reply) => {
      const r = await review(req, req.params.reviewId);
      await checkOwner(req, req.body.ownerUserId);
      await addOutput(db, actor(req), r, req.body);
      return reply.code(201).send(await withOutputs(req, r));
    },
  );

  app.get(
    '/api/v1/organizations/:orgId/feedback',
    {
      schema: {
        tags,
        summary: 'Customer and interested-party feedback (9.3 e)',
        params: OrgParams,
        response: { 200: z.array(FeedbackOut) },
      },
      config: read(),
    },
    async (req) =>
      (await listFeedback(db, org(req).id)).map((f) => ({
        id: f.id,
        receivedOn: f.received_on,
        party: f.party,
        partyName: f.party_name,
        kind: f.kind,
        summary: f.summary,
        service: f.service_id === null ? null : { id: f.service_id, name: f.service_name },
      })),
  );

  app.post(
    '/api/v1/organizations/:orgId/feedback',
    {
      schema: {
        tags,
        params: OrgParams,
        body: FeedbackInput,
        summary: 'Record feedback from a customer or interested party',
        response: { 201: IdOnly },
      },
      config: { access: { kind: 'org', permission: 'registers.manage' } },
    },
    async (req, reply) => {
      await checkOwner(req, null, req.body.serviceId);
      return reply.code(201).send({ id: await addFeedback(db, actor(req), req.body) });
    },
  );
}
