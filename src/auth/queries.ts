import { sql } from 'kysely';
import type { Db } from '../db/connect.js';
import { type Counted, decide, THROTTLE_WINDOW_MS, type ThrottleDecision } from '../domain/sign-in-throttle.js';
import { addHours, nowIso } from '../db/time.js';
import { newSecret, sha256 } from './tokens.js';

export const SESSION_HOURS = 12;

export async function findUserByEmail(db: Db, email: string) {
  return db.selectFrom('app_user').selectAll().where('email', '=', email.trim().toLowerCase()).executeTakeFirst();
}

/** How a session was opened: the second-factor rule for administrators applies after a password alone. */
export type SessionVia = 'password' | 'password+totp' | 'oidc';

export async function createSession(db: Db, userId: number, via: SessionVia = 'password'): Promise<string> {
  const { secret, hash } = newSecret();
  const now = nowIso();
  await db
    .insertInto('session')
    .values({ id: hash, user_id: userId, created_at: now, expires_at: addHours(now, SESSION_HOURS), via })
    .execute();
  return secret;
}

export async function sessionUser(db: Db, cookieValue: string) {
  const row = await db
    .selectFrom('session')
    .innerJoin('app_user', 'app_user.id', 'session.user_id')
    .leftJoin('second_factor', (j) =>
      j.onRef('second_factor.user_id', '=', 'app_user.id').on('second_factor.confirmed_at', 'is not', null),
    )
    .select(['session.via', 'second_factor.user_id as secondFactor'])
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
      'api_token.organization_id as tokenOrganizationId',
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

/** A new token; a calendar token names the one organisation whose feed it opens. */
export async function createApiToken(
  db: Db,
  userId: number,
  name: string,
  scope: TokenScope = 'api',
  organizationId: number | null = null,
): Promise<string> {
  const { secret, hash } = newSecret();
  await db
    .insertInto('api_token')
    .values({ user_id: userId, name, token_hash: hash, created_at: nowIso(), scope, organization_id: organizationId })
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

/** Revokes every API and calendar token of a user (a password change or reset: what the old password made, ends). */
export async function revokeUserTokens(db: Db, userId: number): Promise<number> {
  const r = await db
    .updateTable('api_token')
    .set({ revoked_at: nowIso() })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
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

// Sign-in throttle (src/domain/sign-in-throttle.ts): counters live in the database so that every app instance sees
// the same ones, and each attempt is counted by one statement before its password is checked.
export type ThrottleKeys = { ip: string; pair: string; account: string };
export const throttleKeys = (email: string, ip: string): ThrottleKeys => {
  const e = email.trim().toLowerCase();
  return { ip: `ip:${ip}`, pair: `pair:${e} ${ip}`, account: `account:${e}` };
};

/** Counts one attempt under `key` (a fresh count when the last one left the window); gives the count and the previous. */
async function countAttempt(db: Db, key: string, now: Date): Promise<Counted> {
  const at = now.toISOString();
  const windowStart = new Date(now.getTime() - THROTTLE_WINDOW_MS).toISOString();
  const row = await db
    .insertInto('sign_in_throttle')
    .values({ key, failures: 1, last_at: at, previous_at: null })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        failures: sql<number>`case when sign_in_throttle.last_at < ${windowStart} then 1 else sign_in_throttle.failures + 1 end`,
        previous_at: sql<
          string | null
        >`case when sign_in_throttle.last_at < ${windowStart} then null else sign_in_throttle.last_at end`,
        last_at: at,
      }),
    )
    .returning(['failures', 'previous_at'])
    .executeTakeFirstOrThrow();
  return { failures: Number(row.failures), previousAt: row.previous_at ? Date.parse(row.previous_at) : null };
}

/** Counts an attempt on every key, before the password is checked; says whether it may be checked (and after what wait). */
export async function countSignInAttempt(db: Db, keys: ThrottleKeys, now = new Date()): Promise<ThrottleDecision> {
  const ip = await countAttempt(db, keys.ip, now);
  const pair = await countAttempt(db, keys.pair, now);
  const account = await countAttempt(db, keys.account, now);
  return decide(now.getTime(), { ip, pair, account });
}

/** The password was right: the account's counters start again; the address keeps its other failures. */
export async function settleSignIn(db: Db, keys: ThrottleKeys) {
  await db.deleteFrom('sign_in_throttle').where('key', 'in', [keys.pair, keys.account]).execute();
  await db
    .updateTable('sign_in_throttle')
    .set({ failures: sql<number>`case when failures > 0 then failures - 1 else 0 end` })
    .where('key', '=', keys.ip)
    .execute();
}
