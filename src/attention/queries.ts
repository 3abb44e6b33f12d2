import type { ExpressionBuilder } from 'kysely';
import type { Db } from '../db/connect.js';
import type { Database } from '../db/schema.js';
import { toCount } from '../db/time.js';
import { addDays } from '../domain/due-dates.js';
import { HORIZON_DAYS } from '../domain/attention.js';
import { isRole, type Role } from '../domain/permissions.js';

// The facts behind "needs attention". Every query is scoped: either to one organisation, or to the organisations a
// user is a member of (through EXISTS on membership, never a list of ids that grows with a consultant's clients).

/** Whose attention: one person across their organisations, or one organisation as a whole. */
export type AttentionScope = { kind: 'user'; userId: number } | { kind: 'org'; orgId: number };

export interface ScopeOrg {
  id: number;
  name: string;
  timeZone: string;
  /** The person's role there (user scope); null for the organisation's own view. */
  role: Role | null;
}

export async function scopeOrgs(db: Db, scope: AttentionScope): Promise<ScopeOrg[]> {
  if (scope.kind === 'org') {
    const o = await db
      .selectFrom('organization')
      .select(['id', 'name', 'time_zone'])
      .where('id', '=', scope.orgId)
      .executeTakeFirstOrThrow();
    return [{ id: o.id, name: o.name, timeZone: o.time_zone, role: null }];
  }
  const rows = await db
    .selectFrom('membership')
    .innerJoin('organization', 'organization.id', 'membership.organization_id')
    .select(['organization.id', 'organization.name', 'organization.time_zone', 'membership.role'])
    .where('membership.user_id', '=', scope.userId)
    .orderBy('organization.name')
    .execute();
  return rows.flatMap((r) => (isRole(r.role) ? [{ id: r.id, name: r.name, timeZone: r.time_zone, role: r.role }] : []));
}

type OrgColumn =
  | 'finding.organization_id'
  | 'action_item.organization_id'
  | 'audit.organization_id'
  | 'evidence.organization_id'
  | 'management_review.organization_id';

/** The scope as a condition on a row's organisation column. */
function inScope<T extends keyof Database>(eb: ExpressionBuilder<Database, T>, col: OrgColumn, scope: AttentionScope) {
  const e = eb as unknown as ExpressionBuilder<Database, 'finding'>;
  if (scope.kind === 'org') return e(col as 'finding.organization_id', '=', scope.orgId);
  return e.exists(
    e
      .selectFrom('membership')
      .select('membership.id')
      .whereRef('membership.organization_id', '=', col as 'finding.organization_id')
      .where('membership.user_id', '=', scope.userId),
  );
}

/** Nonconformities not closed: the user's own (owner), or all of the organisation's. */
export async function openNonconformities(db: Db, scope: AttentionScope) {
  let q = db
    .selectFrom('finding')
    .select([
      'finding.id',
      'finding.organization_id',
      'finding.ref',
      'finding.grade',
      'finding.status',
      'finding.due_date',
      'finding.raised_on',
      'finding.statement_nonconformity',
    ])
    .where('finding.kind', '=', 'nonconformity')
    .where('finding.status', '!=', 'closed')
    .where((eb) => inScope(eb, 'finding.organization_id', scope));
  if (scope.kind === 'user') q = q.where('finding.owner_user_id', '=', scope.userId);
  return q.orderBy('finding.id').execute();
}

/**
 * Nonconformities whose actions are all done, waiting for the effectiveness review (10.1.1 d): for a person, those
 * they raised or whose audit they lead; for the organisation, all.
 */
export async function awaitingEffectiveness(db: Db, scope: AttentionScope) {
  let q = db
    .selectFrom('finding')
    .leftJoin('audit', 'audit.id', 'finding.audit_id')
    .select([
      'finding.id',
      'finding.organization_id',
      'finding.ref',
      'finding.grade',
      'finding.status',
      'finding.due_date',
      'finding.statement_nonconformity',
    ])
    .where('finding.kind', '=', 'nonconformity')
    .where('finding.status', '=', 'actions_implemented')
    .where((eb) => inScope(eb, 'finding.organization_id', scope));
  if (scope.kind === 'user') {
    const me = scope.userId;
    q = q.where((eb) => eb.or([eb('finding.raised_by', '=', me), eb('audit.lead_auditor_id', '=', me)]));
  }
  return q.orderBy('finding.id').execute();
}

/** Owners' proposals waiting for a decision (10.1): for a person, on nonconformities they raised or whose audit they lead. */
export async function pendingProposals(db: Db, scope: AttentionScope) {
  let q = db
    .selectFrom('nc_proposal')
    .innerJoin('finding', 'finding.id', 'nc_proposal.finding_id')
    .leftJoin('audit', 'audit.id', 'finding.audit_id')
    .select([
      'nc_proposal.id',
      'nc_proposal.step',
      'nc_proposal.proposed_at',
      'finding.id as finding_id',
      'finding.organization_id',
      'finding.ref',
      'finding.due_date',
    ])
    .where('nc_proposal.status', '=', 'pending')
    .where((eb) => inScope(eb, 'finding.organization_id', scope));
  if (scope.kind === 'user') {
    const me = scope.userId;
    q = q.where((eb) => eb.or([eb('finding.raised_by', '=', me), eb('audit.lead_auditor_id', '=', me)]));
  }
  return q.orderBy('nc_proposal.id').execute();
}

/** Corrective actions and review outputs not done or cancelled: the user's own, or all of the organisation's. */
export async function openActions(db: Db, scope: AttentionScope) {
  let q = db
    .selectFrom('action_item')
    .leftJoin('finding', 'finding.id', 'action_item.finding_id')
    .select([
      'action_item.id',
      'action_item.organization_id',
      'action_item.ref',
      'action_item.description',
      'action_item.status',
      'action_item.due_date',
      'action_item.finding_id',
      'action_item.review_id',
      'finding.status as nc_status',
    ])
    .where('action_item.status', 'in', ['planned', 'in_progress'])
    .where((eb) => inScope(eb, 'action_item.organization_id', scope));
  if (scope.kind === 'user') q = q.where('action_item.owner_user_id', '=', scope.userId);
  return q.orderBy('action_item.id').execute();
}

/**
 * Audits not yet issued that the user leads or is on the team of (planned ones included: they are on it); for the
 * organisation, those under way (planned ones come from upcomingAudits, within the horizon).
 */
export async function auditsUnderWay(db: Db, scope: AttentionScope) {
  let q = db
    .selectFrom('audit')
    .select([
      'audit.id',
      'audit.organization_id',
      'audit.title',
      'audit.type',
      'audit.status',
      'audit.programme_id',
      'audit.planned_start',
      'audit.planned_end',
    ])
    .where(
      'audit.status',
      'in',
      scope.kind === 'user' ? ['planned', 'in_progress', 'reporting'] : ['in_progress', 'reporting'],
    )
    .where((eb) => inScope(eb, 'audit.organization_id', scope));
  if (scope.kind === 'user') {
    const me = scope.userId;
    q = q.where((eb) =>
      eb.or([
        eb('audit.lead_auditor_id', '=', me),
        eb.exists(
          eb
            .selectFrom('audit_team')
            .select('audit_team.user_id')
            .whereRef('audit_team.audit_id', '=', 'audit.id')
            .where('audit_team.user_id', '=', me),
        ),
      ]),
    );
  }
  return q.orderBy('audit.id').execute();
}

/** Planned audits starting within the horizon (or already late to start), in the given organisations. */
export async function upcomingAudits(db: Db, orgIds: readonly number[], utcToday: string) {
  if (orgIds.length === 0) return [];
  return (
    db
      .selectFrom('audit')
      .select(['audit.id', 'audit.organization_id', 'audit.title', 'audit.planned_start', 'audit.programme_id'])
      .where('audit.status', '=', 'planned')
      .where('audit.organization_id', 'in', [...orgIds])
      .where('audit.planned_start', 'is not', null)
      // One day of slack either side of UTC: each organisation's own today is applied afterwards.
      .where('audit.planned_start', '<=', addDays(utcToday, HORIZON_DAYS + 1))
      .orderBy('audit.planned_start')
      .execute()
  );
}

/**
 * Per audit: items in scope, items examined (a verdict, or for a self-assessment a level), and nonconforming verdicts
 * with no finding raised from them — the things that keep the report from being issued.
 */
export async function auditProgress(db: Db, auditIds: readonly number[]) {
  if (auditIds.length === 0)
    return new Map<number, { items: number; examined: number; levelled: number; ncWithoutFinding: number }>();
  const rows = await db
    .selectFrom('audit_response as r')
    .select((eb) => [
      'r.audit_id',
      eb.fn.countAll().as('items'),
      eb.fn.sum(eb.case().when('r.verdict', '!=', 'not_assessed').then(1).else(0).end()).as('examined'),
      eb.fn.sum(eb.case().when('r.implementation_level', 'is not', null).then(1).else(0).end()).as('levelled'),
      eb.fn
        .sum(
          eb
            .case()
            .when(
              eb.and([
                eb('r.verdict', 'in', ['major_nc', 'minor_nc']),
                eb.not(
                  eb.exists(eb.selectFrom('finding').select('finding.id').whereRef('finding.response_id', '=', 'r.id')),
                ),
              ]),
            )
            .then(1)
            .else(0)
            .end(),
        )
        .as('nc_without_finding'),
    ])
    .where('r.audit_id', 'in', [...auditIds])
    .groupBy('r.audit_id')
    .execute();
  return new Map(
    rows.map((r) => [
      r.audit_id,
      {
        items: toCount(r.items),
        examined: toCount(r.examined as string | number | null),
        levelled: toCount(r.levelled as string | number | null),
        ncWithoutFinding: toCount(r.nc_without_finding as string | number | null),
      },
    ]),
  );
}

/** Per organisation: the last management review held up to `upTo`, and the next one entered after it. */
export async function reviewDates(db: Db, orgIds: readonly number[]) {
  if (orgIds.length === 0) return [];
  return db
    .selectFrom('management_review')
    .select(['management_review.id', 'management_review.organization_id', 'management_review.held_on'])
    .where('management_review.organization_id', 'in', [...orgIds])
    .orderBy('management_review.held_on')
    .execute();
}

/** Evidence past its next review date, counted per organisation and date (each organisation's today applies after). */
export async function evidencePastReview(db: Db, orgIds: readonly number[], utcToday: string) {
  if (orgIds.length === 0) return [];
  const rows = await db
    .selectFrom('evidence')
    .select((eb) => ['evidence.organization_id', 'evidence.next_review_on', eb.fn.countAll().as('n')])
    .where('evidence.organization_id', 'in', [...orgIds])
    .where('evidence.next_review_on', 'is not', null)
    .where('evidence.next_review_on', '<', addDays(utcToday, 1))
    .groupBy(['evidence.organization_id', 'evidence.next_review_on'])
    .execute();
  return rows.map((r) => ({ orgId: r.organization_id, date: r.next_review_on as string, n: toCount(r.n) }));
}
