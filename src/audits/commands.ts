import type { Db } from '../db/connect.js';
import { nowIso } from '../db/time.js';
import { recordTrail } from '../db/trail.js';
import { calendarMoved } from '../domain/audit-calendar.js';
import { type AuditTransition, decideAuditTransition, isEditable } from '../domain/audit-status.js';
import { checkImpartiality } from '../domain/impartiality.js';
import { hasSample } from '../domain/report-content.js';
import { effectiveScope, isRecorded, type ScopedAnswer, scopeChange } from '../domain/scope.js';
import { dateIn } from '../domain/time-zone.js';
import { linkEvidenceToResponse } from '../evidence/queries.js';
import { freezeAuditReport } from '../reports/frozen.js';
import { conflict, HttpError, notFound, unprocessable } from '../web/errors.js';
import { type AuditRow, auditResponses, auditTeam, getAudit, responseStates, statusOf } from './queries.js';
import { issueCheck } from './issue-check.js';
import type { BulkVerdictInput, ResponseInput, ScopePatch } from './schemas.js';

export interface Actor {
  orgId: number;
  userId: number;
}

function assertEditable(audit: AuditRow) {
  if (!isEditable(statusOf(audit))) throw conflict('audits.errors.readOnly', { status: audit.status });
}

/**
 * Saves one checklist answer. The caller sends the version it started from; if someone saved in between,
 * the save is refused with the other person's answer so nothing is overwritten silently.
 */
export async function saveResponse(db: Db, actor: Actor, audit: AuditRow, requirementId: string, input: ResponseInput) {
  assertEditable(audit);
  if (input.level !== null && audit.type !== 'self_assessment')
    throw unprocessable('audits.errors.levelOnlySelfAssessment');
  return db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom('audit_response as r')
      .leftJoin('app_user as u', 'u.id', 'r.answered_by')
      .select([
        'r.id',
        'r.verdict',
        'r.notes',
        'r.samples',
        'r.interviewees',
        'r.implementation_level',
        'r.version',
        'r.answered_at',
        'u.display_name as answered_by_name',
      ])
      .where('r.audit_id', '=', audit.id)
      .where('r.requirement_id', '=', requirementId)
      .executeTakeFirst();
    if (!current) throw notFound();
    if (current.version !== input.version) {
      const evidence = await trx
        .selectFrom('response_evidence as re')
        .innerJoin('evidence as e', 'e.id', 're.evidence_id')
        .select(['e.id', 'e.title'])
        .where('re.response_id', '=', current.id)
        .orderBy('e.title')
        .orderBy('e.id')
        .execute();
      throw conflict(
        current.answered_by_name ? 'audits.errors.stale' : 'audits.errors.staleUnknown',
        { name: current.answered_by_name },
        {
          current: {
            verdict: current.verdict,
            notes: current.notes,
            samples: current.samples,
            interviewees: current.interviewees,
            level: current.implementation_level,
            version: current.version,
            answeredBy: current.answered_by_name,
            answeredAt: current.answered_at,
            evidence,
          },
        },
      );
    }
    const after = {
      verdict: input.verdict,
      notes: input.notes,
      samples: input.samples,
      interviewees: input.interviewees,
      ...(input.sample !== undefined && { sample_json: hasSample(input.sample) ? JSON.stringify(input.sample) : '' }),
      implementation_level: input.level,
      version: current.version + 1,
      answered_by: actor.userId,
      answered_at: nowIso(),
    };
    // The version check is repeated in the UPDATE itself, so two concurrent saves cannot both win.
    const res = await trx
      .updateTable('audit_response')
      .set(after)
      .where('id', '=', current.id)
      .where('version', '=', input.version)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw conflict('audits.errors.staleUnknown');
    await linkEvidenceToResponse(trx, actor.orgId, current.id, input.evidenceIds);
    await trx.updateTable('audit').set({ updated_at: nowIso() }).where('id', '=', audit.id).execute();
    await recordTrail(trx, {
      orgId: actor.orgId,
      userId: actor.userId,
      action: 'update',
      entity: 'audit_response',
      entityId: `${audit.id}:${requirementId}`,
      before: { verdict: current.verdict, notes: current.notes, level: current.implementation_level },
      after: { ...after, evidenceIds: input.evidenceIds },
    });
    return { id: current.id, requirementId, ...after };
  });
}

/** The audit's lead auditor and team members: the people who record its verdicts in bulk. */
export async function assertOnAuditTeam(db: Db, audit: AuditRow, userId: number) {
  if (audit.lead_auditor_id === userId) return;
  const onTeam = await db
    .selectFrom('audit_team')
    .select('user_id')
    .where('audit_id', '=', audit.id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (!onTeam) throw new HttpError(403, 'audits.errors.notOnTeam');
}

const inClause = (clauseId: string, clause: string) => clauseId === clause || clauseId.startsWith(`${clause}.`);

/** The items a bulk verdict would change (what the confirmation counts). */
export async function bulkTargets(db: Db, audit: AuditRow, input: BulkVerdictInput) {
  const named = input.requirementIds?.length ? new Set(input.requirementIds) : null;
  return (await responseStates(db, audit)).filter(
    (r) =>
      (!input.clause || inClause(r.clause_id, input.clause)) &&
      (!named || named.has(r.requirement_id)) &&
      (!input.onlyUnassessed || r.verdict === 'not_assessed') &&
      r.verdict !== input.verdict,
  );
}

/**
 * Sets one verdict on every item of a clause (or of the whole audit), or on the items named; with `onlyUnassessed`
 * only items still not assessed change. Returns how many changed. Each changed item gets a new version, so a form
 * left open on one of them is refused as stale rather than overwriting the bulk answer.
 */
export async function bulkSetVerdict(db: Db, actor: Actor, audit: AuditRow, input: BulkVerdictInput) {
  assertEditable(audit);
  await assertOnAuditTeam(db, audit, actor.userId);
  const targets = await bulkTargets(db, audit, input);
  if (targets.length === 0) return 0;
  const now = nowIso();
  return db.transaction().execute(async (trx) => {
    let changed = 0;
    const done: string[] = [];
    for (let i = 0; i < targets.length; i += 200) {
      const chunk = targets.slice(i, i + 200);
      let q = trx
        .updateTable('audit_response')
        .set((eb) => ({
          verdict: input.verdict,
          implementation_level: null,
          version: eb('version', '+', 1),
          answered_by: actor.userId,
          answered_at: now,
        }))
        .where('audit_id', '=', audit.id)
        .where(
          'id',
          'in',
          chunk.map((r) => r.id),
        );
      // Repeated in the UPDATE: an item someone answered meanwhile keeps their answer.
      if (input.onlyUnassessed) q = q.where('verdict', '=', 'not_assessed');
      const res = await q.executeTakeFirst();
      changed += Number(res.numUpdatedRows);
      done.push(...chunk.map((r) => r.requirement_id));
    }
    await trx.updateTable('audit').set({ updated_at: now }).where('id', '=', audit.id).execute();
    await recordTrail(trx, {
      orgId: actor.orgId,
      userId: actor.userId,
      action: 'update',
      entity: 'audit_response',
      entityId: `${audit.id}:bulk`,
      // The verdicts replaced, item by item: a selection may change items that already had an answer.
      before: { verdicts: Object.fromEntries(targets.map((r) => [r.requirement_id, r.verdict])) },
      after: {
        verdict: input.verdict,
        clause: input.clause || null,
        onlyUnassessed: input.onlyUnassessed,
        changed,
        requirementIds: done,
      },
    });
    return changed;
  });
}

/** Copies the baseline audit's answer for one item into this audit (the auditor confirms nothing changed). */
export async function takeOverBaseline(db: Db, actor: Actor, audit: AuditRow, requirementId: string) {
  assertEditable(audit);
  if (!audit.baseline_audit_id) throw notFound();
  const [base, mine] = await Promise.all([
    db
      .selectFrom('audit_response')
      .selectAll()
      .where('audit_id', '=', audit.baseline_audit_id)
      .where('requirement_id', '=', requirementId)
      .executeTakeFirst(),
    db
      .selectFrom('audit_response')
      .select(['version'])
      .where('audit_id', '=', audit.id)
      .where('requirement_id', '=', requirementId)
      .executeTakeFirst(),
  ]);
  if (!base || !mine) throw notFound();
  // Only an answer the earlier audit actually gave can be taken over (issue 23).
  if (base.verdict === 'not_assessed' || base.verdict === 'not_audited')
    throw conflict('audits.errors.baselineNotAssessed', { id: requirementId });
  const evidence = await db
    .selectFrom('response_evidence')
    .select('evidence_id')
    .where('response_id', '=', base.id)
    .execute();
  return saveResponse(db, actor, audit, requirementId, {
    verdict: base.verdict as ResponseInput['verdict'],
    notes: base.notes,
    samples: base.samples,
    interviewees: base.interviewees,
    level: audit.type === 'self_assessment' ? base.implementation_level : null,
    evidenceIds: evidence.map((e) => e.evidence_id),
    version: mine.version,
  });
}

/** Moves the audit through its lifecycle; issuing checks the issue rules, then freezes a snapshot of this revision. */
export async function transitionAudit(db: Db, actor: Actor, audit: AuditRow, action: AuditTransition) {
  const decision = decideAuditTransition(statusOf(audit), action);
  if (!decision.ok) {
    throw unprocessable(`audits.errors.transition.${decision.reason}`, { action, status: audit.status });
  }
  if (action === 'issue') {
    // 422 naming every missing thing; the caller localises each problem (describeProblems).
    const problems = await issueCheck(db, audit);
    if (problems.length)
      throw unprocessable('audits.errors.transition.problems', { count: problems.length }, { problems });
  }
  const now = nowIso();
  // Actual start and end are the organisation's calendar days, not UTC's.
  const { time_zone: zone } = await db
    .selectFrom('organization')
    .select('time_zone')
    .where('id', '=', audit.organization_id)
    .executeTakeFirstOrThrow();
  const today = dateIn(now, zone);
  const started = action === 'start' && !audit.actual_start;
  // An audit never planned shows in the calendar from its actual start: that moves (or adds) its event.
  const moved = started && calendarMoved(calendarDates(audit), calendarDates({ ...audit, actual_start: today }));
  await db.transaction().execute(async (trx) => {
    const revision = decision.newRevision ? audit.revision + 1 : audit.revision;
    await trx
      .updateTable('audit')
      .set((eb) => ({
        status: decision.to,
        revision,
        updated_at: now,
        ...(started && { actual_start: today }),
        ...(moved && { calendar_sequence: eb('calendar_sequence', '+', 1) }),
        ...(action === 'issue' && { issued_at: now }),
        // A new revision says why it was made: the last revision's reason stays in its frozen report, not here.
        ...(decision.newRevision && { revision_reason: '' }),
      }))
      .where('id', '=', audit.id)
      .execute();
    if (action === 'issue') {
      const frozen = await getAudit(trx, actor.orgId, audit.id);
      const snapshot = {
        audit: frozen,
        team: await auditTeam(trx, audit.id),
        responses: await auditResponses(trx, frozen),
        // The full report model (findings, actions, evidence too): the issued report reads back exactly this.
        report: await freezeAuditReport(trx, actor.orgId, audit.id),
      };
      await trx
        .insertInto('audit_revision')
        .values({
          audit_id: audit.id,
          revision,
          snapshot_json: JSON.stringify(snapshot),
          issued_at: now,
          issued_by: actor.userId,
        })
        .execute();
    }
    await recordTrail(trx, {
      orgId: actor.orgId,
      userId: actor.userId,
      action: 'update',
      entity: 'audit',
      entityId: audit.id,
      before: {
        status: audit.status,
        revision: audit.revision,
        ...(decision.newRevision && audit.revision_reason && { revisionReason: audit.revision_reason }),
      },
      after: { status: decision.to, revision },
    });
  });
  return decision.to;
}

/** Assigns an auditor to a process of the audit; refused when the auditor owns that process (9.2.2 c). */
export async function assignAuditor(db: Db, actor: Actor, audit: AuditRow, processId: number, auditorId: number) {
  assertEditable(audit);
  const process = await db
    .selectFrom('process')
    .leftJoin('app_user', 'app_user.id', 'process.owner_user_id')
    .select([
      'process.id',
      'process.name',
      'process.owner_user_id',
      (eb) => eb.fn.coalesce('app_user.display_name', 'process.owner_name').as('owner'),
    ])
    .where('process.organization_id', '=', actor.orgId)
    .where('process.id', '=', processId)
    .executeTakeFirst();
  const member = await db
    .selectFrom('membership')
    .select('role')
    .where('organization_id', '=', actor.orgId)
    .where('user_id', '=', auditorId)
    .executeTakeFirst();
  if (!process || !member) throw unprocessable('audits.errors.unknownScope');
  const verdict = checkImpartiality(auditorId, {
    id: process.id,
    name: process.name,
    ownerUserId: process.owner_user_id,
    ownerName: process.owner ?? '',
  });
  if (!verdict.ok)
    throw unprocessable('audits.errors.impartiality', { process: verdict.process, owner: verdict.owner });
  await db.transaction().execute(async (trx) => {
    const exists = await trx
      .selectFrom('audit_assignment')
      .select('audit_id')
      .where('audit_id', '=', audit.id)
      .where('process_id', '=', processId)
      .where('auditor_id', '=', auditorId)
      .executeTakeFirst();
    if (exists) return;
    await trx
      .insertInto('audit_assignment')
      .values({ audit_id: audit.id, process_id: processId, auditor_id: auditorId })
      .execute();
    const onTeam = await trx
      .selectFrom('audit_team')
      .select('user_id')
      .where('audit_id', '=', audit.id)
      .where('user_id', '=', auditorId)
      .executeTakeFirst();
    if (!onTeam) await trx.insertInto('audit_team').values({ audit_id: audit.id, user_id: auditorId }).execute();
    await recordTrail(trx, {
      orgId: actor.orgId,
      userId: actor.userId,
      action: 'create',
      entity: 'audit_assignment',
      entityId: `${audit.id}:${processId}:${auditorId}`,
      after: { processId, auditorId },
    });
  });
}

export async function unassignAuditor(db: Db, actor: Actor, audit: AuditRow, processId: number, auditorId: number) {
  assertEditable(audit);
  await db.transaction().execute(async (trx) => {
    const r = await trx
      .deleteFrom('audit_assignment')
      .where('audit_id', '=', audit.id)
      .where('process_id', '=', processId)
      .where('auditor_id', '=', auditorId)
      .executeTakeFirst();
    if (Number(r.numDeletedRows) === 0) throw notFound();
    await recordTrail(trx, {
      orgId: actor.orgId,
      userId: actor.userId,
      action: 'delete',
      entity: 'audit_assignment',
      entityId: `${audit.id}:${processId}:${auditorId}`,
      before: { processId, auditorId },
    });
  });
}

type Dated = Pick<AuditRow, 'planned_start' | 'planned_end' | 'actual_start' | 'actual_end'>;
const calendarDates = (a: Dated) => ({
  plannedStart: a.planned_start,
  plannedEnd: a.planned_end,
  actualStart: a.actual_start,
  actualEnd: a.actual_end,
});

export async function updateAudit(db: Db, actor: Actor, audit: AuditRow, patch: Record<string, unknown>) {
  assertEditable(audit);
  const map: Record<string, string> = {
    title: 'title',
    criteria: 'criteria',
    objectives: 'objectives',
    summary: 'summary',
    conclusion: 'conclusion',
    leadAuditorId: 'lead_auditor_id',
    plannedStart: 'planned_start',
    plannedEnd: 'planned_end',
    actualStart: 'actual_start',
    actualEnd: 'actual_end',
    auditClient: 'audit_client',
    auditeeRepresentative: 'auditee_representative',
    sites: 'sites_json',
    divergingOpinions: 'diverging_opinions_json',
    verifications: 'verifications_json',
    recommendation: 'recommendation',
    confidentiality: 'confidentiality',
    distribution: 'distribution_json',
    revisionReason: 'revision_reason',
  };
  // Lists are stored as JSON text.
  const set = Object.fromEntries(
    Object.entries(patch)
      .filter(([k, v]) => map[k] && v !== undefined)
      .map(([k, v]) => [map[k], Array.isArray(v) ? JSON.stringify(v) : v]),
  );
  if (Array.isArray(patch.verifications) && patch.verifications.length)
    await checkVerifications(db, actor.orgId, audit, patch.verifications as { findingId: number }[]);
  const team = Array.isArray(patch.team) ? (patch.team as number[]) : undefined;
  if (team?.length) {
    const found = await db
      .selectFrom('membership')
      .select('user_id')
      .where('organization_id', '=', actor.orgId)
      .where('user_id', 'in', team)
      .execute();
    if (found.length !== new Set(team).size) throw unprocessable('audits.errors.notMember');
  }
  if (typeof set.lead_auditor_id === 'number') {
    const m = await db
      .selectFrom('membership')
      .select('id')
      .where('organization_id', '=', actor.orgId)
      .where('user_id', '=', set.lead_auditor_id)
      .executeTakeFirst();
    if (!m) throw unprocessable('audits.errors.notMember');
  }
  // New days for the audit's calendar event: its SEQUENCE rises, so subscribed calendars move it.
  const moved = calendarMoved(calendarDates(audit), calendarDates({ ...audit, ...set } as typeof audit));
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('audit')
      .set((eb) => ({
        ...set,
        updated_at: nowIso(),
        ...(moved && { calendar_sequence: eb('calendar_sequence', '+', 1) }),
      }))
      .where('id', '=', audit.id)
      .execute();
    // The scope is planned under the audit row's lock taken just above (PostgreSQL; SQLite writes one at a time), from
    // the row as it is now: two scope changes, or a save racing one, never both act on the same answers.
    const now = patch.scope ? await getAudit(trx, actor.orgId, audit.id) : audit;
    const scope = patch.scope
      ? await planScope(trx, actor, now, patch.scope as ScopePatch, patch.confirmDrop === true)
      : null;
    const lead = 'lead_auditor_id' in set ? (set.lead_auditor_id as number | null) : audit.lead_auditor_id;
    // A new lead auditor joins the team; a team given replaces it (the lead always stays on it).
    const current = (
      await trx.selectFrom('audit_team').select('user_id').where('audit_id', '=', audit.id).execute()
    ).map((r) => r.user_id);
    if (team || lead !== audit.lead_auditor_id) await replaceTeam(trx, actor, audit, team ?? current, lead);
    if (scope) await applyScope(trx, actor, now, scope);
    if (Object.keys(set).length || !scope)
      await recordTrail(trx, {
        orgId: actor.orgId,
        userId: actor.userId,
        action: 'update',
        entity: 'audit',
        entityId: audit.id,
        before: Object.fromEntries(Object.keys(set).map((k) => [k, (audit as unknown as Record<string, unknown>)[k]])),
        after: set,
      });
  });
}

/** Verifications name nonconformities of the baseline audit (the one this audit follows up), once each. */
async function checkVerifications(db: Db, orgId: number, audit: AuditRow, list: { findingId: number }[]) {
  const ids = list.map((v) => v.findingId);
  if (audit.baseline_audit_id === null) throw unprocessable('audits.errors.noBaseline');
  const found = await db
    .selectFrom('finding')
    .select('id')
    .where('organization_id', '=', orgId)
    .where('audit_id', '=', audit.baseline_audit_id)
    .where('kind', '=', 'nonconformity')
    .where('id', 'in', ids)
    .execute();
  if (found.length !== ids.length || new Set(ids).size !== ids.length)
    throw unprocessable('audits.errors.verificationFinding');
}

/** Sets the audit team to `team` plus the lead auditor; assignments of people no longer on it go, in the trail. */
async function replaceTeam(trx: Db, actor: Actor, audit: AuditRow, team: number[], lead: number | null) {
  const wanted = new Set([...team, ...(lead ? [lead] : [])]);
  const before = (await trx.selectFrom('audit_team').select('user_id').where('audit_id', '=', audit.id).execute()).map(
    (r) => r.user_id,
  );
  const gone = before.filter((u) => !wanted.has(u));
  const added = [...wanted].filter((u) => !before.includes(u));
  if (gone.length === 0 && added.length === 0) return;
  if (gone.length) {
    const dropped = await trx
      .selectFrom('audit_assignment')
      .select(['process_id', 'auditor_id'])
      .where('audit_id', '=', audit.id)
      .where('auditor_id', 'in', gone)
      .execute();
    await trx.deleteFrom('audit_assignment').where('audit_id', '=', audit.id).where('auditor_id', 'in', gone).execute();
    for (const d of dropped)
      await recordTrail(trx, {
        orgId: actor.orgId,
        userId: actor.userId,
        action: 'delete',
        entity: 'audit_assignment',
        entityId: `${audit.id}:${d.process_id}:${d.auditor_id}`,
        before: { processId: d.process_id, auditorId: d.auditor_id },
      });
    await trx.deleteFrom('audit_team').where('audit_id', '=', audit.id).where('user_id', 'in', gone).execute();
  }
  if (added.length)
    await trx
      .insertInto('audit_team')
      .values(added.map((user_id) => ({ audit_id: audit.id, user_id })))
      .execute();
  await recordTrail(trx, {
    orgId: actor.orgId,
    userId: actor.userId,
    action: 'update',
    entity: 'audit_team',
    entityId: audit.id,
    before: { team: before },
    after: { team: [...wanted] },
  });
}

/** The answers of the audit as a scope change sees them (with how much evidence each has). */
type AnswerInScope = ScopedAnswer & { id: number; level: number | null; evidenceIds: number[] };

async function scopedAnswers(db: Db, audit: AuditRow): Promise<AnswerInScope[]> {
  const [rows, evidence] = await Promise.all([
    responseStates(db, audit),
    db
      .selectFrom('response_evidence as re')
      .innerJoin('audit_response as r', 'r.id', 're.response_id')
      .select(['re.response_id', 're.evidence_id'])
      .where('r.audit_id', '=', audit.id)
      .execute(),
  ]);
  const linked = new Map<number, number[]>();
  for (const e of evidence) linked.set(e.response_id, [...(linked.get(e.response_id) ?? []), e.evidence_id]);
  return rows.map((r) => ({
    id: r.id,
    requirementId: r.requirement_id,
    clauseId: r.clause_id,
    verdict: r.verdict,
    level: r.implementation_level,
    notes: r.notes,
    samples: r.samples,
    interviewees: r.interviewees,
    sample: r.sample_json,
    evidenceCount: linked.get(r.id)?.length ?? 0,
    evidenceIds: linked.get(r.id) ?? [],
  }));
}

export interface ScopePlan {
  clauses: string[];
  processes: number[];
  services: number[];
  add: string[];
  drop: AnswerInScope[];
}

/**
 * Checks a scope change of an open audit before anything is written: the processes and services are the
 * organisation's, the new scope holds checklist items, no finding stands on an item that would go, and answers with
 * something recorded go only when the caller confirmed it (409 naming them otherwise).
 */
export async function planScope(
  db: Db,
  actor: Actor,
  audit: AuditRow,
  input: ScopePatch,
  confirmDrop: boolean,
): Promise<ScopePlan> {
  // In reporting the findings are being written up from the answers: reopen the audit to change what it covers.
  if (!['planned', 'in_progress'].includes(audit.status))
    throw conflict('audits.errors.scopeNotOpen', { status: audit.status });
  const clauses = input.clauses
    ? effectiveScope(audit.type, input.clauses)
    : (JSON.parse(audit.scope_clauses) as string[]);
  const processes = input.processes ?? (JSON.parse(audit.scope_processes) as number[]);
  const services = input.services ?? (JSON.parse(audit.scope_services) as number[]);
  for (const [table, ids] of [
    ['process', processes],
    ['service', services],
  ] as const) {
    if (ids.length === 0) continue;
    const found = await db
      .selectFrom(table)
      .select('id')
      .where('organization_id', '=', actor.orgId)
      .where('id', 'in', ids)
      .execute();
    if (found.length !== new Set(ids).size) throw unprocessable('audits.errors.unknownScope');
  }
  const [answers, requirements] = await Promise.all([
    scopedAnswers(db, audit),
    db
      .selectFrom('requirement')
      .select(['id', 'clause_id as clauseId'])
      .where('version_id', '=', audit.checklist_version_id)
      .orderBy('position')
      .execute(),
  ]);
  if (!requirements.some((r) => clauses.some((c) => r.clauseId === c || r.clauseId.startsWith(`${c}.`))))
    throw unprocessable('audits.errors.emptyScope');
  const change = scopeChange(answers, requirements, clauses);
  const dropping = new Set(change.drop);
  const drop = answers.filter((a) => dropping.has(a.requirementId));
  if (drop.length) {
    // A finding raised on an item stays with that item: the item cannot leave the audit under it.
    const findings = await db
      .selectFrom('finding')
      .select(['ref', 'requirement_id'])
      .where('organization_id', '=', actor.orgId)
      .where('audit_id', '=', audit.id)
      .where('requirement_id', 'in', [...dropping])
      .orderBy('ref')
      .execute();
    if (findings.length)
      throw unprocessable(
        'audits.errors.scopeHasFindings',
        { count: findings.length, refs: findings.map((f) => `${f.ref} (${f.requirement_id})`).join(', ') },
        { findings: findings.map((f) => ({ ref: f.ref, requirementId: f.requirement_id })) },
      );
  }
  if (change.recorded.length && !confirmDrop)
    throw conflict(
      'audits.errors.scopeDropsAnswers',
      { count: change.recorded.length, items: change.recorded.map((a) => a.requirementId).join(', ') },
      {
        dropped: change.recorded.map((a) => ({
          requirementId: a.requirementId,
          clause: a.clauseId,
          verdict: a.verdict,
          notes: a.notes,
        })),
      },
    );
  return { clauses, processes, services, add: change.add, drop };
}

/**
 * Writes a planned scope change: the new scope, a "not assessed" answer for each item coming in, and the answers going
 * out deleted — each one with something recorded copied whole into the trail first, so nothing typed is lost.
 */
export async function applyScope(trx: Db, actor: Actor, audit: AuditRow, plan: ScopePlan) {
  const before = {
    clauses: JSON.parse(audit.scope_clauses) as string[],
    processes: JSON.parse(audit.scope_processes) as number[],
    services: JSON.parse(audit.scope_services) as number[],
  };
  await trx
    .updateTable('audit')
    .set({
      scope_clauses: JSON.stringify(plan.clauses),
      scope_processes: JSON.stringify(plan.processes),
      scope_services: JSON.stringify(plan.services),
    })
    .where('id', '=', audit.id)
    .execute();
  for (const a of plan.drop.filter(isRecorded))
    await recordTrail(trx, {
      orgId: actor.orgId,
      userId: actor.userId,
      action: 'delete',
      entity: 'audit_response',
      entityId: `${audit.id}:${a.requirementId}`,
      before: {
        verdict: a.verdict,
        level: a.level,
        notes: a.notes,
        samples: a.samples,
        interviewees: a.interviewees,
        ...(a.sample && { sample: JSON.parse(a.sample) }),
        evidenceIds: a.evidenceIds,
      },
    });
  const ids = plan.drop.map((a) => a.id);
  for (let i = 0; i < ids.length; i += 200) {
    const chunk = ids.slice(i, i + 200);
    await trx.deleteFrom('response_evidence').where('response_id', 'in', chunk).execute();
    await trx.deleteFrom('audit_response').where('audit_id', '=', audit.id).where('id', 'in', chunk).execute();
  }
  for (let i = 0; i < plan.add.length; i += 100) {
    await trx
      .insertInto('audit_response')
      .values(
        plan.add.slice(i, i + 100).map((requirement_id) => ({
          audit_id: audit.id,
          requirement_id,
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
    orgId: actor.orgId,
    userId: actor.userId,
    action: 'update',
    entity: 'audit',
    entityId: audit.id,
    before: { scope: before },
    after: {
      scope: { clauses: plan.clauses, processes: plan.processes, services: plan.services },
      added: plan.add,
      dropped: plan.drop.map((a) => a.requirementId),
    },
  });
}
