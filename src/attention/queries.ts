import type { Db } from '../db/connect.js';
import { toCount } from '../db/time.js';
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
