import type { Db } from '../db/connect.js';
import { nowIso, toCount } from '../db/time.js';
import { recordTrail } from '../db/trail.js';
import { hashPassword } from '../domain/passwords.js';

export interface NewUser {
  email: string;
  displayName: string;
  /** Null: no password of its own (an account made at its first single sign-on). */
  password: string | null;
  isAdmin: boolean;
  mustChangePassword: boolean;
  locale?: string | null;
}

/** Matches no password (not a scrypt hash): the account signs in only through single sign-on until a reset. */
const NO_PASSWORD = 'none';

/** Whether the account has a password of its own (an account made by single sign-on has none until a reset). */
export async function hasLocalPassword(db: Db, userId: number): Promise<boolean> {
  const row = await db.selectFrom('app_user').select('password_hash').where('id', '=', userId).executeTakeFirst();
  return row !== undefined && row.password_hash !== NO_PASSWORD;
}

export async function countUsers(db: Db): Promise<number> {
  return toCount(
    (
      await db
        .selectFrom('app_user')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirst()
    )?.n,
  );
}

export async function createUser(db: Db, u: NewUser, actorId: number | null = null): Promise<number> {
  const password_hash = u.password === null ? NO_PASSWORD : await hashPassword(u.password);
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('app_user')
      .values({
        email: u.email.trim().toLowerCase(),
        display_name: u.displayName.trim(),
        password_hash,
        must_change_password: u.mustChangePassword ? 1 : 0,
        is_admin: u.isAdmin ? 1 : 0,
        locale: u.locale ?? null,
        created_at: nowIso(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordTrail(trx, {
      orgId: null,
      userId: actorId ?? row.id,
      action: 'create',
      entity: 'user',
      entityId: row.id,
      after: { email: u.email, displayName: u.displayName, isAdmin: u.isAdmin },
    });
    return row.id;
  });
}

export async function setPassword(db: Db, userId: number, password: string, mustChange: boolean) {
  await db
    .updateTable('app_user')
    .set({ password_hash: await hashPassword(password), must_change_password: mustChange ? 1 : 0 })
    .where('id', '=', userId)
    .execute();
}

export async function listUsers(db: Db) {
  return db
    .selectFrom('app_user')
    .leftJoin('second_factor', (j) =>
      j.onRef('second_factor.user_id', '=', 'app_user.id').on('second_factor.confirmed_at', 'is not', null),
    )
    .select([
      'app_user.id',
      'app_user.email',
      'app_user.display_name',
      'app_user.is_admin',
      'app_user.must_change_password',
      'app_user.created_at',
      'app_user.disabled_at',
      'second_factor.user_id as second_factor',
    ])
    .orderBy('email')
    .execute();
}

/** Creates the administrator from ADMIN_EMAIL / ADMIN_PASSWORD when the database has no user yet. */
export async function bootstrapAdmin(db: Db, email?: string, password?: string): Promise<boolean> {
  if (!email || !password || (await countUsers(db)) > 0) return false;
  try {
    await createUser(db, {
      email,
      displayName: email.split('@')[0] ?? email,
      password,
      isAdmin: true,
      mustChangePassword: false,
    });
  } catch (err) {
    // Several instances starting together on an empty database: one creates the administrator (unique e-mail),
    // the others find it there and start normally.
    if ((await countUsers(db)) > 0) return false;
    throw err;
  }
  return true;
}

/** Every user's API and calendar tokens (never the secret), newest first. */
export async function tokensOf(db: Db, userId?: number) {
  let q = db
    .selectFrom('api_token')
    .leftJoin('organization', 'organization.id', 'api_token.organization_id')
    .select([
      'api_token.id',
      'api_token.user_id',
      'api_token.name',
      'api_token.scope',
      'api_token.organization_id',
      'organization.name as organization_name',
      'api_token.created_at',
      'api_token.last_used_at',
      'api_token.revoked_at',
    ])
    .orderBy('api_token.id', 'desc');
  if (userId !== undefined) q = q.where('api_token.user_id', '=', userId);
  return q.execute();
}

/** Revokes one of a user's live tokens; false when there is none with this id. */
export async function revokeToken(db: Db, userId: number, tokenId: number): Promise<boolean> {
  const r = await db
    .updateTable('api_token')
    .set({ revoked_at: nowIso() })
    .where('id', '=', tokenId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Deactivates (sign-in and tokens refused; the caller ends the sessions) or reactivates an account. */
export async function setActive(
  db: Db,
  user: { id: number; disabled_at: string | null },
  active: boolean,
  actorId: number,
) {
  const disabled_at = active ? null : (user.disabled_at ?? nowIso());
  if (disabled_at === user.disabled_at) return;
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('app_user').set({ disabled_at }).where('id', '=', user.id).execute();
    await recordTrail(trx, {
      orgId: null,
      userId: actorId,
      action: 'update',
      entity: 'user',
      entityId: user.id,
      before: { disabledAt: user.disabled_at },
      after: { disabledAt: disabled_at },
    });
  });
}
