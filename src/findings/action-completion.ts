import { z } from 'zod';
import type { Db } from '../db/connect.js';
import { nowIso } from '../db/time.js';
import { recordTrail } from '../db/trail.js';
import type { Actor } from './queries.js';
import { id } from './schemas.js';

// A corrective action is completed with a note, the date it was done and the evidence that shows it (10.1.2: records
// of the actions taken); it can be handed to another member while it is still open.

const idList = z
  .union([id, z.array(id).max(20), z.literal('')])
  .optional()
  .transform((v) => (v === '' || v === undefined ? [] : Array.isArray(v) ? [...new Set(v)] : [v]));

export const CompletionInput = z.object({
  note: z.string().trim().min(1, { error: 'errors.required' }).max(5000, { error: 'errors.tooLong' }),
  completedOn: z.iso.date({ error: 'findings.errors.date' }),
  evidenceIds: idList,
});
export type CompletionInput = z.output<typeof CompletionInput>;

export const ReassignInput = z.object({ ownerUserId: id });

/** Evidence of the organisation among the ids given (others are refused as unknown). */
async function ownEvidence(db: Db, orgId: number, ids: readonly number[]) {
  if (!ids.length) return [];
  const rows = await db
    .selectFrom('evidence')
    .select('id')
    .where('organization_id', '=', orgId)
    .where('id', 'in', [...ids])
    .execute();
  return rows.map((r) => r.id);
}

export type CompletionOutcome = { ok: true } | { ok: false; field: 'evidenceIds' | 'completedOn' };

/** Marks the action done with its note, date and evidence, in one transaction with the audit trail. */
export async function completeAction(
  db: Db,
  actor: Actor,
  actionId: number,
  c: CompletionInput,
  today: string,
): Promise<CompletionOutcome> {
  if (c.completedOn > today) return { ok: false, field: 'completedOn' };
  const evidence = await ownEvidence(db, actor.orgId, c.evidenceIds);
  if (evidence.length !== c.evidenceIds.length) return { ok: false, field: 'evidenceIds' };
  await db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('action_item')
      .selectAll()
      .where('organization_id', '=', actor.orgId)
      .where('id', '=', actionId)
      .executeTakeFirstOrThrow();
    const now = nowIso();
    const set = {
      status: 'done',
      completed_at: before.completed_at ?? now,
      completed_on: c.completedOn,
      completion_note: c.note,
      updated_at: now,
    };
    await trx.updateTable('action_item').set(set).where('id', '=', actionId).execute();
    for (const evidenceId of evidence) {
      const linked = await trx
        .selectFrom('action_evidence')
        .select('action_id')
        .where('action_id', '=', actionId)
        .where('evidence_id', '=', evidenceId)
        .executeTakeFirst();
      if (!linked)
        await trx.insertInto('action_evidence').values({ action_id: actionId, evidence_id: evidenceId }).execute();
    }
    await recordTrail(trx, {
      orgId: actor.orgId,
      userId: actor.userId,
      action: 'update',
      entity: 'action',
      entityId: actionId,
      before: { status: before.status, completed_on: before.completed_on, completion_note: before.completion_note },
      after: { ...set, evidence },
    });
  });
  return { ok: true };
}

/** Hands the action to another member of the organisation; false when they are not one. */
export async function reassignAction(db: Db, actor: Actor, actionId: number, ownerUserId: number): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const member = await trx
      .selectFrom('membership')
      .select('user_id')
      .where('organization_id', '=', actor.orgId)
      .where('user_id', '=', ownerUserId)
      .executeTakeFirst();
    if (!member) return false;
    const before = await trx
      .selectFrom('action_item')
      .select('owner_user_id')
      .where('organization_id', '=', actor.orgId)
      .where('id', '=', actionId)
      .executeTakeFirstOrThrow();
    await trx
      .updateTable('action_item')
      .set({ owner_user_id: ownerUserId, updated_at: nowIso() })
      .where('id', '=', actionId)
      .execute();
    await recordTrail(trx, {
      orgId: actor.orgId,
      userId: actor.userId,
      action: 'update',
      entity: 'action',
      entityId: actionId,
      before,
      after: { owner_user_id: ownerUserId },
    });
    return true;
  });
}

/** The evidence linked to each of the given actions. */
export async function actionEvidence(db: Db, orgId: number, actionIds: readonly number[]) {
  const map = new Map<number, { id: number; title: string }[]>();
  if (!actionIds.length) return map;
  const rows = await db
    .selectFrom('action_evidence')
    .innerJoin('evidence', 'evidence.id', 'action_evidence.evidence_id')
    .select(['action_evidence.action_id', 'evidence.id', 'evidence.title'])
    .where('evidence.organization_id', '=', orgId)
    .where('action_evidence.action_id', 'in', [...actionIds])
    .orderBy('evidence.id')
    .execute();
  for (const r of rows) map.set(r.action_id, [...(map.get(r.action_id) ?? []), { id: r.id, title: r.title }]);
  return map;
}
