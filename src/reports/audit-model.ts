import { composeAuditReport } from '../../reports/audit-report/compose.js';
import type { AuditReportModel, ReportAction, ReportEvidence } from '../../reports/audit-report/model.js';
import { auditResponses, auditTeam, getAudit, scopeOf } from '../audits/queries.js';
import type { Db } from '../db/connect.js';
import { nowIso } from '../db/time.js';
import { sampleOf } from '../domain/report-content.js';
import { acceptancesOf, reportContent } from './report-content.js';
import { isVerdict } from '../domain/verdicts.js';

const CHUNK = 500;
const chunks = <T>(xs: readonly T[]) =>
  Array.from({ length: Math.ceil(xs.length / CHUNK) }, (_, i) => xs.slice(i * CHUNK, (i + 1) * CHUNK));
const names = (json: string) => JSON.parse(json) as number[];

/**
 * Everything the audit report shows, read in a fixed number of queries (no query per item or finding), then computed
 * once (reports/audit-report/compose.ts).
 * `db` may be a transaction: the issue step freezes this model inside the transaction that issues the audit.
 */
export async function auditReportModel(db: Db, orgId: number, auditId: number): Promise<AuditReportModel> {
  const a = await getAudit(db, orgId, auditId);
  const [org, version, clauses, responses, team, lead, findings] = await Promise.all([
    db
      .selectFrom('organization')
      .select(['name', 'code', 'scope_statement', 'scope_managing_org', 'time_zone'])
      .where('id', '=', orgId)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('checklist_version')
      .select(['standard_code', 'edition', 'title_zh', 'title_en'])
      .where('id', '=', a.checklist_version_id)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('clause')
      .select(['id', 'title_zh', 'title_en'])
      .where('version_id', '=', a.checklist_version_id)
      .orderBy('position')
      .execute(),
    auditResponses(db, a),
    auditTeam(db, a.id),
    a.lead_auditor_id === null
      ? undefined
      : db.selectFrom('app_user').select('display_name').where('id', '=', a.lead_auditor_id).executeTakeFirst(),
    db
      .selectFrom('finding')
      .leftJoin('app_user as owner', 'owner.id', 'finding.owner_user_id')
      .leftJoin('process', 'process.id', 'finding.process_id')
      .leftJoin('service', 'service.id', 'finding.service_id')
      .leftJoin('other_party', 'other_party.id', 'finding.other_party_id')
      .select([
        'finding.id',
        'finding.ref',
        'finding.kind',
        'finding.grade',
        'finding.requirement_id',
        'finding.clause_id',
        'finding.statement_requirement',
        'finding.statement_evidence',
        'finding.statement_nonconformity',
        'finding.status',
        'finding.due_date',
        'finding.raised_on',
        'finding.closed_at',
        'owner.display_name as owner_name',
        'process.name as process_name',
        'service.name as service_name',
        'other_party.name as other_party_name',
      ])
      .where('finding.organization_id', '=', orgId)
      .where('finding.audit_id', '=', a.id)
      .orderBy('finding.seq')
      .execute(),
  ]);
  const [processes, services, evidence, actions, content, acceptances] = await Promise.all([
    named(db, 'process', orgId, names(a.scope_processes)),
    named(db, 'service', orgId, names(a.scope_services)),
    evidenceOf(
      db,
      responses.map((r) => ({ id: r.id, requirementId: r.requirement_id })),
    ),
    actionsOf(
      db,
      orgId,
      findings.map((f) => f.id),
    ),
    reportContent(db, orgId, a),
    acceptancesOf(db, a.id, a.revision),
  ]);
  const title = new Map(clauses.map((c) => [c.id, { zh: c.title_zh, en: c.title_en }]));
  const itemEvidence = new Map<string, number[]>();
  for (const e of evidence) for (const id of e.itemIds) itemEvidence.set(id, [...(itemEvidence.get(id) ?? []), e.id]);
  return composeAuditReport({
    generatedAt: a.issued_at && (a.status === 'issued' || a.status === 'closed') ? a.issued_at : nowIso(),
    frozen: false,
    organisation: {
      name: org.name,
      code: org.code,
      scopeStatement: org.scope_statement,
      managingOrganisation: org.scope_managing_org,
      timeZone: org.time_zone,
    },
    standard: {
      code: version.standard_code,
      edition: version.edition,
      title: { zh: version.title_zh, en: version.title_en },
    },
    audit: {
      id: a.id,
      title: a.title,
      type: a.type,
      status: a.status,
      revision: a.revision,
      objectives: a.objectives,
      criteria: a.criteria,
      summary: a.summary,
      conclusion: a.conclusion,
      plannedStart: a.planned_start,
      plannedEnd: a.planned_end,
      actualStart: a.actual_start,
      actualEnd: a.actual_end,
      issuedAt: a.issued_at,
      leadAuditor: lead?.display_name ?? null,
      team: team.map((m) => m.display_name),
      selfAssessment: a.type === 'self_assessment',
      scope: {
        clauses: scopeOf(a).map((id) => ({ id, title: title.get(id) ?? { zh: '', en: '' } })),
        processes: processes,
        services: services,
      },
    },
    content,
    acceptances,
    clauseTitles: Object.fromEntries(title),
    items: responses.map((x) => ({
      id: x.requirement_id,
      clause: x.clause_id,
      topClause: x.top_clause,
      text: { zh: x.text_zh, en: x.text_en },
      documentedInformation: {
        type: x.doc_type,
        what:
          x.doc_what_zh === null && x.doc_what_en === null
            ? null
            : { zh: x.doc_what_zh ?? '', en: x.doc_what_en ?? '' },
      },
      verdict: isVerdict(x.verdict) ? x.verdict : 'not_assessed',
      level: x.implementation_level,
      notes: x.notes,
      samples: x.samples,
      interviewees: x.interviewees,
      sample: sampleOf(x.sample_json),
      version: x.version,
      evidenceIds: itemEvidence.get(x.requirement_id) ?? [],
      answeredBy: x.answered_by_name,
      answeredAt: x.answered_at,
    })),
    findings: findings.map((f) => ({
      ref: f.ref,
      kind: f.kind,
      grade: f.grade,
      requirementId: f.requirement_id,
      clauseId: f.clause_id,
      statement: {
        requirement: f.statement_requirement,
        evidence: f.statement_evidence,
        nonconformity: f.statement_nonconformity,
      },
      status: f.status,
      owner: f.owner_name,
      dueDate: f.due_date,
      raisedOn: f.raised_on,
      closedAt: f.closed_at,
      process: f.process_name,
      service: f.service_name,
      otherParty: f.other_party_name,
      actions: actions.get(f.id) ?? [],
    })),
    evidence,
  });
}

async function named(db: Db, table: 'process' | 'service', orgId: number, ids: number[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom(table)
    .select('name')
    .where('organization_id', '=', orgId)
    .where('id', 'in', ids)
    .orderBy('name')
    .execute();
  return rows.map((r) => r.name);
}

/** The evidence examined: every item attached to a response of the audit, once, with the items it supports. */
async function evidenceOf(db: Db, responses: { id: number; requirementId: string }[]): Promise<ReportEvidence[]> {
  const requirementOf = new Map(responses.map((r) => [r.id, r.requirementId]));
  const byId = new Map<number, ReportEvidence>();
  for (const part of chunks(responses.map((r) => r.id))) {
    const rows = await db
      .selectFrom('response_evidence')
      .innerJoin('evidence', 'evidence.id', 'response_evidence.evidence_id')
      .leftJoin('evidence_file', 'evidence_file.id', 'evidence.file_id')
      .select([
        'response_evidence.response_id',
        'evidence.id',
        'evidence.title',
        'evidence.kind',
        'evidence.version_label',
        'evidence.owner',
        'evidence.approved_on',
        'evidence.file_name',
        'evidence.location',
        'evidence_file.sha256',
      ])
      .where('response_evidence.response_id', 'in', part)
      .execute();
    for (const e of rows) {
      const cur = byId.get(e.id) ?? {
        id: e.id,
        title: e.title,
        kind: e.kind,
        version: e.version_label,
        owner: e.owner,
        approvedOn: e.approved_on,
        sha256: e.sha256,
        fileName: e.file_name,
        location: e.location,
        itemIds: [],
      };
      cur.itemIds.push(requirementOf.get(e.response_id) ?? '');
      byId.set(e.id, cur);
    }
  }
  const order = new Map(responses.map((r, i) => [r.requirementId, i]));
  const rank = (ids: string[]) => Math.min(...ids.map((i) => order.get(i) ?? Infinity));
  return [...byId.values()]
    .map((e) => ({ ...e, itemIds: [...new Set(e.itemIds)].sort((x, y) => (order.get(x) ?? 0) - (order.get(y) ?? 0)) }))
    .sort((x, y) => rank(x.itemIds) - rank(y.itemIds) || x.title.localeCompare(y.title) || x.id - y.id);
}

/** Corrective actions of the given findings, oldest first, grouped by finding. */
export async function actionsOf(db: Db, orgId: number, findingIds: number[]): Promise<Map<number, ReportAction[]>> {
  const out = new Map<number, ReportAction[]>();
  for (const part of chunks(findingIds)) {
    const rows = await db
      .selectFrom('action_item')
      .leftJoin('app_user as owner', 'owner.id', 'action_item.owner_user_id')
      .select([
        'action_item.finding_id',
        'action_item.ref',
        'action_item.description',
        'action_item.due_date',
        'action_item.status',
        'action_item.completed_at',
        'owner.display_name as owner_name',
      ])
      .where('action_item.organization_id', '=', orgId)
      .where('action_item.finding_id', 'in', part)
      .orderBy('action_item.id')
      .execute();
    for (const r of rows) {
      if (r.finding_id === null) continue;
      out.set(r.finding_id, [
        ...(out.get(r.finding_id) ?? []),
        {
          ref: r.ref,
          description: r.description,
          owner: r.owner_name,
          dueDate: r.due_date,
          status: r.status,
          completedAt: r.completed_at,
        },
      ]);
    }
  }
  return out;
}
