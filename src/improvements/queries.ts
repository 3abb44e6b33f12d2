import type { Selectable } from 'kysely';
import type { Db } from '../db/connect.js';
import type { ImprovementTable } from '../db/schema.js';
import { nowIso } from '../db/time.js';
import { recordTrail } from '../db/trail.js';
import type { Actor } from '../findings/queries.js';
import type { ImprovementInput } from './schemas.js';
import { nextRegisterSeq } from '../db/locks.js';

export type ImprovementRow = Selectable<ImprovementTable>;

export async function listImprovements(db: Db, orgId: number) {
  return db
    .selectFrom('improvement')
    .leftJoin('app_user as owner', 'owner.id', 'improvement.owner_user_id')
    .leftJoin('finding', 'finding.id', 'improvement.finding_id')
    .leftJoin('management_review', 'management_review.id', 'improvement.review_id')
    .selectAll('improvement')
    .select(['owner.display_name as owner_name', 'finding.ref as finding_ref', 'management_review.ref as review_ref'])
    .where('improvement.organization_id', '=', orgId)
    .orderBy('improvement.id', 'desc')
    .execute();
}
export type ImprovementListRow = Awaited<ReturnType<typeof listImprovements>>[number];

export async function getImprovement(db: Db, orgId: number, improvementId: number) {
  return (await listImprovements(db, orgId)).find((i) => i.id === improvementId);
}

/** The linked finding must be an OFI of the organisation, the linked review one of its reviews. */
export async function invalidSource(
  db: Db,
  orgId: number,
  i: Pick<ImprovementInput, 'findingId' | 'reviewId'>,
): Promise<string | null> {
  if (i.findingId !== null) {
    const f = await db
      .selectFrom('finding')
      .select('kind')
      .where('organization_id', '=', orgId)
      .where('id', '=', i.findingId)
      .executeTakeFirst();
    if (f?.kind !== 'ofi') return 'findingId';
  }
  if (i.reviewId !== null) {
    const r = await db
      .selectFrom('management_review')
      .select('id')
      .where('organization_id', '=', orgId)
      .where('id', '=', i.reviewId)
      .executeTakeFirst();
    if (!r) return 'reviewId';
  }
  return null;
}

const columns = (i: ImprovementInput) => ({
  title: i.title,
  description: i.description,
  source: i.source,
  finding_id: i.findingId,
  review_id: i.reviewId,
  evaluation_criteria: i.evaluationCriteria,
  decision: i.decision,
  decision_notes: i.decisionNotes,
  targets_json: JSON.stringify(i.targets),
  target: i.target,
  priority: i.priority,
  plan: i.plan,
  owner_user_id: i.ownerUserId,
  due_date: i.dueDate,
  status: i.status,
  measured_result: i.measuredResult,
  target_met: i.targetMet,
  sms_change: i.smsChange ? 1 : 0,
});

export async function createImprovement(db: Db, actor: Actor, i: ImprovementInput): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const seq = await nextRegisterSeq(trx, 'improvement', actor.orgId);
    const now = nowIso();
    const row = await trx
      .insertInto('improvement')
      .values({
        organization_id: actor.orgId,
        ref: `IMP-${seq}`,
        seq,
        ...columns(i),
        created_by: actor.userId,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordTrail(trx, {
      orgId: actor.orgId,
      userId: actor.userId,
      action: 'create',
      entity: 'improvement',
      entityId: row.id,
      after: row,
    });
    return row.id;
  });
}

export async function updateImprovement(db: Db, actor: Actor, improvementId: number, i: ImprovementInput) {
  await db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('improvement')
      .selectAll()
      .where('organization_id', '=', actor.orgId)
      .where('id', '=', improvementId)
      .executeTakeFirstOrThrow();
    const set = { ...columns(i), updated_at: nowIso() };
    await trx.updateTable('improvement').set(set).where('id', '=', improvementId).execute();
    await recordTrail(trx, {
      orgId: actor.orgId,
      userId: actor.userId,
      action: 'update',
      entity: 'improvement',
      entityId: improvementId,
      before,
      after: set,
    });
  });
}

/** The form's values for an existing improvement. */
export function improvementValues(r: ImprovementRow) {
  return {
    title: r.title,
    description: r.description,
    source: r.source,
    findingId: r.finding_id ?? '',
    reviewId: r.review_id ?? '',
    evaluationCriteria: r.evaluation_criteria,
    decision: r.decision,
    decisionNotes: r.decision_notes,
    targets: JSON.parse(r.targets_json) as string[],
    target: r.target,
    priority: r.priority,
    plan: r.plan,
    ownerUserId: r.owner_user_id ?? '',
    dueDate: r.due_date ?? '',
    status: r.status,
    measuredResult: r.measured_result,
    targetMet: r.target_met,
    smsChange: r.sms_change === 1 ? 'on' : '',
  };
}

export function improvementDto(r: ImprovementListRow) {
  return {
    id: r.id,
    ref: r.ref,
    title: r.title,
    description: r.description,
    source: r.source,
    finding: r.finding_id === null ? null : { id: r.finding_id, ref: r.finding_ref },
    review: r.review_id === null ? null : { id: r.review_id, ref: r.review_ref },
    evaluationCriteria: r.evaluation_criteria,
    decision: r.decision,
    decisionNotes: r.decision_notes,
    targets: JSON.parse(r.targets_json) as string[],
    target: r.target,
    priority: r.priority,
    plan: r.plan,
    owner: r.owner_user_id === null ? null : { id: r.owner_user_id, name: r.owner_name },
    dueDate: r.due_date,
    status: r.status,
    measuredResult: r.measured_result,
    targetMet: r.target_met || null,
    smsChange: r.sms_change === 1,
    createdAt: r.created_at,
  };
}
