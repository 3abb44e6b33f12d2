import type { AuditRecord, ReportAcceptance } from '../../reports/audit-report/model.js';
import type { AuditRow } from '../audits/queries.js';
import type { Db } from '../db/connect.js';
import { type DivergingOpinion, listOf, type Verification } from '../domain/report-content.js';
import { planDeviations } from '../plan/queries.js';

/** The report's content beside the checklist, read from the audit, its plan, its assignments and its baseline. */
export async function reportContent(db: Db, orgId: number, a: AuditRow): Promise<AuditRecord['content']> {
  const [programme, places, assigned, deviations, verifications] = await Promise.all([
    a.programme_id === null
      ? undefined
      : db
          .selectFrom('audit_programme')
          .select('title')
          .where('organization_id', '=', orgId)
          .where('id', '=', a.programme_id)
          .executeTakeFirst(),
    db
      .selectFrom('audit_plan_session')
      .select('place')
      .where('audit_id', '=', a.id)
      .orderBy('session_date')
      .orderBy('start_time')
      .execute(),
    db
      .selectFrom('audit_assignment')
      .innerJoin('process', 'process.id', 'audit_assignment.process_id')
      .innerJoin('app_user', 'app_user.id', 'audit_assignment.auditor_id')
      .select(['process.name as process', 'app_user.display_name as auditor'])
      .where('audit_assignment.audit_id', '=', a.id)
      .where('process.organization_id', '=', orgId)
      .orderBy('process.name')
      .orderBy('app_user.display_name')
      .execute(),
    planDeviations(db, a.id),
    baselineVerifications(db, orgId, a),
  ]);
  const assignments = new Map<string, string[]>();
  for (const r of assigned) assignments.set(r.process, [...(assignments.get(r.process) ?? []), r.auditor]);
  const sites = [...new Set([...listOf<string>(a.sites_json), ...places.map((p) => p.place.trim()).filter(Boolean)])];
  return {
    auditClient: a.audit_client,
    auditeeRepresentative: a.auditee_representative,
    sites,
    programme: programme?.title ?? null,
    assignments: [...assignments].map(([process, auditors]) => ({ process, auditors })),
    divergingOpinions: listOf<DivergingOpinion>(a.diverging_opinions_json),
    planDeviations: deviations.flatMap((d) => {
      const s = d.after ?? d.before;
      return s
        ? [
            {
              action: d.action,
              date: s.date,
              start: s.start,
              end: s.end,
              place: s.place,
              fields: d.fields,
              by: d.changedBy,
              at: d.changedAt,
            },
          ]
        : [];
    }),
    verifications,
    recommendation: a.recommendation,
    confidentiality: a.confidentiality,
    distribution: listOf<string>(a.distribution_json),
    revisionReason: a.revision_reason,
  };
}

/**
 * A follow-up or surveillance audit's baseline: its nonconformities still open, and any others this audit recorded a
 * verification for, each with what was verified.
 */
async function baselineVerifications(
  db: Db,
  orgId: number,
  a: AuditRow,
): Promise<AuditRecord['content']['verifications']> {
  if (a.baseline_audit_id === null) return null;
  const [baseline, findings] = await Promise.all([
    db
      .selectFrom('audit')
      .select(['title', 'revision'])
      .where('organization_id', '=', orgId)
      .where('id', '=', a.baseline_audit_id)
      .executeTakeFirst(),
    db
      .selectFrom('finding')
      .select(['id', 'ref', 'grade', 'requirement_id', 'statement_nonconformity', 'status'])
      .where('organization_id', '=', orgId)
      .where('audit_id', '=', a.baseline_audit_id)
      .where('kind', '=', 'nonconformity')
      .orderBy('seq')
      .execute(),
  ]);
  if (!baseline) return null;
  const recorded = new Map(listOf<Verification>(a.verifications_json).map((v) => [v.findingId, v]));
  return {
    baseline: `${baseline.title} (#${a.baseline_audit_id}, r${baseline.revision})`,
    findings: findings
      .filter((f) => f.status !== 'closed' || recorded.has(f.id))
      .map((f) => ({
        findingId: f.id,
        ref: f.ref,
        grade: f.grade,
        requirementId: f.requirement_id,
        nonconformity: f.statement_nonconformity,
        status: f.status,
        verified: recorded.get(f.id)?.verified ?? '',
        result: recorded.get(f.id)?.result ?? null,
      })),
  };
}

/** Acceptances of one revision, in the order they were given. */
export async function acceptancesOf(db: Db, auditId: number, revision: number): Promise<ReportAcceptance[]> {
  const rows = await db
    .selectFrom('audit_acceptance')
    .select(['role', 'name', 'accepted_at'])
    .where('audit_id', '=', auditId)
    .where('revision', '=', revision)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ role: r.role as ReportAcceptance['role'], name: r.name, acceptedAt: r.accepted_at }));
}
