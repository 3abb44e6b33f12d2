import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { auditPlanCalendar } from '../../reports/plan/ical.js';
import type { AuditPlanModel } from '../../reports/plan/model.js';
import { auditProcesses, auditTeam, getAudit } from '../audits/queries.js';
import type { Db } from '../db/connect.js';
import { nowIso } from '../db/time.js';
import { instantIn } from '../domain/audit-plan.js';
import { DEFAULT_TIME_ZONE } from '../domain/time-zone.js';
import { listMembers } from '../organisations/queries.js';
import { listSessions, planShared } from '../plan/queries.js';
import { PlanDocQuery, PlanParams } from '../plan/schemas.js';
import type { OrgAccess } from '../web/context.js';
import { translator } from '../web/i18n.js';
import { sendFile, slug } from './http.js';
import type { RenderPool } from './render-pool.js';
import { planText, singleLang } from './texts.js';
import { MEDIA } from '../web/openapi.js';

// The audit plan as documents: a PDF for the auditee (zh or en) and an .ics for the team (RFC 5545).

const tags = ['plan'];
const org = (req: FastifyRequest) => req.org as OrgAccess;
const onAudit = { access: { kind: 'org', permission: 'report.export', resource: 'audit' } } as const;

export async function auditPlanModel(
  db: Db,
  orgId: number,
  auditId: number,
  publicUrl: string,
): Promise<AuditPlanModel> {
  const a = await getAudit(db, orgId, auditId);
  const [organisation, sessions, processes, team, members, shared, sequences] = await Promise.all([
    db
      .selectFrom('organization')
      .select(['name', 'code', 'time_zone'])
      .where('id', '=', orgId)
      .executeTakeFirstOrThrow(),
    listSessions(db, a.id),
    auditProcesses(db, orgId),
    auditTeam(db, a.id),
    listMembers(db, orgId),
    planShared(db, a.id),
    db.selectFrom('audit_plan_session').select(['id', 'calendar_sequence']).where('audit_id', '=', a.id).execute(),
  ]);
  const sequence = new Map(sequences.map((s) => [s.id, s.calendar_sequence]));
  const zone = organisation.time_zone || DEFAULT_TIME_ZONE;
  const people = new Map(members.map((m) => [m.userId, m.display_name]));
  const procs = new Map(processes.map((p) => [p.id, p.name]));
  const lead = a.lead_auditor_id ? (people.get(a.lead_auditor_id) ?? null) : null;
  return {
    organisation: { name: organisation.name, code: organisation.code, timeZone: zone },
    audit: {
      id: a.id,
      title: a.title,
      type: a.type,
      typeLabel: {
        zh: translator('zh-CN')(`audits.types.${a.type}`),
        en: translator('en')(`audits.types.${a.type}`),
      },
      scope: JSON.parse(a.scope_clauses) as string[],
      lead,
      team: team.map((m) => m.display_name),
      plannedStart: a.planned_start,
      plannedEnd: a.planned_end,
      objectives: a.objectives,
      criteria: a.criteria,
    },
    sessions: sessions.map((s) => ({
      id: s.id,
      kind: s.kind,
      date: s.date,
      start: s.start,
      end: s.end,
      place: s.place,
      clauses: s.clauses,
      processes: s.processIds.map((id) => procs.get(id) ?? `#${id}`),
      auditors: s.auditorIds.map((id) => people.get(id) ?? `#${id}`),
      auditees: s.auditees,
      attendance: s.attendance,
      startsAt: instantIn(s.date, s.start, zone).toISOString(),
      endsAt: instantIn(s.date, s.end, zone).toISOString(),
      sequence: sequence.get(s.id) ?? 0,
    })),
    sharedAt: shared.firstAt,
    generatedAt: nowIso(),
    publicUrl,
  };
}

export async function auditPlanRoutes(base: FastifyInstance, { renderer }: { renderer: RenderPool }) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { db } = app;
  const name = (m: AuditPlanModel, ext: string) =>
    `${m.organisation.code}-audit-${m.audit.id}-plan-${slug(m.audit.title)}.${ext}`;

  app.get(
    '/api/v1/audits/:auditId/plan.pdf',
    {
      schema: {
        tags,
        params: PlanParams,
        querystring: PlanDocQuery,
        summary: 'The audit plan for the auditee (PDF, zh or en)',
      },
      config: { ...onAudit, docs: { download: [MEDIA.pdf] } },
    },
    async (req, reply) => {
      const m = await auditPlanModel(db, org(req).id, req.params.auditId, app.config.publicUrl);
      const lang = req.query.lang ?? singleLang(req.locale);
      const pdf = await renderer.render({ kind: 'auditPlanPdf', model: m, lang });
      return sendFile(reply, 'pdf', name(m, 'pdf'), pdf);
    },
  );

  app.get(
    '/api/v1/audits/:auditId/plan.ics',
    {
      schema: {
        tags,
        params: PlanParams,
        querystring: PlanDocQuery,
        summary: 'The audit plan for the team (iCalendar, RFC 5545)',
      },
      config: { ...onAudit, docs: { download: [MEDIA.ics] } },
    },
    async (req, reply) => {
      const m = await auditPlanModel(db, org(req).id, req.params.auditId, app.config.publicUrl);
      const lang = req.query.lang ?? singleLang(req.locale);
      return sendFile(reply, 'ics', name(m, 'ics'), auditPlanCalendar(m, planText(lang)));
    },
  );
}
