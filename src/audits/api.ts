import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { type DivergingOpinion, listOf, sampleOf, type Verification } from '../domain/report-content.js';
import { evidenceForAudit } from '../evidence/queries.js';
import type { OrgAccess } from '../web/context.js';
import { assignAuditor, bulkSetVerdict, saveResponse, transitionAudit, updateAudit } from './commands.js';
import {
  auditReadiness,
  auditTeam,
  createAudit,
  getAudit,
  listAudits,
  responseStates,
  scopeOf,
  type AuditRow,
} from './queries.js';
import { z } from 'zod';
import {
  AssignmentInput,
  AssignmentOut,
  AuditOut,
  AuditSummaryOut,
  BulkOut,
  ResponseOut,
  ScopeDropRefused,
  TransitionOut,
  AuditInput,
  AuditParams,
  AuditPatch,
  BulkVerdictInput,
  ResponseInput,
  ResponseParams,
  TransitionInput,
} from './schemas.js';
import { OrgParams } from '../organisations/schemas.js';
import { HttpError } from '../web/errors.js';
import { describeProblems, isProblemList } from './issue-check.js';

const tags = ['audits'];
const org = (req: FastifyRequest) => req.org as OrgAccess;
const actor = (req: FastifyRequest) => ({ orgId: org(req).id, userId: req.user!.id });

export function auditSummary(
  a: Pick<
    AuditRow,
    'id' | 'title' | 'type' | 'status' | 'revision' | 'planned_start' | 'planned_end' | 'scope_clauses'
  >,
) {
  return {
    id: a.id,
    title: a.title,
    type: a.type,
    status: a.status,
    revision: a.revision,
    plannedStart: a.planned_start,
    plannedEnd: a.planned_end,
    scope: { clauses: JSON.parse(a.scope_clauses) as string[] },
  };
}

/** The audit as programs see it: details, one response per item in scope, progress and readiness. */
export async function auditDto(app: FastifyInstance, a: AuditRow) {
  const [responses, team, evidence, acceptances] = await Promise.all([
    responseStates(app.db, a),
    auditTeam(app.db, a.id),
    evidenceForAudit(app.db, a.id),
    app.db
      .selectFrom('audit_acceptance')
      .select(['revision', 'role', 'name', 'accepted_at'])
      .where('audit_id', '=', a.id)
      .orderBy('id')
      .execute(),
  ]);
  const r = auditReadiness(a, responses);
  return {
    ...auditSummary(a),
    organizationId: a.organization_id,
    programmeId: a.programme_id,
    baselineAuditId: a.baseline_audit_id,
    checklistVersionId: a.checklist_version_id,
    scope: {
      clauses: scopeOf(a),
      processes: JSON.parse(a.scope_processes) as number[],
      services: JSON.parse(a.scope_services) as number[],
    },
    criteria: a.criteria,
    objectives: a.objectives,
    summary: a.summary,
    conclusion: a.conclusion,
    leadAuditorId: a.lead_auditor_id,
    team: team.map((m) => ({ id: m.id, name: m.display_name })),
    actualStart: a.actual_start,
    actualEnd: a.actual_end,
    issuedAt: a.issued_at,
    auditClient: a.audit_client,
    auditeeRepresentative: a.auditee_representative,
    sites: listOf<string>(a.sites_json),
    divergingOpinions: listOf<DivergingOpinion>(a.diverging_opinions_json),
    verifications: listOf<Verification>(a.verifications_json),
    recommendation: a.recommendation,
    confidentiality: a.confidentiality,
    distribution: listOf<string>(a.distribution_json),
    revisionReason: a.revision_reason,
    acceptances: acceptances.map((x) => ({
      revision: x.revision,
      role: x.role,
      name: x.name,
      acceptedAt: x.accepted_at,
    })),
    progress: { items: r.items, assessed: r.assessed, percent: r.progress },
    // Readiness is over the items examined or still open; not audited items are set aside (coverage says how many).
    coverage: { items: r.items, examined: r.examined, notAudited: r.notAudited, percent: r.coverage },
    readiness: {
      overall: r.overall,
      byClause: r.byClause.map((c) => ({
        clause: c.clause,
        items: c.items,
        examined: c.examined,
        notAudited: c.notAudited,
        coverage: c.coverage,
        readiness: c.readiness,
        counts: c.counts,
      })),
    },
    responses: responses.map((x) => ({
      requirementId: x.requirement_id,
      clause: x.clause_id,
      verdict: x.verdict,
      level: x.implementation_level,
      notes: x.notes,
      samples: x.samples,
      interviewees: x.interviewees,
      sample: sampleOf(x.sample_json),
      evidence: evidence.get(x.id) ?? [],
      version: x.version,
      answeredBy: x.answered_by_name,
      answeredAt: x.answered_at,
    })),
  };
}

export async function auditApiRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { db } = app;
  const onAudit = (permission: 'org.read' | 'audit.manage' | 'audit.respond') =>
    ({ access: { kind: 'org', permission, resource: 'audit' } }) as const;

  app.get(
    '/api/v1/organizations/:orgId/audits',
    {
      schema: {
        tags,
        params: OrgParams,
        summary: "The organisation's audits",
        response: { 200: z.array(AuditSummaryOut) },
      },
      config: { access: { kind: 'org', permission: 'org.read' } },
    },
    async (req) => (await listAudits(db, org(req).id)).map(auditSummary),
  );

  app.post(
    '/api/v1/organizations/:orgId/audits',
    {
      schema: {
        tags,
        params: OrgParams,
        body: AuditInput,
        summary: 'Plan an audit; every checklist item in scope gets a response. Answers the audit as GET does',
        response: { 201: AuditOut },
      },
      config: { access: { kind: 'org', permission: 'audit.manage' } },
    },
    async (req, reply) => {
      const id = await createAudit(db, org(req).id, req.body, req.user!.id);
      return reply.code(201).send(await auditDto(base, await getAudit(db, org(req).id, id)));
    },
  );

  app.get(
    '/api/v1/audits/:auditId',
    {
      schema: {
        tags,
        params: AuditParams,
        summary: 'An audit with its responses, progress, coverage and readiness',
        response: { 200: AuditOut },
      },
      config: onAudit('org.read'),
    },
    async (req) => auditDto(base, await getAudit(db, org(req).id, req.params.auditId)),
  );

  app.patch(
    '/api/v1/audits/:auditId',
    {
      schema: {
        tags,
        params: AuditParams,
        body: AuditPatch,
        summary:
          'Change the fields sent, and only those (null or "" clears a field); `scope` while planned or in progress ' +
          '(409 with `dropped` when answers with something recorded would go, unless `confirmDrop` is true)',
        response: { 200: AuditOut, 409: ScopeDropRefused },
      },
      config: onAudit('audit.manage'),
    },
    async (req) => {
      await updateAudit(db, actor(req), await getAudit(db, org(req).id, req.params.auditId), req.body);
      return auditDto(base, await getAudit(db, org(req).id, req.params.auditId));
    },
  );

  app.post(
    '/api/v1/audits/:auditId/responses/bulk',
    {
      schema: {
        tags,
        params: AuditParams,
        body: BulkVerdictInput,
        summary:
          'One verdict for every (still unassessed) item of a clause or of the whole audit, or for the items named; ' +
          "answers the number changed. The audit's lead auditor and team only.",
        response: { 200: BulkOut },
      },
      config: onAudit('audit.respond'),
    },
    async (req) => {
      const audit = await getAudit(db, org(req).id, req.params.auditId);
      return { changed: await bulkSetVerdict(db, actor(req), audit, req.body) };
    },
  );

  app.put(
    '/api/v1/audits/:auditId/responses/:requirementId',
    {
      schema: {
        tags,
        params: ResponseParams,
        body: ResponseInput,
        summary: 'Save one answer; 409 when `version` is stale',
        response: { 200: ResponseOut },
      },
      config: onAudit('audit.respond'),
    },
    async (req) => {
      const audit = await getAudit(db, org(req).id, req.params.auditId);
      const saved = await saveResponse(db, actor(req), audit, req.params.requirementId, req.body);
      return {
        requirementId: saved.requirementId,
        verdict: saved.verdict,
        notes: saved.notes,
        samples: saved.samples,
        interviewees: saved.interviewees,
        ...(saved.sample_json !== undefined && { sample: sampleOf(saved.sample_json) }),
        level: saved.implementation_level,
        version: saved.version,
        answeredAt: saved.answered_at,
      };
    },
  );

  app.post(
    '/api/v1/audits/:auditId/transitions',
    {
      schema: {
        tags,
        params: AuditParams,
        body: TransitionInput,
        summary: 'start | report | reopen | issue | revise | close',
        response: { 200: TransitionOut },
      },
      config: onAudit('audit.manage'),
    },
    async (req) => {
      try {
        const status = await transitionAudit(
          db,
          actor(req),
          await getAudit(db, org(req).id, req.params.auditId),
          req.body.action,
        );
        return { id: req.params.auditId, status };
      } catch (e) {
        // Issue refused: 422 with `problems`, each with its code, field or requirementId, and a localised message.
        if (e instanceof HttpError && isProblemList(e.details))
          throw new HttpError(e.statusCode, e.key, e.params, { problems: describeProblems(req.t, e.details.problems) });
        throw e;
      }
    },
  );

  app.post(
    '/api/v1/audits/:auditId/assignments',
    {
      schema: {
        tags,
        params: AuditParams,
        body: AssignmentInput,
        summary: 'Assign an auditor to a process (9.2.2 c impartiality)',
        response: { 201: AssignmentOut },
      },
      config: onAudit('audit.manage'),
    },
    async (req, reply) => {
      await assignAuditor(
        db,
        actor(req),
        await getAudit(db, org(req).id, req.params.auditId),
        req.body.processId,
        req.body.auditorId,
      );
      return reply.code(201).send({ processId: req.body.processId, auditorId: req.body.auditorId });
    },
  );
}
