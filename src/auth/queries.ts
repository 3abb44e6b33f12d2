import type { Db } from '../db/connect.js';
import { addHours, nowIso, toCount } from '../db/time.js';
import { newSecret, sha256 } from './tokens.js';

export const SESSION_HOURS = 12;
const LOGIN_WINDOW_MIN = 15;
export const LOGIN_MAX_FAILURES = { account: 8, address: 30 };

export async function findUserByEmail(db: Db, email: string) {
  return db.selectFrom('app_user').selectAll().where('email', '=', email.trim().toLowerCase()).executeTakeFirst();
}

export async function createSession(db: Db, userId: number): Promise<string> {
  const { secret, hash } = newSecret();
  const now = nowIso();
  await db
    .insertInto('session')
    .values({ id: hash, user_id: userId, created_at: now, expires_at: addHours(now, SESSION_HOURS) })
    .execute();
  return secret;
}

export async function sessionUser(db: Db, cookieValue: string) {
  const row = await db
    .selectFrom('session')
    .innerJoin('app_user', 'app_user.id', 'session.user_id')
    .select([
      'session.id as sessionId',
      'session.expires_at',
      'app_user.id',
      'app_user.email',
      'app_user.display_name',
      'app_user.is_admin',
      'app_user.must_change_password',
      'app_user.locale',
      'app_user.show_other_language',
      'app_user.time_zone',
      'app_user.disabled_at',
    ])
    .where('session.id', '=', sha256(cookieValue))
    .executeTakeFirst();
  if (!row || row.disabled_at || row.expires_at <= nowIso()) return undefined;
  return row;
}

export async function deleteSession(db: Db, sessionId: string) {
  await db.deleteFrom('session').where('id', '=', sessionId).execute();
}

export async function deleteUserSessions(db: Db, userId: number) {
  await db.deleteFrom('session').where('user_id', '=', userId).execute();
}

/** What a token opens: the API (header), or only the calendar feed (URL). */
export type TokenScope = 'api' | 'calendar';

export async function tokenUser(db: Db, bearer: string, scope: TokenScope = 'api') {
  const hash = sha256(bearer);
  const row = await db
    .selectFrom('api_token')
    .innerJoin('app_user', 'app_user.id', 'api_token.user_id')
    .select([
      'api_token.id as tokenId',
      'api_token.last_used_at',
      'app_user.id',
      'app_user.email',
      'app_user.display_name',
      'app_user.is_admin',
      'app_user.must_change_password',
      'app_user.locale',
      'app_user.show_other_language',
      'app_user.time_zone',
      'app_user.disabled_at',
    ])
    .where('api_token.token_hash', '=', hash)
    .where('api_token.revoked_at', 'is', null)
    .where('api_token.scope', '=', scope)
    .executeTakeFirst();
  if (!row || row.disabled_at) return undefined;
  // Recorded at most once a minute: otherwise every API read would be a write transaction. Not awaited: a read must
  // not wait for the write lock (held by another process, or a read-only or full disk); a missed stamp is harmless.
  const now = nowIso();
  if (!row.last_used_at || Date.parse(now) - Date.parse(row.last_used_at) > 60_000) {
    void db
      .updateTable('api_token')
      .set({ last_used_at: now })
      .where('id', '=', row.tokenId)
      .execute()
      .catch(() => {});
  }
  return row;
}

export async function createApiToken(db: Db, userId: number, name: string, scope: TokenScope = 'api'): Promise<string> {
  const { secret, hash } = newSecret();
  await db
    .insertInto('api_token')
    .values({ user_id: userId, name, token_hash: hash, created_at: nowIso(), scope })
    .execute();
  return secret;
}

export async function listApiTokens(db: Db, userId: number) {
  return db
    .selectFrom('api_token')
    .select(['id', 'name', 'scope', 'created_at', 'last_used_at', 'revoked_at'])
    .where('user_id', '=', userId)
    .orderBy('id', 'desc')
    .execute();
}

export async function revokeApiToken(db: Db, userId: number, tokenId: number): Promise<boolean> {
  const r = await db
    .updateTable('api_token')
    .set({ revoked_at: nowIso() })
    .where('id', '=', tokenId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

// Login throttling lives in the database so that every app instance sees the same counters.
export async function tooManyFailures(db: Db, email: string, ip: string): Promise<boolean> {
  const since = new Date(Date.now() - LOGIN_WINDOW_MIN * 60_000).toISOString();
  const count = async (key: string) =>
    toCount(
      (
        await db
          .selectFrom('login_attempt')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('key', '=', key)
          .where('at', '>', since)
          .executeTakeFirst()
      )?.n,
    );
  return (
    (await count(`email:${email.toLowerCase()}`)) >= LOGIN_MAX_FAILURES.account ||
    (await count(`ip:${ip}`)) >= LOGIN_MAX_FAILURES.address
  );
}

export async function recordFailure(db: Db, email: string, ip: string) {
  const at = nowIso();
  await db
    .insertInto('login_attempt')
    .values([
      { key: `email:${email.toLowerCase()}`, at },
      { key: `ip:${ip}`, at },
    ])
    .execute();
}

export async function clearFailures(db: Db, email: string) {
  await db.deleteFrom('login_attempt').where('key', '=', `email:${email.toLowerCase()}`).execute();
}
