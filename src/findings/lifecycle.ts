import type { Db } from '../db/connect.js';
import { nowIso } from '../db/time.js';
import { recordTrail } from '../db/trail.js';
import {
  type ActionStatus,
  decideTransition,
  isNcStatus,
  type NcSnapshot,
  type NcStatus,
  type Refusal,
  type TransitionFields,
} from '../domain/nonconformity.js';
import { PROPOSAL_STEPS, STEP_TARGET } from '../domain/proposal.js';
import type { Actor, FindingRow } from './queries.js';

/** The corrective actions of a nonconformity (all rounds), oldest first. */
export async function correctiveActions(db: Db, orgId: number, findingId: number) {
  return db
    .selectFrom('action_item')
    .leftJoin('app_user as owner', 'owner.id', 'action_item.owner_user_id')
    .selectAll('action_item')
    .select('owner.display_name as owner_name')
    .where('action_item.organization_id', '=', orgId)
    .where('action_item.finding_id', '=', findingId)
    .orderBy('action_item.id')
    .execute();
}
export type ActionRow = Awaited<ReturnType<typeof correctiveActions>>[number];

export async function timeline(db: Db, orgId: number, findingId: number) {
  const rows = await db
    .selectFrom('nc_transition')
    .leftJoin('app_user', 'app_user.id', 'nc_transition.user_id')
    .select([
      'nc_transition.id',
      'nc_transition.from_status',
      'nc_transition.to_status',
      'nc_transition.requested',
      'nc_transition.round',
      'nc_transition.fields_json',
      'nc_transition.at',
      'nc_transition.user_id',
      'app_user.display_name as user_name',
    ])
    .where('nc_transition.organization_id', '=', orgId)
    .where('nc_transition.finding_id', '=', findingId)
    .orderBy('nc_transition.id')
    .execute();
  return rows.map(({ fields_json, ...r }) => ({ ...r, fields: JSON.parse(fields_json) as Record<string, unknown> }));
}
export type TimelineEntry = Awaited<ReturnType<typeof timeline>>[number];

export const ncStatusOf = (f: Pick<FindingRow, 'status'>): NcStatus => (isNcStatus(f.status) ? f.status : 'open');

export function snapshotOf(f: FindingRow, actions: readonly ActionRow[]): NcSnapshot {
  return {
    status: ncStatusOf(f),
    round: f.round,
    actions: actions.map((a) => ({
      ownerUserId: a.owner_user_id,
      status: a.status as ActionStatus,
      round: a.round,
      smsChange: a.sms_change === 1,
      ref: a.ref,
    })),
  };
}

export type TransitionOutcome =
  | { ok: true }
  | ({ ok: false } & Refusal)
  | { ok: false; reason: 'ownerNotMember'; fields: string[] };

/**
 * Runs one transition: decides it with the pure lifecycle, then (in one transaction) records it on the timeline,
 * updates the nonconformity, creates the planned actions, and writes the audit trail.
 */
export async function runTransition(
  db: Db,
  actor: Actor,
  findingId: number,
  to: NcStatus,
  fields: TransitionFields,
  /** Runs inside the transaction once the transition is recorded (accepting a proposal marks it accepted). */
  after?: (trx: Db) => Promise<void>,
): Promise<TransitionOutcome> {
  return db.transaction().execute(async (trx) => {
    const f = await trx
      .selectFrom('finding')
      .selectAll()
      .where('organization_id', '=', actor.orgId)
      .where('id', '=', findingId)
      .where('kind', '=', 'nonconformity')
      .executeTakeFirstOrThrow();
    const actions = await correctiveActions(trx, actor.orgId, findingId);
    const d = decideTransition(snapshotOf(f, actions), to, fields, actor.userId);
    if (!d.ok) {
      const { ok: _ok, ...refusal } = d;
      return { ok: false, ...refusal } as TransitionOutcome;
    }
    const now = nowIso();
    const planned = to === 'actions_planned' ? (fields.actions ?? []) : [];
    if (planned.length) {
      const members = await trx
        .selectFrom('membership')
        .select('user_id')
        .where('organization_id', '=', actor.orgId)
        .execute();
      const bad = planned.flatMap((a, i) =>
        members.some((m) => m.user_id === a.ownerUserId) ? [] : [`actions.${i}.ownerUserId`],
      );
      if (bad.length) return { ok: false, reason: 'ownerNotMember', fields: bad };
    }
    const created: string[] = [];
    for (const [i, a] of planned.entries()) {
      const ref = `${f.ref}/A${actions.length + i + 1}`;
      const row = await trx
        .insertInto('action_item')
        .values({
          organization_id: actor.orgId,
          ref,
          finding_id: f.id,
          review_id: null,
          output_type: null,
          description: a.description!.trim(),
          owner_user_id: a.ownerUserId ?? null,
          due_date: a.dueDate ?? null,
          status: 'planned',
          sms_change: a.smsChange ? 1 : 0,
          round: d.round,
          created_by: actor.userId,
          created_at: now,
          updated_at: now,
          completed_at: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordTrail(trx, {
        orgId: actor.orgId,
        userId: actor.userId,
        action: 'create',
        entity: 'action',
        entityId: row.id,
        after: row,
      });
      created.push(ref);
    }
    const recorded = created.length ? { ...d.recorded, actionRefs: created } : d.recorded;
    await trx
      .insertInto('nc_transition')
      .values({
        organization_id: actor.orgId,
        finding_id: f.id,
        from_status: d.from,
        to_status: d.to,
        requested: to,
        round: d.round,
        fields_json: JSON.stringify(recorded),
        user_id: actor.userId,
        at: now,
      })
      .execute();
    const set = { status: d.to, round: d.round, updated_at: now, closed_at: d.to === 'closed' ? now : null };
    await trx.updateTable('finding').set(set).where('id', '=', f.id).execute();
    await recordTrail(trx, {
      orgId: actor.orgId,
      userId: actor.userId,
      action: 'update',
      entity: 'finding',
      entityId: f.id,
      before: { status: f.status, round: f.round },
      after: { status: d.to, round: d.round, transition: to, fields: recorded },
    });
    if (after) await after(trx);
    // A step recorded (or the nonconformity reopened) leaves the owner's pending proposals for it without object.
    const stale = to === 'open' ? [...PROPOSAL_STEPS] : PROPOSAL_STEPS.filter((s) => STEP_TARGET[s] === to);
    if (stale.length)
      await trx
        .updateTable('nc_proposal')
        .set({ status: 'superseded', decided_at: now, decided_by: actor.userId })
        .where('finding_id', '=', f.id)
        .where('status', '=', 'pending')
        .where('step', 'in', stale)
        .execute();
    return { ok: true };
  });
}

/** Corrective actions change status only while the nonconformity is in planning; review outputs at any time. */
export function actionEditable(ncStatus: string | null): boolean {
  return ncStatus === null || ncStatus === 'actions_planned';
}

export async function getAction(db: Db, orgId: number, actionId: number) {
  return db
    .selectFrom('action_item')
    .leftJoin('finding', 'finding.id', 'action_item.finding_id')
    .leftJoin('app_user as owner', 'owner.id', 'action_item.owner_user_id')
    .selectAll('action_item')
    .select(['finding.status as nc_status', 'owner.display_name as owner_name'])
    .where('action_item.organization_id', '=', orgId)
    .where('action_item.id', '=', actionId)
    .executeTakeFirst();
}

export async function updateActionStatus(db: Db, actor: Actor, actionId: number, status: ActionStatus) {
  await db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('action_item')
      .selectAll()
      .where('organization_id', '=', actor.orgId)
      .where('id', '=', actionId)
      .executeTakeFirstOrThrow();
    const now = nowIso();
    // Completion is when the action was done; a cancelled action was never completed.
    const set = { status, updated_at: now, completed_at: status === 'done' ? (before.completed_at ?? now) : null };
    await trx.updateTable('action_item').set(set).where('id', '=', actionId).execute();
    await recordTrail(trx, {
      orgId: actor.orgId,
      userId: actor.userId,
      action: 'update',
      entity: 'action',
      entityId: actionId,
      before: { status: before.status },
      after: { status },
    });
  });
}
