import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { nowIso } from '../db/time.js';
import type { TrailEntry } from '../db/trail.js';
import type { NotificationKind } from '../domain/notifications.js';

type Trx = Kysely<Database>;
type Row = Record<string, unknown>;

/** One notification to insert: who, what kind, the values its text needs, and where it leads. */
export interface NotificationDraft {
  userId: number;
  orgId: number | null;
  kind: NotificationKind;
  params: Record<string, string | number | null>;
  url: string;
  /** Reminders only: unique per user, so a second insert of the same reminder is ignored. */
  dedupeKey?: string;
}

const obj = (v: unknown): Row => (v && typeof v === 'object' ? (v as Row) : {});
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) ? v : null);
const nums = (v: unknown): number[] => (Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number') : []);

/** Inserts notifications; reminders already present (same user and key) are skipped, not duplicated. */
export async function insertNotifications(db: Trx, drafts: NotificationDraft[]): Promise<number> {
  if (drafts.length === 0) return 0;
  const now = nowIso();
  const res = await db
    .insertInto('notification')
    .values(
      drafts.map((d) => ({
        user_id: d.userId,
        organization_id: d.orgId,
        kind: d.kind,
        params_json: JSON.stringify(d.params),
        url: d.url,
        dedupe_key: d.dedupeKey ?? null,
        created_at: now,
        read_at: null,
      })),
    )
    .onConflict((oc) => oc.columns(['user_id', 'dedupe_key']).doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0);
}

/** The notifications a recorded change causes: assignments, decisions on proposals, issued audits, reviews planned. */
export async function notificationsFor(db: Trx, e: TrailEntry): Promise<NotificationDraft[]> {
  const after = obj(e.after);
  const before = obj(e.before);
  const id = typeof e.entityId === 'number' ? e.entityId : Number(e.entityId);
  const orgId = e.orgId;
  switch (e.entity) {
    case 'finding': {
      const owner = num(after.owner_user_id);
      if (owner === null || (e.action === 'update' && before.owner_user_id === owner)) return [];
      if (e.action === 'update' && !('owner_user_id' in after)) return [];
      const f = await db.selectFrom('finding').select(['ref', 'kind']).where('id', '=', id).executeTakeFirst();
      if (!f) return [];
      return [
        {
          userId: owner,
          orgId,
          kind: 'nc_assigned',
          params: { ref: f.ref, findingKind: f.kind },
          url: `/findings/${id}`,
        },
      ];
    }
    case 'action': {
      const owner = num(after.owner_user_id);
      if (owner === null || (e.action === 'update' && before.owner_user_id === owner)) return [];
      const a = await db
        .selectFrom('action_item')
        .select(['ref', 'description', 'due_date', 'finding_id', 'review_id'])
        .where('id', '=', id)
        .executeTakeFirst();
      if (!a) return [];
      return [
        {
          userId: owner,
          orgId,
          kind: 'action_assigned',
          params: { ref: a.ref, description: a.description.slice(0, 200), due: a.due_date },
          url: actionUrl(id, a.finding_id, a.review_id),
        },
      ];
    }
    case 'audit': {
      if (e.action === 'create') {
        const members = new Set([num(after.leadAuditorId), ...nums(after.team)].filter((x): x is number => x !== null));
        return auditPeople(db, orgId, id, [...members], 'audit_assigned');
      }
      if (after.status === 'issued' && before.status !== 'issued') return auditIssued(db, orgId, id);
      return [];
    }
    case 'audit_team': {
      const had = new Set(nums(before.team));
      return auditPeople(
        db,
        orgId,
        id,
        nums(after.team).filter((u) => !had.has(u)),
        'audit_assigned',
      );
    }
    case 'nc_proposal': {
      if (e.action !== 'update' || (after.status !== 'accepted' && after.status !== 'returned')) return [];
      const p = await db
        .selectFrom('nc_proposal')
        .innerJoin('finding', 'finding.id', 'nc_proposal.finding_id')
        .select(['nc_proposal.proposed_by', 'nc_proposal.step', 'nc_proposal.comment', 'finding.ref', 'finding.id'])
        .where('nc_proposal.id', '=', id)
        .executeTakeFirst();
      if (!p?.proposed_by) return [];
      return [
        {
          userId: p.proposed_by,
          orgId,
          kind: after.status === 'accepted' ? 'proposal_accepted' : 'proposal_returned',
          params: { ref: p.ref, step: p.step, comment: p.comment.slice(0, 500) },
          url: `/findings/${p.id}#proposal-${id}`,
        },
      ];
    }
    case 'management_review': {
      if (e.action !== 'create' || orgId === null) return [];
      const heldOn = typeof after.held_on === 'string' ? after.held_on : null;
      if (!heldOn || heldOn < nowIso().slice(0, 10)) return []; // a review recorded afterwards was not "scheduled"
      const members = await db
        .selectFrom('membership')
        .select('user_id')
        .where('organization_id', '=', orgId)
        .execute();
      return members.map((m) => ({
        userId: m.user_id,
        orgId,
        kind: 'review_scheduled' as const,
        params: { ref: String(after.ref ?? ''), title: String(after.title ?? ''), date: heldOn },
        url: `/reviews/${id}`,
      }));
    }
    default:
      return [];
  }
}

export const actionUrl = (id: number, findingId: number | null, reviewId: number | null): string =>
  findingId ? `/findings/${findingId}#action-${id}` : reviewId ? `/reviews/${reviewId}` : '/actions';

async function auditPeople(
  db: Trx,
  orgId: number | null,
  auditId: number,
  users: number[],
  kind: NotificationKind,
): Promise<NotificationDraft[]> {
  if (users.length === 0) return [];
  const a = await db.selectFrom('audit').select(['title']).where('id', '=', auditId).executeTakeFirst();
  if (!a) return [];
  return users.map((userId) => ({ userId, orgId, kind, params: { title: a.title }, url: `/audits/${auditId}` }));
}

/** An issued audit concerns its lead and team, and the owners of the findings it raised (they act on them next). */
async function auditIssued(db: Trx, orgId: number | null, auditId: number): Promise<NotificationDraft[]> {
  const a = await db.selectFrom('audit').select(['lead_auditor_id']).where('id', '=', auditId).executeTakeFirst();
  if (!a) return [];
  const team = await db.selectFrom('audit_team').select('user_id').where('audit_id', '=', auditId).execute();
  const owners = await db
    .selectFrom('finding')
    .select('owner_user_id')
    .where('audit_id', '=', auditId)
    .where('owner_user_id', 'is not', null)
    .execute();
  const people = new Set(
    [a.lead_auditor_id, ...team.map((t) => t.user_id), ...owners.map((o) => o.owner_user_id)].filter(
      (x): x is number => x !== null,
    ),
  );
  return auditPeople(db, orgId, auditId, [...people], 'audit_issued');
}

/** The trail listener: a change's notifications are written in its transaction, never to the person who made it. */
export async function notifyOnTrail(db: Trx, e: TrailEntry): Promise<void> {
  const drafts = (await notificationsFor(db, e)).filter((d) => d.userId !== e.userId);
  await insertNotifications(db, drafts);
}
