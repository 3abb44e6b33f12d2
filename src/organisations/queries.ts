import type { Db } from '../db/connect.js';
import { serialiseForOrganisation } from '../db/locks.js';
import { nowIso } from '../db/time.js';
import { recordTrail } from '../db/trail.js';
import type { Role } from '../domain/permissions.js';
import { DEFAULT_TIME_ZONE } from '../domain/time-zone.js';
import { upsertInvitation } from './invitations.js';
import type { OrganisationInput } from './schemas.js';

export async function myOrganisations(db: Db, userId: number) {
  return db
    .selectFrom('membership')
    .innerJoin('organization', 'organization.id', 'membership.organization_id')
    .select([
      'organization.id',
      'organization.name',
      'organization.code',
      'organization.default_locale',
      'organization.scope_statement',
      'membership.role',
    ])
    .where('membership.user_id', '=', userId)
    .orderBy('organization.name')
    .orderBy('organization.id') // equal names: the same order on SQLite and PostgreSQL
    .execute();
}

export async function codeTaken(db: Db, code: string, exceptId?: number): Promise<boolean> {
  let q = db.selectFrom('organization').select('id').where('code', '=', code);
  if (exceptId) q = q.where('id', '!=', exceptId);
  return Boolean(await q.executeTakeFirst());
}

/** Creates the organisation and makes its creator an admin member, atomically. */
export async function createOrganisation(
  db: Db,
  input: Omit<OrganisationInput, 'timeZone'> & { timeZone?: string },
  creatorId: number,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const now = nowIso();
    const { id } = await trx
      .insertInto('organization')
      .values({
        name: input.name,
        code: input.code,
        default_locale: input.defaultLocale,
        scope_statement: input.scopeStatement,
        scope_managing_org: input.scopeManagingOrg,
        time_zone: input.timeZone ?? DEFAULT_TIME_ZONE,
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('membership')
      .values({ organization_id: id, user_id: creatorId, role: 'admin', created_at: now })
      .execute();
    await recordTrail(trx, {
      orgId: id,
      userId: creatorId,
      action: 'create',
      entity: 'organization',
      entityId: id,
      after: input,
    });
    await recordTrail(trx, {
      orgId: id,
      userId: creatorId,
      action: 'create',
      entity: 'membership',
      entityId: `${id}:${creatorId}`,
      after: { role: 'admin' },
    });
    return id;
  });
}

export async function getOrganisation(db: Db, orgId: number) {
  return db.selectFrom('organization').selectAll().where('id', '=', orgId).executeTakeFirstOrThrow();
}

export async function updateOrganisation(db: Db, orgId: number, patch: Partial<OrganisationInput>, actorId: number) {
  await db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('organization').selectAll().where('id', '=', orgId).executeTakeFirstOrThrow();
    const set = {
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.code !== undefined && { code: patch.code }),
      ...(patch.defaultLocale !== undefined && { default_locale: patch.defaultLocale }),
      ...(patch.scopeStatement !== undefined && { scope_statement: patch.scopeStatement }),
      ...(patch.scopeManagingOrg !== undefined && { scope_managing_org: patch.scopeManagingOrg }),
      ...(patch.timeZone !== undefined && { time_zone: patch.timeZone }),
    };
    if (Object.keys(set).length === 0) return;
    await trx.updateTable('organization').set(set).where('id', '=', orgId).execute();
    await recordTrail(trx, {
      orgId,
      userId: actorId,
      action: 'update',
      entity: 'organization',
      entityId: orgId,
      before,
      after: set,
    });
  });
}

export async function listMembers(db: Db, orgId: number) {
  return db
    .selectFrom('membership')
    .innerJoin('app_user', 'app_user.id', 'membership.user_id')
    .select(['membership.id', 'membership.role', 'app_user.id as userId', 'app_user.email', 'app_user.display_name'])
    .where('membership.organization_id', '=', orgId)
    .orderBy('app_user.email')
    .execute();
}

/**
 * People an administrator may pick when adding a member (type-ahead on the e-mail field): for an instance
 * administrator every active account; otherwise the people of the other organisations this administrator
 * administers — never a client's people the administrator does not already manage. Members already here are left out.
 */
export async function peopleToPick(db: Db, orgId: number, user: { id: number; isAdmin: boolean }, limit = 500) {
  let q = db
    .selectFrom('app_user')
    .select(['app_user.email', 'app_user.display_name'])
    .where('app_user.disabled_at', 'is', null)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('membership as here')
            .select('here.id')
            .whereRef('here.user_id', '=', 'app_user.id')
            .where('here.organization_id', '=', orgId),
        ),
      ),
    );
  if (!user.isAdmin)
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('membership as theirs')
          .innerJoin('membership as mine', 'mine.organization_id', 'theirs.organization_id')
          .select('theirs.id')
          .whereRef('theirs.user_id', '=', 'app_user.id')
          .where('mine.user_id', '=', user.id)
          .where('mine.role', '=', 'admin'),
      ),
    );
  return q.orderBy('app_user.email').limit(limit).execute();
}

export type MemberResult = 'ok' | 'unknownUser' | 'lastAdmin';
/** What adding an address did: made a member, changed a member's role, or left an invitation for them to accept. */
export type AddResult = 'added' | 'changed' | 'invited' | 'unknownUser' | 'lastAdmin';

/**
 * Adds or changes a membership; refuses to leave an organisation without an admin. An address that is not a member
 * yet gets an invitation (`direct` false): the person joins when they accept it, and the answer is the same whether
 * the address has an account or not. Instance administrators (`direct` true) add accounts they manage at once.
 */
export async function setMembership(
  db: Db,
  orgId: number,
  email: string,
  role: Role,
  actorId: number,
  direct = true,
): Promise<AddResult> {
  return db.transaction().execute(async (trx) => {
    // Membership changes of one organisation take turns: two adds of the same person would both insert (a unique-key
    // error on PostgreSQL), and two demotions of the last two admins would each see the other still there.
    await serialiseForOrganisation(trx, orgId);
    const existing = await trx
      .selectFrom('membership')
      .innerJoin('app_user', 'app_user.id', 'membership.user_id')
      .select(['membership.id', 'membership.role', 'membership.user_id'])
      .where('membership.organization_id', '=', orgId)
      .where('app_user.email', '=', email)
      .executeTakeFirst();
    if (existing) return (await changeRole(trx, orgId, existing, role, actorId)) === 'ok' ? 'changed' : 'lastAdmin';
    if (!direct) {
      await upsertInvitation(trx, orgId, email, role, actorId);
      return 'invited';
    }
    const user = await trx.selectFrom('app_user').select('id').where('email', '=', email).executeTakeFirst();
    if (!user) return 'unknownUser';
    await trx
      .insertInto('membership')
      .values({ organization_id: orgId, user_id: user.id, role, created_at: nowIso() })
      .execute();
    await trx.deleteFrom('invitation').where('organization_id', '=', orgId).where('email', '=', email).execute();
    await recordTrail(trx, {
      orgId,
      userId: actorId,
      action: 'create',
      entity: 'membership',
      entityId: `${orgId}:${user.id}`,
      after: { role },
    });
    return 'added';
  });
}

/** Changes one membership's role (PATCH); the organisation keeps at least one administrator. */
export async function setMemberRole(
  db: Db,
  orgId: number,
  membershipId: number,
  role: Role,
  actorId: number,
): Promise<MemberResult | 'missing'> {
  return db.transaction().execute(async (trx) => {
    await serialiseForOrganisation(trx, orgId);
    const m = await trx
      .selectFrom('membership')
      .select(['id', 'role', 'user_id'])
      .where('organization_id', '=', orgId)
      .where('id', '=', membershipId)
      .executeTakeFirst();
    if (!m) return 'missing';
    return changeRole(trx, orgId, m, role, actorId);
  });
}

async function changeRole(
  trx: Db,
  orgId: number,
  m: { id: number; role: string; user_id: number },
  role: Role,
  actorId: number,
): Promise<MemberResult> {
  if (m.role === role) return 'ok';
  if (m.role === 'admin' && (await adminCount(trx, orgId)) <= 1) return 'lastAdmin';
  // The role is read from the membership on every request (web/access.ts), so it applies at once without ending
  // any session: one client's administrator must not sign a person out of every other client's organisation.
  await trx.updateTable('membership').set({ role }).where('id', '=', m.id).execute();
  await recordTrail(trx, {
    orgId,
    userId: actorId,
    action: 'update',
    entity: 'membership',
    entityId: `${orgId}:${m.user_id}`,
    before: { role: m.role },
    after: { role },
  });
  return 'ok';
}

export async function removeMembership(
  db: Db,
  orgId: number,
  membershipId: number,
  actorId: number,
): Promise<MemberResult | 'missing'> {
  return db.transaction().execute(async (trx) => {
    await serialiseForOrganisation(trx, orgId);
    const m = await trx
      .selectFrom('membership')
      .selectAll()
      .where('organization_id', '=', orgId)
      .where('id', '=', membershipId)
      .executeTakeFirst();
    if (!m) return 'missing';
    if (m.role === 'admin' && (await adminCount(trx, orgId)) <= 1) return 'lastAdmin';
    await trx.deleteFrom('membership').where('id', '=', m.id).execute();
    await recordTrail(trx, {
      orgId,
      userId: actorId,
      action: 'delete',
      entity: 'membership',
      entityId: `${orgId}:${m.user_id}`,
      before: { role: m.role },
    });
    return 'ok';
  });
}

async function adminCount(db: Db, orgId: number): Promise<number> {
  const rows = await db
    .selectFrom('membership')
    .select('id')
    .where('organization_id', '=', orgId)
    .where('role', '=', 'admin')
    .execute();
  return rows.length;
}
