import type { Selectable } from 'kysely';
import { currentVersion } from '../checklists/queries.js';
import type { Db } from '../db/connect.js';
import type { AuditTable } from '../db/schema.js';
import { nowIso } from '../db/time.js';
import { recordTrail } from '../db/trail.js';
import { type AuditStatus, isAuditStatus } from '../domain/audit-status.js';
import { readiness, type ScoredItem } from '../domain/readiness.js';
import { effectiveScope, inScope } from '../domain/scope.js';
import { isVerdict, TOP_CLAUSES, type Verdict } from '../domain/verdicts.js';
import { unprocessable } from '../web/errors.js';
import { checklistItems, responseRows } from './items.js';
import type { AuditInput } from './schemas.js';

export const STANDARD_CODE = 'iso-iec-20000-1-2018';
export type AuditRow = Selectable<AuditTable>;

export const scopeOf = (a: AuditRow) => JSON.parse(a.scope_clauses) as string[];
export const statusOf = (a: AuditRow): AuditStatus => (isAuditStatus(a.status) ? a.status : 'planned');

async function memberIds(db: Db, orgId: number): Promise<Set<number>> {
  const rows = await db.selectFrom('membership').select('user_id').where('organization_id', '=', orgId).execute();
  return new Set(rows.map((r) => r.user_id));
}

/** Checks that every id the input names belongs to this organisation; a foreign id is reported as invalid. */
async function checkOwnership(db: Db, orgId: number, input: AuditInput) {
  const members = await memberIds(db, orgId);
  const people = [input.leadAuditorId, ...input.team].filter((x): x is number => x !== null);
  if (people.some((p) => !members.has(p))) throw unprocessable('audits.errors.notMember');
  const owned = async (table: 'process' | 'service' | 'audit_programme' | 'audit', ids: number[]) => {
    if (ids.length === 0) return true;
    const rows = await db
      .selectFrom(table)
      .select('id')
      .where('organization_id', '=', orgId)
      .where('id', 'in', ids)
      .execute();
    return rows.length === new Set(ids).size;
  };
  if (!(await owned('process', input.scope.processes)) || !(await owned('service', input.scope.services))) {
    throw unprocessable('audits.errors.unknownScope');
  }
  if (input.programmeId && !(await owned('audit_programme', [input.programmeId])))
    throw unprocessable('audits.errors.unknownProgramme');
  if (input.baselineAuditId && !(await owned('audit', [input.baselineAuditId])))
    throw unprocessable('audits.errors.unknownBaseline');
}

/** Creates the audit with one "not assessed" response per checklist item in scope, atomically. */
export async function createAudit(db: Db, orgId: number, input: AuditInput, actorId: number): Promise<number> {
  await checkOwnership(db, orgId, input);
  const version = await currentVersion(db, STANDARD_CODE);
  if (!version) throw new Error(`standard ${STANDARD_CODE} is not loaded`);
  const scope = effectiveScope(input.type, input.scope.clauses);
  const requirements = (
    await db
      .selectFrom('requirement')
      .select(['id', 'clause_id'])
      .where('version_id', '=', version.id)
      .orderBy('position')
      .execute()
  ).filter((r) => inScope(r.clause_id, scope));
  if (requirements.length === 0) throw unprocessable('audits.errors.emptyScope');
  const now = nowIso();
  return db.transaction().execute(async (trx) => {
    const { id } = await trx
      .insertInto('audit')
      .values({
        organization_id: orgId,
        programme_id: input.programmeId,
        checklist_version_id: version.id,
        baseline_audit_id: input.baselineAuditId,
        title: input.title,
        type: input.type,
        status: 'planned',
        scope_clauses: JSON.stringify(scope),
        scope_processes: JSON.stringify(input.scope.processes),
        scope_services: JSON.stringify(input.scope.services),
        criteria: input.criteria,
        objectives: input.objectives,
        lead_auditor_id: input.leadAuditorId,
        planned_start: input.plannedStart,
        planned_end: input.plannedEnd,
        created_by: actorId,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const team = new Set([input.leadAuditorId, ...input.team].filter((x): x is number => x !== null));
    if (team.size)
      await trx
        .insertInto('audit_team')
        .values([...team].map((user_id) => ({ audit_id: id, user_id })))
        .execute();
    for (let i = 0; i < requirements.length; i += 100) {
      await trx
        .insertInto('audit_response')
        .values(
          requirements.slice(i, i + 100).map((r) => ({
            audit_id: id,
            requirement_id: r.id,
            verdict: 'not_assessed',
            notes: '',
            samples: '',
            interviewees: '',
            version: 0,
          })),
        )
        .execute();
    }
    await recordTrail(trx, {
      orgId,
      userId: actorId,
      action: 'create',
      entity: 'audit',
      entityId: id,
      after: { ...input, scope },
    });
    return id;
  });
}

export async function getAudit(db: Db, orgId: number, auditId: number) {
  return db
    .selectFrom('audit')
    .selectAll()
    .where('organization_id', '=', orgId)
    .where('id', '=', auditId)
    .executeTakeFirstOrThrow();
}

export async function listAudits(db: Db, orgId: number) {
  return db
    .selectFrom('audit')
    .leftJoin('app_user', 'app_user.id', 'audit.lead_auditor_id')
    .select([
      'audit.id',
      'audit.title',
      'audit.type',
      'audit.status',
      'audit.revision',
      'audit.planned_start',
      'audit.planned_end',
      'audit.actual_end',
      'audit.programme_id',
      'audit.scope_clauses',
      'app_user.display_name as lead',
    ])
    .where('audit.organization_id', '=', orgId)
    .orderBy('audit.id', 'desc')
    .execute();
}

export async function auditTeam(db: Db, auditId: number) {
  return db
    .selectFrom('audit_team')
    .innerJoin('app_user', 'app_user.id', 'audit_team.user_id')
    .select(['app_user.id', 'app_user.display_name', 'app_user.email'])
    .where('audit_team.audit_id', '=', auditId)
    .orderBy('app_user.display_name')
    .orderBy('app_user.id')
    .execute();
}

/** Each response paired with its checklist item, in the standard's order. */
async function pairedResponses(db: Db, audit: AuditRow) {
  const [items, rows] = await Promise.all([checklistItems(db, audit.checklist_version_id), responseRows(db, audit.id)]);
  const byItem = new Map(rows.map((r) => [r.requirement_id, r]));
  return [...items.values()].flatMap((q) => {
    const r = byItem.get(q.id);
    return r ? [{ q, r }] : [];
  });
}

/** Every response of the audit with its checklist item, in the standard's order. */
export async function auditResponses(db: Db, audit: AuditRow) {
  // Literal objects (no spreads): this runs for every item of every checklist page, report and API call.
  return (await pairedResponses(db, audit)).map(({ q, r }) => ({
    id: r.id,
    requirement_id: r.requirement_id,
    verdict: r.verdict,
    implementation_level: r.implementation_level,
    notes: r.notes,
    samples: r.samples,
    interviewees: r.interviewees,
    sample_json: r.sample_json,
    version: r.version,
    answered_by: r.answered_by,
    answered_at: r.answered_at,
    answered_by_name: r.answered_by_name,
    clause_id: q.clause_id,
    top_clause: q.top_clause,
    text_zh: q.text_zh,
    text_en: q.text_en,
    note_zh: q.note_zh,
    note_en: q.note_en,
    doc_type: q.doc_type,
    doc_what_zh: q.doc_what_zh,
    doc_what_en: q.doc_what_en,
    questions_json: q.questions_json,
    evidence_json: q.evidence_json,
  }));
}
export type ResponseRow = Awaited<ReturnType<typeof auditResponses>>[number];

/** The same responses without the checklist text: what the API and the readiness figures need. */
export async function responseStates(db: Db, audit: AuditRow) {
  return (await pairedResponses(db, audit)).map(({ q, r }) => ({
    id: r.id,
    requirement_id: r.requirement_id,
    verdict: r.verdict,
    implementation_level: r.implementation_level,
    notes: r.notes,
    samples: r.samples,
    interviewees: r.interviewees,
    sample_json: r.sample_json,
    version: r.version,
    answered_at: r.answered_at,
    answered_by_name: r.answered_by_name,
    clause_id: q.clause_id,
    top_clause: q.top_clause,
  }));
}

export const toScored = (r: {
  top_clause: string;
  verdict: string;
  implementation_level: number | null;
}): ScoredItem => ({
  clause: r.top_clause,
  verdict: isVerdict(r.verdict) ? r.verdict : 'not_assessed',
  level: r.implementation_level,
});

export function auditReadiness(
  audit: AuditRow,
  responses: readonly { top_clause: string; verdict: string; implementation_level: number | null }[],
) {
  return readiness(responses.map(toScored), TOP_CLAUSES, audit.type === 'self_assessment');
}

/** The previous audit of the same organisation, type and scope: what readiness is compared with. */
export async function previousComparable(db: Db, audit: AuditRow) {
  const earlier = await db
    .selectFrom('audit')
    .selectAll()
    .where('organization_id', '=', audit.organization_id)
    .where('id', '<', audit.id)
    .where('type', '=', audit.type)
    .where('scope_clauses', '=', audit.scope_clauses)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!earlier) return null;
  const rows = await db
    .selectFrom('audit_response as r')
    .innerJoin('requirement as q', (j) =>
      j.onRef('q.id', '=', 'r.requirement_id').on('q.version_id', '=', earlier.checklist_version_id),
    )
    .select(['q.top_clause', 'r.verdict', 'r.implementation_level'])
    .where('r.audit_id', '=', earlier.id)
    .execute();
  return { audit: earlier, readiness: auditReadiness(earlier, rows) };
}

export interface BaselineAnswer {
  verdict: Verdict;
  notes: string;
  samples: string;
  level: number | null;
  responseId: number;
}

const UNEXAMINED: Verdict[] = ['not_assessed', 'not_audited'];

/** The earlier audit's assessed answers, keyed by requirement id, to stand beside each item. */
export async function baselineAnswers(db: Db, audit: AuditRow): Promise<Map<string, BaselineAnswer>> {
  if (!audit.baseline_audit_id) return new Map();
  const rows = await db
    .selectFrom('audit_response')
    .select(['id', 'requirement_id', 'verdict', 'notes', 'samples', 'implementation_level'])
    .where('audit_id', '=', audit.baseline_audit_id)
    .where('verdict', 'not in', UNEXAMINED) // nothing to stand beside an item, or to take over, unless it was assessed
    .execute();
  return new Map(
    rows.map((r) => [
      r.requirement_id,
      {
        verdict: isVerdict(r.verdict) ? r.verdict : 'not_assessed',
        notes: r.notes,
        samples: r.samples,
        level: r.implementation_level,
        responseId: r.id,
      },
    ]),
  );
}

export async function auditProcesses(db: Db, orgId: number) {
  return db
    .selectFrom('process')
    .leftJoin('app_user', 'app_user.id', 'process.owner_user_id')
    .select([
      'process.id',
      'process.name',
      'process.clause_id',
      'process.owner_user_id',
      'process.importance',
      (eb) => eb.fn.coalesce('app_user.display_name', 'process.owner_name').as('owner'),
    ])
    .where('process.organization_id', '=', orgId)
    .orderBy('process.name')
    .orderBy('process.id')
    .execute();
}

export async function assignments(db: Db, auditId: number) {
  return db
    .selectFrom('audit_assignment as a')
    .innerJoin('process as p', 'p.id', 'a.process_id')
    .innerJoin('app_user as u', 'u.id', 'a.auditor_id')
    .select(['a.process_id', 'a.auditor_id', 'p.name as process', 'p.clause_id', 'u.display_name as auditor'])
    .where('a.audit_id', '=', auditId)
    .execute();
}
