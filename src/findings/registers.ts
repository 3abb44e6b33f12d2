import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { Db } from '../db/connect.js';
import type { Database } from '../db/schema.js';
import { toCount } from '../db/time.js';
import { daysOpen, daysOverdue, isOverdue } from '../domain/due-dates.js';
import type { RegisterQuery } from './schemas.js';

/** The organisations a user is a member of: the cross-organisation registers show only these. */
export async function memberOrgs(db: Db, userId: number) {
  return db
    .selectFrom('membership')
    .innerJoin('organization', 'organization.id', 'membership.organization_id')
    .select(['organization.id', 'organization.name', 'organization.code', 'membership.role'])
    .where('membership.user_id', '=', userId)
    .orderBy('organization.name')
    .execute();
}

/** How many organisations a user is a member of (a consultant may have thousands: not worth listing per page). */
export async function memberOrgCount(db: Db, userId: number): Promise<number> {
  const r = await db
    .selectFrom('membership')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return toCount(r?.n);
}

/** Whether the user is a member of the organisation. */
export async function isMemberOf(db: Db, userId: number, orgId: number): Promise<boolean> {
  const r = await db
    .selectFrom('membership')
    .select('organization_id')
    .where('user_id', '=', userId)
    .where('organization_id', '=', orgId)
    .executeTakeFirst();
  return r !== undefined;
}

/** One of the user's organisations by its code (the register's filter when there are too many to list), or null. */
export async function memberOrgByCode(db: Db, userId: number, code: string): Promise<number | null> {
  const r = await db
    .selectFrom('organization')
    .innerJoin('membership', 'membership.organization_id', 'organization.id')
    .select('organization.id')
    .where('membership.user_id', '=', userId)
    .where('organization.code', '=', code)
    .executeTakeFirst();
  return r?.id ?? null;
}

/**
 * A register page counts at most this many rows and then says "more than": counting every row of a consultant's
 * 400,000 nonconformities cost a scan that grew with the data on every page (issue 20).
 */
export const COUNT_CAP = 1000;
/** How many rows a filtered register holds: exact up to COUNT_CAP, then `more`. */
export interface RegisterTotal {
  n: number;
  more: boolean;
}
const capped = (n: number): RegisterTotal => ({ n: Math.min(n, COUNT_CAP), more: n > COUNT_CAP });

/**
 * Whose register: the given organisations. `memberOf` says they are all of that user's organisations: the row queries
 * then say so with EXISTS (membership) instead of a list of ids. With a long list of ids SQLite reads and sorts every
 * row of every organisation to show one page; with EXISTS it walks the register index in display order and stops at
 * the end of the page (007_performance_indexes). Counting is cheaper with the list (an index-only scan); for all of a
 * user's organisations the list comes from a subquery on membership, not from thousands of bound ids.
 */
export interface RegisterScope {
  orgIds: readonly number[];
  memberOf?: number;
  /**
   * With `memberOf`, how many organisations that is, when `orgIds` does not list them (reading a consultant's 2,000
   * membership ids on every page view cost more than the page's rows, issue 20).
   */
  memberCount?: number;
}
/** No organisation at all: nothing to read. */
const noOrgs = (s: RegisterScope) => s.orgIds.length === 0 && !s.memberCount;
/** One page of a register; without it, every row (the API). */
export interface Paging {
  limit: number;
  offset: number;
}
/** A place in the nonconformity register: the sort key of a row (raised on, then id; newest first). */
export interface NcCursor {
  raisedOn: string;
  id: number;
}
/**
 * A page of the nonconformity register by keyset (issue 20): the rows after (older than) or before (newer than) a
 * cursor. The database seeks to the cursor in the register index instead of reading and skipping every row of the
 * pages before it, so page 400 costs what page 1 costs. The cursor is only a position: the organisation scope and
 * filters still decide which rows exist, so a cursor taken from another organisation's row shows none of its rows.
 */
export interface KeysetPaging {
  limit: number;
  after?: NcCursor;
  before?: NcCursor;
}
interface Filter {
  scope: RegisterScope;
  q: RegisterQuery;
  userId: number;
  today: string;
  byMembership: boolean;
}

/** "active" means every status but closed / done / cancelled. */
const ACTIVE = 'active';
/** Statuses after which nothing is due: isOverdue (src/domain/due-dates.ts) in SQL, so the overdue filter can page. */
const FINISHED = ['closed', 'done', 'cancelled', 'rejected', 'implemented'];

function ncConditions(eb: ExpressionBuilder<Database, 'finding'>, { scope, q, userId, today, byMembership }: Filter) {
  const c: Expression<SqlBool>[] = [eb('finding.kind', '=', 'nonconformity')];
  c.push(
    byMembership && scope.memberOf !== undefined
      ? eb.exists(
          eb
            .selectFrom('membership')
            .select('membership.id')
            .whereRef('membership.organization_id', '=', 'finding.organization_id')
            .where('membership.user_id', '=', scope.memberOf),
        )
      : scope.memberOf !== undefined
        ? eb(
            'finding.organization_id',
            'in',
            eb.selectFrom('membership').select('membership.organization_id').where('user_id', '=', scope.memberOf),
          )
        : eb('finding.organization_id', 'in', [...scope.orgIds]),
  );
  if (q.org) c.push(eb('finding.organization_id', '=', q.org));
  if (q.audit) c.push(eb('finding.audit_id', '=', q.audit));
  if (q.clause)
    c.push(eb.or([eb('finding.clause_id', '=', q.clause), eb('finding.clause_id', 'like', `${q.clause}.%`)]));
  if (q.grade) c.push(eb('finding.grade', '=', q.grade));
  if (q.status === ACTIVE) c.push(eb('finding.status', '!=', 'closed'));
  else if (q.status) c.push(eb('finding.status', '=', q.status));
  if (q.owner) c.push(eb('finding.owner_user_id', '=', q.owner));
  if (q.mine) c.push(eb('finding.owner_user_id', '=', userId));
  if (q.overdue) c.push(eb('finding.due_date', '<', today), eb('finding.status', 'not in', FINISHED));
  return eb.and(c);
}

/** Nonconformity register of the given organisations, filtered, newest first; overdue and aging computed for `today`. */
export async function ncRegister(
  db: Db,
  scope: RegisterScope,
  q: RegisterQuery,
  userId: number,
  today: string,
  page?: Paging | KeysetPaging,
) {
  if (noOrgs(scope)) return [];
  const after = page && 'after' in page ? page.after : undefined;
  const before = page && 'before' in page ? page.before : undefined;
  let s = db
    .selectFrom('finding')
    .where((eb) => {
      const c = ncConditions(eb, { scope, q, userId, today, byMembership: true });
      const key = eb.refTuple('finding.raised_on', 'finding.id');
      if (after) return eb.and([c, eb(key, '<', eb.tuple(after.raisedOn, after.id))]);
      if (before) return eb.and([c, eb(key, '>', eb.tuple(before.raisedOn, before.id))]);
      return c;
    })
    .innerJoin('organization', 'organization.id', 'finding.organization_id')
    .leftJoin('app_user as owner', 'owner.id', 'finding.owner_user_id')
    .leftJoin('audit', 'audit.id', 'finding.audit_id')
    .select([
      'finding.id',
      'finding.ref',
      'finding.organization_id',
      'organization.code as org_code',
      'organization.name as org_name',
      'finding.audit_id',
      'audit.title as audit_title',
      'finding.requirement_id',
      'finding.clause_id',
      'finding.source',
      'finding.grade',
      'finding.status',
      'finding.owner_user_id',
      'owner.display_name as owner_name',
      'finding.due_date',
      'finding.raised_on',
      'finding.closed_at',
      'finding.statement_nonconformity',
    ])
    // Before a cursor: the nearest rows first (oldest first), put back in display order below.
    .orderBy('finding.raised_on', before ? 'asc' : 'desc')
    .orderBy('finding.id', before ? 'asc' : 'desc');
  if (page) s = s.limit(page.limit);
  if (page && 'offset' in page && page.offset) s = s.offset(page.offset);
  const rows = await s.execute();
  if (before) rows.reverse();
  return rows.map((r) => ({
    ...r,
    overdue: isOverdue(r.due_date, r.status, today),
    daysOverdue: daysOverdue(r.due_date, r.status, today),
    daysOpen: daysOpen(r.raised_on, r.closed_at, today),
  }));
}
export type NcRegisterRow = Awaited<ReturnType<typeof ncRegister>>[number];

/** How many nonconformities the filtered register holds (all pages), up to COUNT_CAP. */
export async function ncRegisterCount(
  db: Db,
  scope: RegisterScope,
  q: RegisterQuery,
  userId: number,
  today: string,
): Promise<RegisterTotal> {
  if (noOrgs(scope)) return capped(0);
  const r = await db
    .selectFrom((eb) =>
      eb
        .selectFrom('finding')
        .where((f) => ncConditions(f, { scope, q, userId, today, byMembership: false }))
        .select('finding.id')
        .limit(COUNT_CAP + 1)
        .as('page'),
    )
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirst();
  return capped(toCount(r?.n));
}

function actionConditions(
  eb: ExpressionBuilder<Database, 'action_item'>,
  { scope, q, userId, today, byMembership }: Filter,
) {
  const c: Expression<SqlBool>[] = [
    byMembership && scope.memberOf !== undefined
      ? eb.exists(
          eb
            .selectFrom('membership')
            .select('membership.id')
            .whereRef('membership.organization_id', '=', 'action_item.organization_id')
            .where('membership.user_id', '=', scope.memberOf),
        )
      : scope.memberOf !== undefined
        ? eb(
            'action_item.organization_id',
            'in',
            eb.selectFrom('membership').select('membership.organization_id').where('user_id', '=', scope.memberOf),
          )
        : eb('action_item.organization_id', 'in', [...scope.orgIds]),
  ];
  if (q.org) c.push(eb('action_item.organization_id', '=', q.org));
  // Filters on the nonconformity as a subquery: counting needs no join then, and the join SQLite cannot drop costs a
  // lookup per action.
  if (q.audit || q.clause || q.grade) {
    const { audit, clause, grade } = q;
    c.push(
      eb(
        'action_item.finding_id',
        'in',
        eb
          .selectFrom('finding')
          .select('finding.id')
          .where((f) =>
            f.and([
              ...(audit ? [f('finding.audit_id', '=', audit)] : []),
              ...(clause
                ? [f.or([f('finding.clause_id', '=', clause), f('finding.clause_id', 'like', `${clause}.%`)])]
                : []),
              ...(grade ? [f('finding.grade', '=', grade)] : []),
            ]),
          ),
      ),
    );
  }
  if (q.status === ACTIVE) c.push(eb('action_item.status', 'not in', ['done', 'cancelled']));
  else if (q.status) c.push(eb('action_item.status', '=', q.status));
  if (q.owner) c.push(eb('action_item.owner_user_id', '=', q.owner));
  if (q.mine) c.push(eb('action_item.owner_user_id', '=', userId));
  if (q.overdue) c.push(eb('action_item.due_date', '<', today), eb('action_item.status', 'not in', FINISHED));
  return eb.and(c);
}

/** Action register: corrective actions and management-review outputs of the given organisations, by due date. */
export async function actionRegister(
  db: Db,
  scope: RegisterScope,
  q: RegisterQuery,
  userId: number,
  today: string,
  page?: Paging,
) {
  if (noOrgs(scope)) return [];
  let s = db
    .selectFrom('action_item')
    .where((eb) => actionConditions(eb, { scope, q, userId, today, byMembership: true }))
    .leftJoin('finding', 'finding.id', 'action_item.finding_id')
    .innerJoin('organization', 'organization.id', 'action_item.organization_id')
    .leftJoin('management_review', 'management_review.id', 'action_item.review_id')
    .leftJoin('app_user as owner', 'owner.id', 'action_item.owner_user_id')
    .select([
      'action_item.id',
      'action_item.ref',
      'action_item.organization_id',
      'organization.code as org_code',
      'organization.name as org_name',
      'action_item.description',
      'action_item.status',
      'action_item.due_date',
      'action_item.owner_user_id',
      'owner.display_name as owner_name',
      'action_item.sms_change',
      'action_item.output_type',
      'action_item.created_at',
      'action_item.completed_at',
      'action_item.finding_id',
      'finding.ref as finding_ref',
      'finding.grade',
      'finding.clause_id',
      'finding.audit_id',
      'finding.status as nc_status',
      'action_item.review_id',
      'management_review.ref as review_ref',
    ])
    .orderBy('action_item.due_date')
    .orderBy('action_item.id');
  if (page) s = s.limit(page.limit).offset(page.offset);
  return (await s.execute()).map((r) => ({
    ...r,
    kind: r.finding_id !== null ? ('corrective' as const) : ('review_output' as const),
    overdue: isOverdue(r.due_date, r.status, today),
    daysOverdue: daysOverdue(r.due_date, r.status, today),
    daysOpen: daysOpen(r.created_at, r.completed_at, today),
  }));
}
export type ActionRegisterRow = Awaited<ReturnType<typeof actionRegister>>[number];

export async function actionRegisterCount(
  db: Db,
  scope: RegisterScope,
  q: RegisterQuery,
  userId: number,
  today: string,
): Promise<RegisterTotal> {
  if (noOrgs(scope)) return capped(0);
  const r = await db
    .selectFrom((eb) =>
      eb
        .selectFrom('action_item')
        .where((a) => actionConditions(a, { scope, q, userId, today, byMembership: false }))
        .select('action_item.id')
        .limit(COUNT_CAP + 1)
        .as('page'),
    )
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirst();
  return capped(toCount(r?.n));
}

/**
 * Filter choices for the register pages: audits, and owners among the members. Across organisations both are those of
 * the organisation chosen in the filter: a consultant's 200 clients have thousands of audits and hundreds of people.
 */
export async function filterChoices(db: Db, orgIds: readonly number[], onlyOrg: number | null = null) {
  const of = onlyOrg === null ? [...orgIds] : orgIds.includes(onlyOrg) ? [onlyOrg] : [];
  if (of.length === 0) return { audits: [], owners: [] };
  const [audits, owners] = await Promise.all([
    db.selectFrom('audit').select(['id', 'title']).where('organization_id', 'in', of).orderBy('id', 'desc').execute(),
    db
      .selectFrom('membership')
      .innerJoin('app_user', 'app_user.id', 'membership.user_id')
      .select(['app_user.id', 'app_user.display_name as name'])
      .distinct()
      .where('membership.organization_id', 'in', of)
      .orderBy('name')
      .execute(),
  ]);
  return { audits, owners };
}
