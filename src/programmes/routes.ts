import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { can } from '../domain/permissions.js';
import { OrgParams } from '../organisations/schemas.js';
import type { OrgAccess } from '../web/context.js';
import { parseLocalised } from '../web/validation.js';
import { createProgramme, type getProgramme, listProgrammes, programmeCoverage, updateProgramme } from './queries.js';
import { z } from 'zod';
import { IdOnly } from '../web/api-schemas.js';
import { ProgrammeInput, ProgrammeOut, ProgrammeParams, ProgrammeSummaryOut } from './schemas.js';

const org = (req: FastifyRequest) => req.org as OrgAccess;
const tags = ['programmes'];
const toForm = (p: Awaited<ReturnType<typeof getProgramme>>) => ({
  title: p.title,
  periodStart: p.period_start,
  periodEnd: p.period_end,
  objectives: p.objectives,
  criteria: p.criteria,
  frequency: p.frequency,
  methods: p.methods,
  responsibilities: p.responsibilities,
  planningRequirements: p.planning_requirements,
  reporting: p.reporting,
  processImportance: p.process_importance,
  changesAffecting: p.changes_affecting,
  previousResults: p.previous_results,
});

/** Audit programmes (9.2.2): plan, the three things the programme considers, and clause coverage over the cycle. */
export async function programmeRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { db } = app;
  const read = { access: { kind: 'org', permission: 'org.read' } } as const;
  const manage = { access: { kind: 'org', permission: 'programme.manage' } } as const;
  const readOne = { access: { kind: 'org', permission: 'org.read', resource: 'programme' } } as const;
  const manageOne = { access: { kind: 'org', permission: 'programme.manage', resource: 'programme' } } as const;

  const listPage = async (req: FastifyRequest, reply: FastifyReply, values: object = {}, errors = {}) =>
    reply.page('programmes/list.eta', {
      title: req.t('programmes.title'),
      programmes: await listProgrammes(db, org(req).id),
      canManage: can(org(req).role, 'programme.manage'),
      values,
      errors,
    });

  const showPage = async (req: FastifyRequest, reply: FastifyReply, id: number, values?: object, errors = {}) => {
    const cov = await programmeCoverage(db, org(req).id, id);
    return reply.page('programmes/show.eta', {
      title: cov.programme.title,
      cov,
      values: values ?? toForm(cov.programme),
      errors,
      canManage: can(org(req).role, 'programme.manage'),
      canPlan: can(org(req).role, 'audit.manage'),
    });
  };

  app.get('/orgs/:orgId/programmes', { schema: { params: OrgParams }, config: read }, async (req, reply) =>
    listPage(req, reply),
  );

  app.post('/orgs/:orgId/programmes', { schema: { params: OrgParams }, config: manage }, async (req, reply) => {
    const r = parseLocalised(ProgrammeInput, req.body, req.locale, req.t);
    if (!r.ok) return listPage(req, reply.code(422), req.body as object, r.fieldErrors);
    const id = await createProgramme(db, org(req).id, r.data, req.user!.id);
    return reply.flash({ kind: 'ok', key: 'common.saved' }).redirect(`/programmes/${id}`, 303);
  });

  app.get('/programmes/:programmeId', { schema: { params: ProgrammeParams }, config: readOne }, async (req, reply) =>
    showPage(req, reply, req.params.programmeId),
  );

  app.post(
    '/programmes/:programmeId',
    { schema: { params: ProgrammeParams }, config: manageOne },
    async (req, reply) => {
      const r = parseLocalised(ProgrammeInput, req.body, req.locale, req.t);
      if (!r.ok) return showPage(req, reply.code(422), req.params.programmeId, req.body as object, r.fieldErrors);
      await updateProgramme(db, org(req).id, req.params.programmeId, r.data, req.user!.id);
      return reply.flash({ kind: 'ok', key: 'common.saved' }).redirect(`/programmes/${req.params.programmeId}`, 303);
    },
  );

  // ---- API ----
  app.get(
    '/api/v1/organizations/:orgId/programmes',
    {
      schema: {
        tags,
        params: OrgParams,
        summary: 'Audit programmes (9.2.2)',
        response: { 200: z.array(ProgrammeSummaryOut) },
      },
      config: read,
    },
    async (req) => (await listProgrammes(db, org(req).id)).map((p) => ({ id: p.id, ...toForm(p) })),
  );

  app.post(
    '/api/v1/organizations/:orgId/programmes',
    {
      schema: {
        tags,
        params: OrgParams,
        body: ProgrammeInput,
        summary: 'Create an audit programme',
        response: { 201: IdOnly },
      },
      config: manage,
    },
    async (req, reply) => reply.code(201).send({ id: await createProgramme(db, org(req).id, req.body, req.user!.id) }),
  );

  app.get(
    '/api/v1/programmes/:programmeId',
    {
      schema: {
        tags,
        params: ProgrammeParams,
        summary: 'An audit programme with its audits and clause coverage',
        response: { 200: ProgrammeOut },
      },
      config: readOne,
    },
    async (req) => {
      const cov = await programmeCoverage(db, org(req).id, req.params.programmeId);
      return {
        id: cov.programme.id,
        ...toForm(cov.programme),
        audits: cov.audits.map((a) => ({
          id: a.id,
          title: a.title,
          status: a.status,
          type: a.type,
          plannedStart: a.planned_start,
        })),
        coverage: {
          clauses: cov.matrix.rows.map((r) => ({ clause: r.clause, state: r.state })),
          processes: cov.processRows.map((r) => ({ processId: r.process.id, name: r.process.name, state: r.state })),
          uncovered: cov.matrix.uncovered,
        },
      };
    },
  );
}
