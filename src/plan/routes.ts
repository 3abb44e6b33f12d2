import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { auditProcesses, auditTeam, getAudit } from '../audits/queries.js';
import { SESSION_KINDS, type PlanSession, byDay } from '../domain/audit-plan.js';
import { isAuditStatus, isEditable } from '../domain/audit-status.js';
import { can } from '../domain/permissions.js';
import { listMembers } from '../organisations/queries.js';
import type { OrgAccess } from '../web/context.js';
import { HttpError } from '../web/errors.js';
import { parseLocalised } from '../web/validation.js';
import {
  createSession,
  deleteSession,
  getSession,
  listSessions,
  planDeviations,
  planShared,
  sharePlan,
  updateSession,
} from './queries.js';
import { z } from 'zod';
import { PlanOut, PlanParams, SessionInput, SessionOut, SessionParams, SessionPatch, SharedOut } from './schemas.js';

// The audit plan (ISO 19011 6.3.2): a timetable page with its forms, and the API
// GET/POST /api/v1/audits/:auditId/plan/sessions, PATCH/DELETE …/plan/sessions/:sessionId. The documents (PDF, .ics)
// are served by src/reports/plan-routes.ts.

const tags = ['plan'];
const org = (req: FastifyRequest) => req.org as OrgAccess;
const actor = (req: FastifyRequest) => ({ orgId: org(req).id, userId: req.user!.id });
const onAudit = (permission: 'org.read' | 'audit.manage') =>
  ({ access: { kind: 'org', permission, resource: 'audit' } }) as const;

/** A session as the form shows it: lists as text, one name per line. */
const formValues = (s: Partial<PlanSession>) => ({
  kind: s.kind ?? 'session',
  date: s.date ?? '',
  start: s.start ?? '',
  end: s.end ?? '',
  place: s.place ?? '',
  clauses: (s.clauses ?? []).join(', '),
  processIds: (s.processIds ?? []).map(String),
  auditorIds: (s.auditorIds ?? []).map(String),
  auditees: (s.auditees ?? []).join('\n'),
  attendance: (s.attendance ?? []).join('\n'),
});
/** What was typed, shown again after a refusal. */
const typed = (body: unknown) => {
  const b = (body ?? {}) as Record<string, unknown>;
  const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : v === undefined || v === '' ? [] : [String(v)]);
  return { ...b, processIds: list(b.processIds), auditorIds: list(b.auditorIds) };
};

export async function planRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { db } = app;

  const context = async (req: FastifyRequest, auditId: number) => {
    const a = await getAudit(db, org(req).id, auditId);
    const [sessions, processes, team, members, shared] = await Promise.all([
      listSessions(db, a.id),
      auditProcesses(db, a.organization_id),
      auditTeam(db, a.id),
      listMembers(db, a.organization_id),
      planShared(db, a.id),
    ]);
    const open = isEditable(isAuditStatus(a.status) ? a.status : 'planned');
    return {
      a,
      sessions,
      processes,
      team,
      members,
      shared,
      open,
      canManage: open && can(org(req).role, 'audit.manage'),
    };
  };
  /** Names for the ids a session holds. */
  const namer = (c: Awaited<ReturnType<typeof context>>) => {
    const people = new Map(c.members.map((m) => [m.userId, m.display_name]));
    const procs = new Map(c.processes.map((p) => [p.id, p.name]));
    return {
      auditors: (s: PlanSession) => s.auditorIds.map((id) => people.get(id) ?? `#${id}`),
      processes: (s: PlanSession) => s.processIds.map((id) => procs.get(id) ?? `#${id}`),
    };
  };

  const planPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    auditId: number,
    form: { values: Record<string, unknown>; errors: Record<string, string[]> } = {
      values: formValues({}),
      errors: {},
    },
  ) => {
    const c = await context(req, auditId);
    return reply.page('plan/plan.eta', {
      title: `${c.a.title} — ${req.t('plan.title')}`,
      ...c,
      days: byDay(c.sessions),
      names: namer(c),
      deviations: await planDeviations(db, c.a.id),
      kinds: SESSION_KINDS,
      values: form.values,
      errors: form.errors,
    });
  };

  app.get(
    '/audits/:auditId/plan',
    { schema: { params: PlanParams }, config: onAudit('org.read') },
    async (req, reply) => planPage(req, reply, req.params.auditId),
  );

  app.post(
    '/audits/:auditId/plan/sessions',
    { schema: { params: PlanParams }, config: onAudit('audit.manage') },
    async (req, reply) => {
      const r = parseLocalised(SessionInput, req.body, req.locale, req.t);
      if (!r.ok)
        return planPage(req, reply.code(422), req.params.auditId, { values: typed(req.body), errors: r.fieldErrors });
      try {
        await createSession(db, actor(req), await getAudit(db, org(req).id, req.params.auditId), r.data);
      } catch (e) {
        if (!(e instanceof HttpError) || e.statusCode !== 422) throw e;
        return planPage(req, reply.code(422), req.params.auditId, {
          values: typed(req.body),
          errors: { _form: [req.t(e.key, e.params)] },
        });
      }
      return reply.flash({ kind: 'ok', key: 'plan.created' }).redirect(`/audits/${req.params.auditId}/plan`, 303);
    },
  );

  const editPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    p: { auditId: number; sessionId: number },
    form?: { values: Record<string, unknown>; errors: Record<string, string[]> },
  ) => {
    const c = await context(req, p.auditId);
    const s = await getSession(db, c.a.id, p.sessionId);
    return reply.page('plan/edit.eta', {
      title: `${c.a.title} — ${req.t('plan.title')}`,
      ...c,
      s,
      kinds: SESSION_KINDS,
      values: form?.values ?? formValues(s),
      errors: form?.errors ?? {},
    });
  };

  app.get(
    '/audits/:auditId/plan/sessions/:sessionId/edit',
    { schema: { params: SessionParams }, config: onAudit('audit.manage') },
    async (req, reply) => editPage(req, reply, req.params),
  );

  app.post(
    '/audits/:auditId/plan/sessions/:sessionId',
    { schema: { params: SessionParams }, config: onAudit('audit.manage') },
    async (req, reply) => {
      // The form sends every field: an emptied list is an empty list, not "unchanged".
      const body = {
        auditees: '',
        attendance: '',
        clauses: '',
        processIds: [],
        auditorIds: [],
        ...(req.body as object),
      };
      const r = parseLocalised(SessionPatch, body, req.locale, req.t);
      if (!r.ok) return editPage(req, reply.code(422), req.params, { values: typed(req.body), errors: r.fieldErrors });
      try {
        await updateSession(
          db,
          actor(req),
          await getAudit(db, org(req).id, req.params.auditId),
          req.params.sessionId,
          r.data,
        );
      } catch (e) {
        if (!(e instanceof HttpError) || e.statusCode !== 422) throw e;
        return editPage(req, reply.code(422), req.params, {
          values: typed(req.body),
          errors: { _form: [req.t(e.key, e.params)] },
        });
      }
      return reply.flash({ kind: 'ok', key: 'plan.saved' }).redirect(`/audits/${req.params.auditId}/plan`, 303);
    },
  );

  app.get(
    '/audits/:auditId/plan/sessions/:sessionId/delete',
    { schema: { params: SessionParams }, config: onAudit('audit.manage') },
    async (req, reply) => {
      const c = await context(req, req.params.auditId);
      const s = await getSession(db, c.a.id, req.params.sessionId);
      return reply.page('plan/delete.eta', { title: `${c.a.title} — ${req.t('plan.title')}`, ...c, s });
    },
  );

  app.post(
    '/audits/:auditId/plan/sessions/:sessionId/delete',
    { schema: { params: SessionParams }, config: onAudit('audit.manage') },
    async (req, reply) => {
      await deleteSession(db, actor(req), await getAudit(db, org(req).id, req.params.auditId), req.params.sessionId);
      return reply.flash({ kind: 'ok', key: 'plan.deleted' }).redirect(`/audits/${req.params.auditId}/plan`, 303);
    },
  );

  app.post(
    '/audits/:auditId/plan/share',
    { schema: { params: PlanParams }, config: onAudit('audit.manage') },
    async (req, reply) => {
      try {
        await sharePlan(db, actor(req), await getAudit(db, org(req).id, req.params.auditId));
      } catch (e) {
        // An issued audit's plan answers 409 like every frozen write, never a quiet redirect.
        if (!(e instanceof HttpError) || e.statusCode === 409) throw e;
        return reply
          .flash({ kind: 'error', key: e.key, params: e.params })
          .redirect(`/audits/${req.params.auditId}/plan`, 303);
      }
      return reply.flash({ kind: 'ok', key: 'plan.sharedDone' }).redirect(`/audits/${req.params.auditId}/plan`, 303);
    },
  );

  // --- API -------------------------------------------------------------------------------------------------------

  app.get(
    '/api/v1/audits/:auditId/plan',
    {
      schema: {
        tags,
        params: PlanParams,
        summary: 'The audit plan: sessions, when it was shared, changes since',
        response: { 200: PlanOut },
      },
      config: onAudit('org.read'),
    },
    async (req) => {
      const a = await getAudit(db, org(req).id, req.params.auditId);
      const [sessions, shared, deviations] = await Promise.all([
        listSessions(db, a.id),
        planShared(db, a.id),
        planDeviations(db, a.id),
      ]);
      return { auditId: a.id, sharedAt: shared.firstAt, sessions, deviations };
    },
  );

  app.get(
    '/api/v1/audits/:auditId/plan/sessions',
    {
      schema: {
        tags,
        params: PlanParams,
        summary: 'Sessions of the audit plan, in timetable order',
        response: { 200: z.array(SessionOut) },
      },
      config: onAudit('org.read'),
    },
    async (req) => listSessions(db, (await getAudit(db, org(req).id, req.params.auditId)).id),
  );

  app.post(
    '/api/v1/audits/:auditId/plan/sessions',
    {
      schema: {
        tags,
        params: PlanParams,
        body: SessionInput,
        summary: 'Add a session (kind opening | session | closing) to the audit plan',
        response: { 201: SessionOut },
      },
      config: onAudit('audit.manage'),
    },
    async (req, reply) =>
      reply
        .code(201)
        .send(await createSession(db, actor(req), await getAudit(db, org(req).id, req.params.auditId), req.body)),
  );

  app.patch(
    '/api/v1/audits/:auditId/plan/sessions/:sessionId',
    {
      schema: {
        tags,
        params: SessionParams,
        body: SessionPatch,
        summary: 'Change a session',
        response: { 200: SessionOut },
      },
      config: onAudit('audit.manage'),
    },
    async (req) =>
      updateSession(
        db,
        actor(req),
        await getAudit(db, org(req).id, req.params.auditId),
        req.params.sessionId,
        req.body,
      ),
  );

  app.delete(
    '/api/v1/audits/:auditId/plan/sessions/:sessionId',
    {
      schema: { tags, params: SessionParams, summary: 'Remove a session' },
      config: { ...onAudit('audit.manage'), docs: { noContent: true } },
    },
    async (req, reply) => {
      await deleteSession(db, actor(req), await getAudit(db, org(req).id, req.params.auditId), req.params.sessionId);
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/v1/audits/:auditId/plan/share',
    {
      schema: {
        tags,
        params: PlanParams,
        summary: 'Record that the plan was sent to the auditee',
        response: { 200: SharedOut },
      },
      config: onAudit('audit.manage'),
    },
    async (req) => {
      await sharePlan(db, actor(req), await getAudit(db, org(req).id, req.params.auditId));
      return planShared(db, req.params.auditId);
    },
  );
}
