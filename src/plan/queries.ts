import type { Selectable } from 'kysely';
import type { Db } from '../db/connect.js';
import type { AuditPlanSessionTable } from '../db/schema.js';
import { nowIso } from '../db/time.js';
import { recordTrail } from '../db/trail.js';
import { type PlanSession, type SessionKind, changedFields, timetableOrder } from '../domain/audit-plan.js';
import { isAuditStatus, isEditable } from '../domain/audit-status.js';
import { within } from '../domain/checklist-pages.js';
import { conflict, notFound, unprocessable } from '../web/errors.js';
import type { SessionInput, SessionPatch } from './schemas.js';

export interface PlanAudit {
  id: number;
  organization_id: number;
  status: string;
  scope_clauses: string;
}
interface Actor {
  orgId: number;
  userId: number;
}

const parse = <T>(s: string): T => JSON.parse(s) as T;
export function sessionOf(r: Selectable<AuditPlanSessionTable>): PlanSession {
  return {
    id: r.id,
    kind: r.kind as SessionKind,
    date: r.session_date,
    start: r.start_time,
    end: r.end_time,
    place: r.place,
    clauses: parse<string[]>(r.clauses_json),
    processIds: parse<number[]>(r.process_ids_json),
    auditorIds: parse<number[]>(r.auditor_ids_json),
    auditees: parse<string[]>(r.auditees_json),
    attendance: parse<string[]>(r.attendance_json),
  };
}
const columnsOf = (s: Omit<PlanSession, 'id'>) => ({
  kind: s.kind,
  session_date: s.date,
  start_time: s.start,
  end_time: s.end,
  place: s.place,
  clauses_json: JSON.stringify(s.clauses),
  process_ids_json: JSON.stringify(s.processIds),
  auditor_ids_json: JSON.stringify(s.auditorIds),
  auditees_json: JSON.stringify(s.auditees),
  attendance_json: JSON.stringify(s.attendance),
});

/** The plan's sessions in timetable order. */
export async function listSessions(db: Db, auditId: number): Promise<PlanSession[]> {
  const rows = await db.selectFrom('audit_plan_session').selectAll().where('audit_id', '=', auditId).execute();
  return timetableOrder(rows.map(sessionOf));
}

export async function getSession(db: Db, auditId: number, sessionId: number): Promise<PlanSession> {
  const r = await db
    .selectFrom('audit_plan_session')
    .selectAll()
    .where('audit_id', '=', auditId)
    .where('id', '=', sessionId)
    .executeTakeFirst();
  if (!r) throw notFound();
  return sessionOf(r);
}

/** When the plan was first shared with the auditee (null while it is a draft), and how often since. */
export async function planShared(db: Db, auditId: number) {
  const rows = await db
    .selectFrom('audit_plan_share as s')
    .leftJoin('app_user as u', 'u.id', 's.shared_by')
    .select(['s.shared_at', 'u.display_name'])
    .where('s.audit_id', '=', auditId)
    .orderBy('s.shared_at')
    .orderBy('s.id')
    .execute();
  return {
    firstAt: rows[0]?.shared_at ?? null,
    lastAt: rows[rows.length - 1]?.shared_at ?? null,
    lastBy: rows[rows.length - 1]?.display_name ?? null,
    times: rows.length,
  };
}

export interface PlanDeviation {
  sessionId: number;
  action: 'create' | 'update' | 'delete';
  before: PlanSession | null;
  after: PlanSession | null;
  fields: string[];
  changedBy: string | null;
  changedAt: string;
}

/** Changes made to the plan after it was shared: the deviations from the plan the audit report lists. */
export async function planDeviations(db: Db, auditId: number): Promise<PlanDeviation[]> {
  const rows = await db
    .selectFrom('audit_plan_change as c')
    .leftJoin('app_user as u', 'u.id', 'c.changed_by')
    .select(['c.session_id', 'c.action', 'c.before_json', 'c.after_json', 'c.changed_at', 'u.display_name'])
    .where('c.audit_id', '=', auditId)
    .orderBy('c.changed_at')
    .orderBy('c.id')
    .execute();
  return rows.map((r) => {
    const before = r.before_json ? parse<PlanSession>(r.before_json) : null;
    const after = r.after_json ? parse<PlanSession>(r.after_json) : null;
    return {
      sessionId: r.session_id,
      action: r.action as PlanDeviation['action'],
      before,
      after,
      fields: before && after ? changedFields(before, after) : [],
      changedBy: r.display_name,
      changedAt: r.changed_at,
    };
  });
}

function assertOpen(audit: PlanAudit) {
  const status = isAuditStatus(audit.status) ? audit.status : 'planned';
  // The same answer as every other write to an issued revision (issue 15).
  if (!isEditable(status)) throw conflict('audits.errors.readOnly', { status: audit.status });
}

/** The people and processes a session names belong to the organisation; its clauses lie within the audit's scope. */
async function checkReferences(db: Db, audit: PlanAudit, s: Omit<PlanSession, 'id'>) {
  const scope = parse<string[]>(audit.scope_clauses);
  const outside = s.clauses.filter((c) => !scope.some((x) => within(c, x)));
  if (outside.length) throw unprocessable('plan.errors.clauseOutOfScope', { clauses: outside.join(', ') });
  if (s.processIds.length) {
    const found = await db
      .selectFrom('process')
      .select('id')
      .where('organization_id', '=', audit.organization_id)
      .where('id', 'in', s.processIds)
      .execute();
    if (found.length !== new Set(s.processIds).size) throw unprocessable('plan.errors.unknownProcess');
  }
  if (s.auditorIds.length) {
    const found = await db
      .selectFrom('membership')
      .select('user_id')
      .where('organization_id', '=', audit.organization_id)
      .where('user_id', 'in', s.auditorIds)
      .execute();
    if (found.length !== new Set(s.auditorIds).size) throw unprocessable('plan.errors.notMember');
  }
}

async function recordChange(
  trx: Db,
  actor: Actor,
  auditId: number,
  sessionId: number,
  action: 'create' | 'update' | 'delete',
  before: PlanSession | null,
  after: PlanSession | null,
) {
  const now = nowIso();
  await recordTrail(trx, {
    orgId: actor.orgId,
    userId: actor.userId,
    action,
    entity: 'audit_plan_session',
    entityId: `${auditId}:${sessionId}`,
    before: before ?? undefined,
    after: after ?? undefined,
  });
  const shared = await trx
    .selectFrom('audit_plan_share')
    .select('id')
    .where('audit_id', '=', auditId)
    .limit(1)
    .executeTakeFirst();
  if (!shared) return;
  await trx
    .insertInto('audit_plan_change')
    .values({
      audit_id: auditId,
      session_id: sessionId,
      action,
      before_json: before ? JSON.stringify(before) : null,
      after_json: after ? JSON.stringify(after) : null,
      changed_by: actor.userId,
      changed_at: now,
    })
    .execute();
}

export async function createSession(db: Db, actor: Actor, audit: PlanAudit, input: SessionInput) {
  assertOpen(audit);
  await checkReferences(db, audit, input);
  return db.transaction().execute(async (trx) => {
    const now = nowIso();
    const { id } = await trx
      .insertInto('audit_plan_session')
      .values({ audit_id: audit.id, ...columnsOf(input), created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    const after = { id, ...input };
    await recordChange(trx, actor, audit.id, id, 'create', null, after);
    return after;
  });
}

export async function updateSession(db: Db, actor: Actor, audit: PlanAudit, sessionId: number, patch: SessionPatch) {
  assertOpen(audit);
  const before = await getSession(db, audit.id, sessionId);
  const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
  const after: PlanSession = { ...before, ...defined, id: before.id };
  if (after.end <= after.start) throw unprocessable('plan.errors.endBeforeStart');
  await checkReferences(db, audit, after);
  if (changedFields(before, after).length === 0) return after;
  // Another day or other times: the session's calendar event moves, so its SEQUENCE rises (RFC 5545 3.8.7.4).
  const moved = before.date !== after.date || before.start !== after.start || before.end !== after.end;
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('audit_plan_session')
      .set((eb) => ({
        ...columnsOf(after),
        updated_at: nowIso(),
        ...(moved && { calendar_sequence: eb('calendar_sequence', '+', 1) }),
      }))
      .where('id', '=', sessionId)
      .where('audit_id', '=', audit.id)
      .execute();
    await recordChange(trx, actor, audit.id, sessionId, 'update', before, after);
  });
  return after;
}

export async function deleteSession(db: Db, actor: Actor, audit: PlanAudit, sessionId: number) {
  assertOpen(audit);
  const before = await getSession(db, audit.id, sessionId);
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('audit_plan_session').where('id', '=', sessionId).where('audit_id', '=', audit.id).execute();
    await recordChange(trx, actor, audit.id, sessionId, 'delete', before, null);
  });
  return before;
}

/** Records that the plan was sent to the auditee: from now on every change is kept as a deviation. */
export async function sharePlan(db: Db, actor: Actor, audit: PlanAudit) {
  assertOpen(audit);
  const sessions = await listSessions(db, audit.id);
  if (sessions.length === 0) throw unprocessable('plan.errors.emptyPlan');
  await db.transaction().execute(async (trx) => {
    const now = nowIso();
    await trx
      .insertInto('audit_plan_share')
      .values({ audit_id: audit.id, shared_at: now, shared_by: actor.userId })
      .execute();
    await recordTrail(trx, {
      orgId: actor.orgId,
      userId: actor.userId,
      action: 'update',
      entity: 'audit_plan',
      entityId: audit.id,
      after: { sharedAt: now, sessions: sessions.length },
    });
  });
}
