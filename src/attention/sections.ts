import { type ExpressionBuilder, type RawBuilder, type SelectQueryBuilder, sql } from 'kysely';
import type { Db } from '../db/connect.js';
import type { Database } from '../db/schema.js';
import { toCount } from '../db/time.js';
import { addDays } from '../domain/due-dates.js';
import { can, type Permission, ROLES } from '../domain/permissions.js';
import type { AttentionScope } from './queries.js';

// "Needs attention" one section at a time, at any number of organisations (issues 18 and 20): each section is an
// exact COUNT and, when a limit is given, only its most urgent rows (ordered by due date, undated last, LIMIT n), so a
// consultant leading every audit of 2,000 clients reads twenty rows a section instead of every open item.
//
// Every organisation's today lies within a day of UTC's. A row due before `lo` (UTC's yesterday) is overdue in every
// organisation, one due from `hi` (UTC's tomorrow) on is overdue in none; the rows in between are few, and are always
// read too so that the caller can order them by the organisation's own today. With that, the first `limit` rows by
// due date plus the rows due in [lo, hi) always hold the `limit` most urgent ones (overdue first, then by due date).

export interface Window {
  lo: string;
  hi: string;
  limit?: number;
}
export const windowOf = (utcToday: string, limit?: number): Window => ({
  lo: addDays(utcToday, -1),
  hi: addDays(utcToday, 1),
  limit,
});

/** The roles holding a permission, for a membership condition in SQL. */
const rolesWith = (p: Permission): string[] => ROLES.filter((r) => can(r, p));

type Eb<T extends keyof Database> = ExpressionBuilder<Database, T>;
type OrgCol =
  | 'finding.organization_id'
  | 'action_item.organization_id'
  | 'audit.organization_id'
  | 'evidence.organization_id';

/**
 * The scope as a condition on a row's organisation: one organisation, or those the user is a member of (with a role
 * holding `permission` when given), as `IN (SELECT organization_id FROM membership …)` so either side can drive.
 */
export function scoped<T extends keyof Database>(
  eb: Eb<T>,
  col: OrgCol,
  scope: AttentionScope,
  permission?: Permission,
) {
  const e = eb as unknown as Eb<'finding'>;
  if (scope.kind === 'org') return e(col as 'finding.organization_id', '=', scope.orgId);
  let m = e
    .selectFrom('membership')
    .select('membership.organization_id')
    .where('membership.user_id', '=', scope.userId);
  if (permission) m = m.where('membership.role', 'in', rolesWith(permission));
  return e(col as 'finding.organization_id', 'in', m);
}

/**
 * Runs a section: the exact count, and the rows — all of them without a limit; with one, the first `limit` by the due
 * column (undated last) plus those due within the window where organisations' todays differ.
 */
// biome-ignore lint/suspicious/noExplicitAny: a section's query, whatever its tables and columns
type AnyQuery = SelectQueryBuilder<any, any, any>;
export async function section<R extends { id: number }>(
  db: Db,
  base: () => AnyQuery,
  rows: (q: AnyQuery) => AnyQuery,
  due: RawBuilder<unknown>,
  w: Window,
): Promise<{ count: number; rows: R[] }> {
  if (w.limit === undefined) {
    const all = (await rows(base()).execute()) as R[];
    return { count: all.length, rows: all };
  }
  // One pass over the section's rows: each numbered by due date (undated last) and counted with a window, then
  // the first `limit` and those due where organisations' todays differ are kept.
  const numbered = rows(base())
    .select([
      sql<number>`row_number() over (order by (${due}) is null, ${due})`.as('attention_rank'),
      sql<number>`count(*) over ()`.as('attention_total'),
      sql<string | null>`${due}`.as('attention_due'),
    ])
    .as('s');
  const kept = (await db
    .selectFrom(numbered)
    .selectAll()
    .where((eb) =>
      eb.or([
        eb('s.attention_rank', '<=', w.limit!),
        eb.and([eb('s.attention_due', '>=', w.lo), eb('s.attention_due', '<', w.hi)]),
      ]),
    )
    .execute()) as (R & { attention_total: unknown })[];
  return { count: kept.length ? toCount(kept[0]!.attention_total as number) : 0, rows: kept };
}

/**
 * Per organisation of the scope holding `permission`: the last management review held on or before `lo`, the first
 * after `hi`, and every review in between (for each organisation's own today) — one index seek each, whatever the
 * number of reviews.
 */
export async function reviewFacts(db: Db, scope: AttentionScope, w: Window) {
  const orgs = db.selectFrom('organization as o').select((eb) => [
    'o.id',
    eb
      .selectFrom('management_review as r')
      .select((e) => e.fn.max('r.held_on').as('d'))
      .whereRef('r.organization_id', '=', 'o.id')
      .where('r.held_on', '<', w.lo)
      .as('before'),
    eb
      .selectFrom('management_review as r')
      .select((e) => e.fn.min('r.held_on').as('d'))
      .whereRef('r.organization_id', '=', 'o.id')
      .where('r.held_on', '>=', w.hi)
      .as('after'),
  ]);
  const scopedOrgs =
    scope.kind === 'org'
      ? orgs.where('o.id', '=', scope.orgId)
      : orgs.where(
          'o.id',
          'in',
          db
            .selectFrom('membership')
            .select('membership.organization_id')
            .where('membership.user_id', '=', scope.userId)
            .where('membership.role', 'in', rolesWith('review.manage')),
        );
  const [rows, edge] = await Promise.all([
    scopedOrgs.execute(),
    db
      .selectFrom('management_review as r')
      .select(['r.id', 'r.organization_id', 'r.held_on'])
      .where('r.held_on', '>=', w.lo)
      .where('r.held_on', '<', w.hi)
      .where((eb) =>
        scope.kind === 'org'
          ? eb('r.organization_id', '=', scope.orgId)
          : eb(
              'r.organization_id',
              'in',
              eb
                .selectFrom('membership')
                .select('membership.organization_id')
                .where('membership.user_id', '=', scope.userId)
                .where('membership.role', 'in', rolesWith('review.manage')),
            ),
      )
      .orderBy('r.held_on')
      .execute(),
  ]);
  return { rows: rows as { id: number; before: string | null; after: string | null }[], edge };
}

/** The id of the review held on a date (the scheduled one a link opens). */
export async function reviewOn(db: Db, orgId: number, heldOn: string) {
  const r = await db
    .selectFrom('management_review')
    .select('id')
    .where('organization_id', '=', orgId)
    .where('held_on', '=', heldOn)
    .orderBy('id')
    .executeTakeFirst();
  return r?.id ?? null;
}

/**
 * Per organisation of the scope holding evidence.manage: its oldest next-review date (one index seek each); the
 * number of items past review is counted only for the organisations asked (those shown).
 */
export async function oldestEvidenceReview(db: Db, scope: AttentionScope) {
  const q = db.selectFrom('organization as o').select((eb) => [
    'o.id',
    eb
      .selectFrom('evidence as e')
      .select((e) => e.fn.min('e.next_review_on').as('d'))
      .whereRef('e.organization_id', '=', 'o.id')
      .where('e.next_review_on', 'is not', null)
      .as('oldest'),
  ]);
  const rows = await (scope.kind === 'org'
    ? q.where('o.id', '=', scope.orgId)
    : q.where(
        'o.id',
        'in',
        db
          .selectFrom('membership')
          .select('membership.organization_id')
          .where('membership.user_id', '=', scope.userId)
          .where('membership.role', 'in', rolesWith('evidence.manage')),
      )
  ).execute();
  return rows as { id: number; oldest: string | null }[];
}

/** Evidence items past review per organisation asked: before `lo` counted, from `lo` on by date (each org's today). */
export async function evidenceCounts(db: Db, orgIds: readonly number[], w: Window) {
  if (orgIds.length === 0) return [];
  const rows = await db
    .selectFrom('evidence')
    .select((eb) => [
      'evidence.organization_id',
      eb
        .case()
        .when('evidence.next_review_on', '<', w.lo)
        .then('')
        .else(eb.ref('evidence.next_review_on'))
        .end()
        .as('d'),
      eb.fn.countAll().as('n'),
    ])
    .where('evidence.organization_id', 'in', [...orgIds])
    .where('evidence.next_review_on', '<', w.hi)
    .groupBy(['evidence.organization_id', 'd'])
    .execute();
  return rows.map((r) => ({ orgId: r.organization_id, date: r.d as string, n: toCount(r.n) }));
}
