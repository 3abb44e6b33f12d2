import { orgToday } from '../web/time.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { isOverdue } from '../domain/due-dates.js';
import {
  DECISIONS,
  IMPROVEMENT_SOURCES,
  IMPROVEMENT_STATUSES,
  improvementProblem,
  PRIORITIES,
  TARGET_DIMENSIONS,
  TARGET_MET,
} from '../domain/improvement.js';
import { can } from '../domain/permissions.js';
import { formChoices, invalidLink } from '../findings/queries.js';
import { OrgParams } from '../organisations/schemas.js';
import type { OrgAccess } from '../web/context.js';
import { notFound, unprocessable } from '../web/errors.js';
import { parseLocalised } from '../web/validation.js';
import {
  createImprovement,
  getImprovement,
  improvementDto,
  improvementValues,
  invalidSource,
  listImprovements,
  updateImprovement,
} from './queries.js';
import { z } from 'zod';
import { ImprovementInput, ImprovementOut, ImprovementParams, NewImprovementQuery } from './schemas.js';

const org = (req: FastifyRequest): OrgAccess => req.org as OrgAccess;
const actor = (req: FastifyRequest) => ({ orgId: org(req).id, userId: req.user!.id });
const tags = ['reviews'];
type Input = ImprovementInput;

export async function improvementRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { db } = app;
  const read = (resource?: string) =>
    ({ access: { kind: 'org', permission: 'org.read', ...(resource && { resource }) } }) as const;
  const write = (resource?: string) =>
    ({ access: { kind: 'org', permission: 'action.update', ...(resource && { resource }) } }) as const;

  /** Only those who run management reviews decide; others keep the decision as it was. */
  const withDecision = (
    req: FastifyRequest,
    input: Input,
    before?: { decision: string; decision_notes: string },
  ): Input =>
    can(org(req).role, 'review.manage')
      ? input
      : {
          ...input,
          decision: (before?.decision as Input['decision']) ?? 'pending',
          decisionNotes: before?.decision_notes ?? '',
        };

  /** Checks links and the 10.2 rules; returns field errors (untranslated keys) or null. */
  const problems = async (req: FastifyRequest, input: Input): Promise<Record<string, string[]> | null> => {
    const bad = invalidLink(await formChoices(db, org(req).id), {
      ownerUserId: input.ownerUserId,
      processId: null,
      serviceId: null,
      otherPartyId: null,
    });
    if (bad) return { [bad]: [req.t('findings.errors.notInOrganisation')] };
    const src = await invalidSource(db, org(req).id, input);
    if (src) return { [src]: [req.t(`reviews.improvement.errors.${src}`)] };
    const p = improvementProblem(input);
    return p ? { [p.field]: [req.t(p.key)] } : null;
  };

  const formPage = async (req: FastifyRequest, reply: FastifyReply, data: Record<string, unknown>) => {
    const { members } = await formChoices(db, org(req).id);
    return reply.page('improvements/form.eta', {
      title: req.t('reviews.improvement.new'),
      members,
      sources: IMPROVEMENT_SOURCES,
      dimensions: TARGET_DIMENSIONS,
      decisions: DECISIONS,
      statuses: IMPROVEMENT_STATUSES,
      priorities: PRIORITIES,
      targetMet: TARGET_MET,
      canDecide: can(org(req).role, 'review.manage'),
      canEdit: can(org(req).role, 'action.update'),
      item: null,
      ...data,
    });
  };

  app.get('/orgs/:orgId/improvements', { config: read() }, async (req, reply) => {
    const today = orgToday(req);
    const items = (await listImprovements(db, org(req).id)).map((i) => ({
      ...i,
      targets: JSON.parse(i.targets_json) as string[],
      overdue: isOverdue(i.due_date, i.status, today),
    }));
    return reply.page('improvements/list.eta', {
      title: req.t('reviews.improvement.title'),
      items,
      canEdit: can(org(req).role, 'action.update'),
    });
  });

  app.get(
    '/orgs/:orgId/improvements/new',
    { schema: { querystring: NewImprovementQuery }, config: write() },
    async (req, reply) => {
      const values: Record<string, unknown> = {
        source: 'suggestion',
        priority: 'medium',
        decision: 'pending',
        status: 'proposed',
      };
      const { findingId, reviewId } = req.query;
      if (findingId) {
        const f = await db
          .selectFrom('finding')
          .selectAll()
          .where('organization_id', '=', org(req).id)
          .where('id', '=', findingId)
          .executeTakeFirst();
        if (f?.kind !== 'ofi') throw notFound();
        Object.assign(values, {
          source: 'ofi_finding',
          findingId: f.id,
          title: `${f.ref}: ${f.statement_nonconformity}`.slice(0, 200),
          description: f.statement_evidence,
        });
      } else if (reviewId) {
        const r = await db
          .selectFrom('management_review')
          .select(['id'])
          .where('organization_id', '=', org(req).id)
          .where('id', '=', reviewId)
          .executeTakeFirst();
        if (!r) throw notFound();
        Object.assign(values, { source: 'management_review', reviewId: r.id });
      }
      return formPage(req, reply, { values, action: `/orgs/${org(req).id}/improvements` });
    },
  );

  app.post('/orgs/:orgId/improvements', { config: write() }, async (req, reply) => {
    const again = (errors: Record<string, string[]>) =>
      formPage(req, reply.code(422), { values: req.body, errors, action: `/orgs/${org(req).id}/improvements` });
    const r = parseLocalised(ImprovementInput, req.body, req.locale, req.t);
    if (!r.ok) return again(r.fieldErrors);
    const input = withDecision(req, r.data);
    const errors = await problems(req, input);
    if (errors) return again(errors);
    const id = await createImprovement(db, actor(req), input);
    return reply.flash({ kind: 'ok', key: 'common.saved' }).redirect(`/improvements/${id}`, 303);
  });

  app.get(
    '/improvements/:improvementId',
    { schema: { params: ImprovementParams }, config: read('improvement') },
    async (req, reply) => {
      const item = await getImprovement(db, org(req).id, req.params.improvementId);
      if (!item) throw notFound();
      return formPage(req, reply, {
        title: `${item.ref} · ${item.title}`,
        item,
        values: improvementValues(item),
        action: `/improvements/${item.id}`,
      });
    },
  );

  app.post(
    '/improvements/:improvementId',
    { schema: { params: ImprovementParams }, config: write('improvement') },
    async (req, reply) => {
      const item = await getImprovement(db, org(req).id, req.params.improvementId);
      if (!item) throw notFound();
      const again = (errors: Record<string, string[]>) =>
        formPage(req, reply.code(422), {
          title: `${item.ref} · ${item.title}`,
          item,
          values: req.body,
          errors,
          action: `/improvements/${item.id}`,
        });
      const r = parseLocalised(ImprovementInput, req.body, req.locale, req.t);
      if (!r.ok) return again(r.fieldErrors);
      const input = withDecision(req, r.data, item);
      const errors = await problems(req, input);
      if (errors) return again(errors);
      await updateImprovement(db, actor(req), item.id, input);
      return reply.flash({ kind: 'ok', key: 'common.saved' }).redirect(`/improvements/${item.id}`, 303);
    },
  );

  // ---- API ----
  const apiProblems = async (req: FastifyRequest, input: Input) => {
    const errors = await problems(req, input);
    if (errors) throw unprocessable('errors.validation', {}, { fields: errors });
  };
  app.get(
    '/api/v1/organizations/:orgId/improvements',
    {
      schema: {
        tags,
        summary: 'Register of improvement opportunities (10.2)',
        params: OrgParams,
        response: { 200: z.array(ImprovementOut) },
      },
      config: read(),
    },
    async (req) => (await listImprovements(db, org(req).id)).map(improvementDto),
  );

  app.post(
    '/api/v1/organizations/:orgId/improvements',
    {
      schema: {
        tags,
        params: OrgParams,
        body: ImprovementInput,
        summary: 'Record an opportunity for improvement (10.2)',
        response: { 201: ImprovementOut },
      },
      config: write(),
    },
    async (req, reply) => {
      const input = withDecision(req, req.body);
      await apiProblems(req, input);
      const id = await createImprovement(db, actor(req), input);
      return reply.code(201).send(improvementDto((await getImprovement(db, org(req).id, id))!));
    },
  );

  app.get(
    '/api/v1/improvements/:improvementId',
    {
      schema: {
        tags,
        params: ImprovementParams,
        summary: 'One opportunity for improvement',
        response: { 200: ImprovementOut },
      },
      config: read('improvement'),
    },
    async (req) => {
      const item = await getImprovement(db, org(req).id, req.params.improvementId);
      if (!item) throw notFound();
      return improvementDto(item);
    },
  );

  app.put(
    '/api/v1/improvements/:improvementId',
    {
      schema: {
        tags,
        params: ImprovementParams,
        body: ImprovementInput,
        summary: 'Replace an opportunity for improvement',
        response: { 200: ImprovementOut },
      },
      config: write('improvement'),
    },
    async (req) => {
      const item = await getImprovement(db, org(req).id, req.params.improvementId);
      if (!item) throw notFound();
      const input = withDecision(req, req.body, item);
      await apiProblems(req, input);
      await updateImprovement(db, actor(req), item.id, input);
      return improvementDto((await getImprovement(db, org(req).id, item.id))!);
    },
  );
}
