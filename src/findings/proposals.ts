import type { Db } from '../db/connect.js';
import { nowIso } from '../db/time.js';
import { recordTrail } from '../db/trail.js';
import type { TransitionFields } from '../domain/nonconformity.js';
import { type ProposalStep, STEP_TARGET } from '../domain/proposal.js';
import { conflict } from '../web/errors.js';
import { runTransition, type TransitionOutcome } from './lifecycle.js';
import type { Actor } from './queries.js';

/** The proposals of a nonconformity, oldest first, with who proposed and who decided. */
export async function listProposals(db: Db, orgId: number, findingId: number) {
  const rows = await db
    .selectFrom('nc_proposal')
    .leftJoin('app_user as proposer', 'proposer.id', 'nc_proposal.proposed_by')
    .leftJoin('app_user as decider', 'decider.id', 'nc_proposal.decided_by')
    .selectAll('nc_proposal')
    .select(['proposer.display_name as proposer_name', 'decider.display_name as decider_name'])
    .where('nc_proposal.organization_id', '=', orgId)
    .where('nc_proposal.finding_id', '=', findingId)
    .orderBy('nc_proposal.id')
    .execute();
  return rows.map(({ fields_json, ...r }) => ({ ...r, fields: JSON.parse(fields_json) as TransitionFields }));
}
export type ProposalRow = Awaited<ReturnType<typeof listProposals>>[number];

export async function getProposal(db: Db, orgId: number, proposalId: number) {
  return db
    .selectFrom('nc_proposal')
    .selectAll()
    .where('organization_id', '=', orgId)
    .where('id', '=', proposalId)
    .executeTakeFirst();
}

/** The owner acknowledges the nonconformity (once; later calls keep the first acknowledgement). */
export async function acknowledge(db: Db, actor: Actor, findingId: number) {
  await db.transaction().execute(async (trx) => {
    const now = nowIso();
    const r = await trx
      .updateTable('finding')
      .set({ acknowledged_at: now, acknowledged_by: actor.userId })
      .where('organization_id', '=', actor.orgId)
      .where('id', '=', findingId)
      .where('acknowledged_at', 'is', null)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) > 0)
      await recordTrail(trx, {
        orgId: actor.orgId,
        userId: actor.userId,
        action: 'update',
        entity: 'finding',
        entityId: findingId,
        before: { acknowledged_at: null },
        after: { acknowledged_at: now, acknowledged_by: actor.userId },
      });
  });
}

/** Records a proposal; an earlier pending proposal of the same step is superseded by it. */
export async function createProposal(
  db: Db,
  actor: Actor,
  finding: { id: number; round: number },
  step: ProposalStep,
  fields: TransitionFields,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const now = nowIso();
    await trx
      .updateTable('nc_proposal')
      .set({ status: 'superseded', decided_at: now, decided_by: actor.userId })
      .where('finding_id', '=', finding.id)
      .where('step', '=', step)
      .where('status', '=', 'pending')
      .execute();
    const row = await trx
      .insertInto('nc_proposal')
      .values({
        organization_id: actor.orgId,
        finding_id: finding.id,
        step,
        round: finding.round,
        fields_json: JSON.stringify(fields),
        status: 'pending',
        proposed_by: actor.userId,
        proposed_at: now,
        decided_by: null,
        decided_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordTrail(trx, {
      orgId: actor.orgId,
      userId: actor.userId,
      action: 'create',
      entity: 'nc_proposal',
      entityId: row.id,
      after: row,
    });
    return row.id;
  });
}

/** Decides a proposal only while it is pending: of two auditors deciding at once, the second is told it was decided. */
async function decidePending(
  trx: Db,
  id: number,
  set: { status: string; decided_by: number; decided_at: string; comment: string },
) {
  const r = await trx
    .updateTable('nc_proposal')
    .set(set)
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) throw conflict('proposals.alreadyDecided');
}

/** Returns a pending proposal to its author with a comment. */
export async function returnProposal(db: Db, actor: Actor, proposalId: number, comment: string) {
  await db.transaction().execute(async (trx) => {
    const set = { status: 'returned', decided_by: actor.userId, decided_at: nowIso(), comment };
    await decidePending(trx, proposalId, set);
    await recordTrail(trx, {
      orgId: actor.orgId,
      userId: actor.userId,
      action: 'update',
      entity: 'nc_proposal',
      entityId: proposalId,
      before: { status: 'pending' },
      after: set,
    });
  });
}

/** Accepts a pending proposal: the lifecycle moves exactly as if the step were recorded, in the same transaction. */
export async function acceptProposal(
  db: Db,
  actor: Actor,
  p: { id: number; finding_id: number; step: string; fields_json: string },
  comment: string,
): Promise<TransitionOutcome> {
  const step = p.step as ProposalStep;
  const fields = JSON.parse(p.fields_json) as TransitionFields;
  return runTransition(db, actor, p.finding_id, STEP_TARGET[step], fields, async (trx) => {
    const set = { status: 'accepted', decided_by: actor.userId, decided_at: nowIso(), comment };
    await decidePending(trx, p.id, set);
    await recordTrail(trx, {
      orgId: actor.orgId,
      userId: actor.userId,
      action: 'update',
      entity: 'nc_proposal',
      entityId: p.id,
      before: { status: 'pending' },
      after: set,
    });
  });
}
