import type { Db } from '../db/connect.js';
import { daysOpen, daysOverdue, isOverdue } from '../domain/due-dates.js';
import type { RegisterQuery } from './schemas.js';

/** The organisations a user is a member of: the cross-organisation registers show only these. */
export async function memberOrgs(db: Db, userId: number) {
  return db.selectFrom('membership').innerJoin('organization', 'organization.id', 'membership.organization_id')
    .select(['organization.id', 'organization.name', 'organization.code', 'membership.role'])
    .where('membership.user_id', '=', userId).orderBy('organization.name').execute();
}

/** "active" means every status but closed / done / cancelled. */
const ACTIVE = 'active';

/** Nonconformity register of the given organisations, filtered; overdue and aging computed for `today`. */
export async function ncRegister(db: Db, orgIds: readonly number[], q: RegisterQuery, userId: number, today: string) {
  if (orgIds.length === 0) return [];
  let s = db.selectFrom('finding')
    .innerJoin('organization', 'organization.id', 'finding.organization_id')
    .leftJoin('app_user as owner', 'owner.id', 'finding.owner_user_id')
    .leftJoin('audit', 'audit.id', 'finding.audit_id')
    .select(['finding.id', 'finding.ref', 'finding.organization_id', 'organization.code as org_code', 'organization.name as org_name',
      'finding.audit_id', 'audit.title as audit_title', 'finding.requirement_id', 'finding.clause_id', 'finding.source', 'finding.grade',
      'finding.status', 'finding.owner_user_id', 'owner.display_name as owner_name', 'finding.due_date', 'finding.raised_on',
      'finding.closed_at', 'finding.statement_nonconformity'])
    .where('finding.kind', '=', 'nonconformity')
    .where('finding.organization_id', 'in', [...orgIds]);
  if (q.org) s = s.where('finding.organization_id', '=', q.org);
  if (q.audit) s = s.where('finding.audit_id', '=', q.audit);
  if (q.clause) { const c = q.clause; s = s.where((eb) => eb.or([eb('finding.clause_id', '=', c), eb('finding.clause_id', 'like', `${c}.%`)])); }
  if (q.grade) s = s.where('finding.grade', '=', q.grade);
  if (q.status === ACTIVE) s = s.where('finding.status', '!=', 'closed');
  else if (q.status) s = s.where('finding.status', '=', q.status);
  if (q.owner) s = s.where('finding.owner_user_id', '=', q.owner);
  if (q.mine) s = s.where('finding.owner_user_id', '=', userId);
  const rows = (await s.orderBy('finding.raised_on', 'desc').orderBy('finding.id', 'desc').execute()).map((r) => ({
    ...r,
    overdue: isOverdue(r.due_date, r.status, today),
    daysOverdue: daysOverdue(r.due_date, r.status, today),
    daysOpen: daysOpen(r.raised_on, r.closed_at, today),
  }));
  return q.overdue ? rows.filter((r) => r.overdue) : rows;
}
export type NcRegisterRow = Awaited<ReturnType<typeof ncRegister>>[number];

/** Action register: corrective actions and management-review outputs of the given organisations. */
export async function actionRegister(db: Db, orgIds: readonly number[], q: RegisterQuery, userId: number, today: string) {
  if (orgIds.length === 0) return [];
  let s = db.selectFrom('action_item')
    .innerJoin('organization', 'organization.id', 'action_item.organization_id')
    .leftJoin('finding', 'finding.id', 'action_item.finding_id')
    .leftJoin('management_review', 'management_review.id', 'action_item.review_id')
    .leftJoin('app_user as owner', 'owner.id', 'action_item.owner_user_id')
    .select(['action_item.id', 'action_item.ref', 'action_item.organization_id', 'organization.code as org_code',
      'organization.name as org_name', 'action_item.description', 'action_item.status', 'action_item.due_date',
      'action_item.owner_user_id', 'owner.display_name as owner_name', 'action_item.sms_change', 'action_item.output_type',
      'action_item.created_at', 'action_item.completed_at', 'action_item.finding_id', 'finding.ref as finding_ref',
      'finding.grade', 'finding.clause_id', 'finding.audit_id', 'finding.status as nc_status',
      'action_item.review_id', 'management_review.ref as review_ref'])
    .where('action_item.organization_id', 'in', [...orgIds]);
  if (q.org) s = s.where('action_item.organization_id', '=', q.org);
  if (q.audit) s = s.where('finding.audit_id', '=', q.audit);
  if (q.clause) { const c = q.clause; s = s.where((eb) => eb.or([eb('finding.clause_id', '=', c), eb('finding.clause_id', 'like', `${c}.%`)])); }
  if (q.grade) s = s.where('finding.grade', '=', q.grade);
  if (q.status === ACTIVE) s = s.where('action_item.status', 'not in', ['done', 'cancelled']);
  else if (q.status) s = s.where('action_item.status', '=', q.status);
  if (q.owner) s = s.where('action_item.owner_user_id', '=', q.owner);
  if (q.mine) s = s.where('action_item.owner_user_id', '=', userId);
  const rows = (await s.orderBy('action_item.due_date').orderBy('action_item.id').execute()).map((r) => ({
    ...r,
    kind: r.finding_id !== null ? 'corrective' as const : 'review_output' as const,
    overdue: isOverdue(r.due_date, r.status, today),
    daysOverdue: daysOverdue(r.due_date, r.status, today),
    daysOpen: daysOpen(r.created_at, r.completed_at, today),
  }));
  return q.overdue ? rows.filter((r) => r.overdue) : rows;
}
export type ActionRegisterRow = Awaited<ReturnType<typeof actionRegister>>[number];

/** Filter choices for the register pages: audits with findings and owners among the members. */
export async function filterChoices(db: Db, orgIds: readonly number[]) {
  if (orgIds.length === 0) return { audits: [], owners: [] };
  const [audits, owners] = await Promise.all([
    db.selectFrom('audit').select(['id', 'title']).where('organization_id', 'in', [...orgIds]).orderBy('id', 'desc').execute(),
    db.selectFrom('membership').innerJoin('app_user', 'app_user.id', 'membership.user_id')
      .select(['app_user.id', 'app_user.display_name as name']).distinct()
      .where('membership.organization_id', 'in', [...orgIds]).orderBy('name').execute(),
  ]);
  return { audits, owners };
}
