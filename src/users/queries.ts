import type { Db } from '../db/connect.js';
import { nowIso, toCount } from '../db/time.js';
import { recordTrail } from '../db/trail.js';
import { hashPassword } from '../domain/passwords.js';

export interface NewUser {
  email: string;
  displayName: string;
  password: string;
  isAdmin: boolean;
  mustChangePassword: boolean;
  locale?: string | null;
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
  const password_hash = await hashPassword(u.password);
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
    .select(['id', 'email', 'display_name', 'is_admin', 'must_change_password', 'created_at', 'disabled_at'])
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
