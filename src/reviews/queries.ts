import type { Db } from '../db/connect.js';
import { nowIso, toCount } from '../db/time.js';
import { recordTrail } from '../db/trail.js';
import { defaultReviewPeriod, type ReviewInputId } from '../domain/management-review.js';
import type { Actor } from '../findings/queries.js';
import type { FeedbackInput, OutputInput, ReviewInput, ReviewUpdate } from './schemas.js';
import { nextRegisterSeq, serialiseForOrganisation } from '../db/locks.js';

export async function listReviews(db: Db, orgId: number) {
  return db
    .selectFrom('management_review')
    .selectAll()
    .where('organization_id', '=', orgId)
    .orderBy('held_on', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

export async function getReview(db: Db, orgId: number, reviewId: number) {
  return db
    .selectFrom('management_review')
    .selectAll()
    .where('organization_id', '=', orgId)
    .where('id', '=', reviewId)
    .executeTakeFirst();
}
export type ReviewRow = NonNullable<Awaited<ReturnType<typeof getReview>>>;

export const narrativesOf = (r: Pick<ReviewRow, 'narratives_json'>) =>
  JSON.parse(r.narratives_json) as Partial<Record<ReviewInputId, string>>;

/** The latest review held before the given date (the one whose actions are input a). */
export async function previousReview(db: Db, orgId: number, heldOn: string, exceptId?: number) {
  let q = db
    .selectFrom('management_review')
    .selectAll()
    .where('organization_id', '=', orgId)
    .where('held_on', '<', heldOn);
  if (exceptId) q = q.where('id', '!=', exceptId);
  return q.orderBy('held_on', 'desc').orderBy('id', 'desc').executeTakeFirst();
}

export async function createReview(db: Db, actor: Actor, input: ReviewInput): Promise<number> {
  const prev = await previousReview(db, actor.orgId, input.heldOn);
  const p = defaultReviewPeriod(input.heldOn, prev?.held_on ?? null);
  return db.transaction().execute(async (trx) => {
    const seq = await nextRegisterSeq(trx, 'management_review', actor.orgId);
    const now = nowIso();
    const row = await trx
      .insertInto('management_review')
      .values({
        organization_id: actor.orgId,
        ref: `MR-${seq}`,
        seq,
        title: input.title,
        held_on: input.heldOn,
        period_start: input.periodStart ?? p.from,
        period_end: input.periodEnd ?? p.to,
        attendees: input.attendees,
        narratives_json: '{}',
        minutes: '',
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
      entity: 'management_review',
      entityId: row.id,
      after: row,
    });
    return row.id;
  });
}

export async function updateReview(db: Db, actor: Actor, review: ReviewRow, u: ReviewUpdate) {
  // A period bound sent empty goes back to its default (since the previous review): the period is never blank.
  const heldOn = u.heldOn ?? review.held_on;
  const cleared =
    u.periodStart === null || u.periodEnd === null
      ? defaultReviewPeriod(heldOn, (await previousReview(db, actor.orgId, heldOn, review.id))?.held_on ?? null)
      : null;
  await db.transaction().execute(async (trx) => {
    const set = {
      ...(u.title !== undefined && { title: u.title }),
      ...(u.heldOn !== undefined && { held_on: u.heldOn }),
      ...(u.periodStart !== undefined && { period_start: u.periodStart ?? cleared!.from }),
      ...(u.periodEnd !== undefined && { period_end: u.periodEnd ?? cleared!.to }),
      ...(u.attendees !== undefined && { attendees: u.attendees }),
      ...(u.minutes !== undefined && { minutes: u.minutes }),
      ...(u.narratives !== undefined && {
        narratives_json: JSON.stringify({ ...narrativesOf(review), ...u.narratives }),
      }),
      updated_at: nowIso(),
    };
    await trx.updateTable('management_review').set(set).where('id', '=', review.id).execute();
    await recordTrail(trx, {
      orgId: actor.orgId,
      userId: actor.userId,
      action: 'update',
      entity: 'management_review',
      entityId: review.id,
      before: review,
      after: set,
    });
  });
}

/** The outputs of a review: tracked actions. */
export async function reviewOutputs(db: Db, orgId: number, reviewId: number) {
  return db
    .selectFrom('action_item')
    .leftJoin('app_user as owner', 'owner.id', 'action_item.owner_user_id')
    .selectAll('action_item')
    .select('owner.display_name as owner_name')
    .where('action_item.organization_id', '=', orgId)
    .where('action_item.review_id', '=', reviewId)
    .orderBy('action_item.id')
    .execute();
}

export async function addOutput(db: Db, actor: Actor, review: ReviewRow, o: OutputInput): Promise<number> {
  return db.transaction().execute(async (trx) => {
    await serialiseForOrganisation(trx, actor.orgId);
    const n = await trx
      .selectFrom('action_item')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('review_id', '=', review.id)
      .executeTakeFirst();
    const now = nowIso();
    const row = await trx
      .insertInto('action_item')
      .values({
        organization_id: actor.orgId,
        ref: `${review.ref}/A${toCount(n?.n) + 1}`,
        finding_id: null,
        review_id: review.id,
        output_type: o.outputType,
        description: o.description,
        owner_user_id: o.ownerUserId,
        due_date: o.dueDate,
        status: 'planned',
        sms_change: o.outputType === 'sms_change' ? 1 : 0,
        round: 1,
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
    return row.id;
  });
}

// ---- 9.3 e) feedback register ----
export async function listFeedback(db: Db, orgId: number) {
  return db
    .selectFrom('feedback')
    .leftJoin('service', 'service.id', 'feedback.service_id')
    .selectAll('feedback')
    .select('service.name as service_name')
    .where('feedback.organization_id', '=', orgId)
    .orderBy('feedback.received_on', 'desc')
    .orderBy('feedback.id', 'desc')
    .execute();
}

export async function addFeedback(db: Db, actor: Actor, f: FeedbackInput): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('feedback')
      .values({
        organization_id: actor.orgId,
        received_on: f.receivedOn,
        party: f.party,
        party_name: f.partyName,
        kind: f.kind,
        summary: f.summary,
        service_id: f.serviceId,
        created_by: actor.userId,
        created_at: nowIso(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordTrail(trx, {
      orgId: actor.orgId,
      userId: actor.userId,
      action: 'create',
      entity: 'feedback',
      entityId: row.id,
      after: row,
    });
    return row.id;
  });
}

export async function removeFeedback(db: Db, actor: Actor, id: number): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const before = await trx
      .deleteFrom('feedback')
      .where('organization_id', '=', actor.orgId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    if (before)
      await recordTrail(trx, {
        orgId: actor.orgId,
        userId: actor.userId,
        action: 'delete',
        entity: 'feedback',
        entityId: id,
        before,
      });
    return Boolean(before);
  });
}
