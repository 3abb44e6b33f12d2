import { generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';
import type { Db } from '../db/connect.js';
import { addHours, nowIso } from '../db/time.js';
import { recordTrail } from '../db/trail.js';
import { codeKind, newRecoveryCodes, normaliseRecoveryCode } from '../domain/recovery-codes.js';
import type { SecretBox } from './secret-box.js';
import { newSecret, sha256 } from './tokens.js';

// TOTP second factor for accounts that sign in with a password (issue 19). The secret is sealed (secret-box.ts) and
// never shown again once confirmed; recovery codes are kept as SHA-256 hashes (they are random, 50 bits each).

/** A code from the step before or after the current one is still accepted (clocks drift; typing takes time). */
const TOLERANCE_SECONDS = 30;
/** How long the half-done sign-in (password right, code still to come) lasts. */
export const PENDING_MINUTES = 5;

export async function confirmedFactor(db: Db, userId: number): Promise<boolean> {
  const row = await db
    .selectFrom('second_factor')
    .select('user_id')
    .where('user_id', '=', userId)
    .where('confirmed_at', 'is not', null)
    .executeTakeFirst();
  return Boolean(row);
}

export interface Enrolment {
  secret: string;
  /** The otpauth:// address as a QR code: an SVG data URL. */
  qr: string;
}

/** The enrolment under way (its secret, as long as it is not confirmed), or a new one. Undefined once confirmed. */
export async function enrolment(
  db: Db,
  box: SecretBox,
  user: { id: number; email: string },
  issuer: string,
): Promise<Enrolment | undefined> {
  const row = await db.selectFrom('second_factor').selectAll().where('user_id', '=', user.id).executeTakeFirst();
  if (row?.confirmed_at) return undefined;
  let secret = row ? box.open(row.secret_box) : undefined;
  if (!secret) {
    secret = generateSecret();
    const sealed = box.seal(secret);
    await db
      .insertInto('second_factor')
      .values({ user_id: user.id, secret_box: sealed, confirmed_at: null, last_time_step: null, created_at: nowIso() })
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ secret_box: sealed, created_at: nowIso() }))
      .execute();
  }
  const uri = generateURI({ issuer, label: user.email, secret });
  const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return { secret, qr: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}` };
}

/** Checks an authenticator code against the user's secret and uses it up: the same code is never accepted twice. */
async function useTotp(db: Db, box: SecretBox, userId: number, code: string, confirmed: boolean): Promise<boolean> {
  const row = await db
    .selectFrom('second_factor')
    .selectAll()
    .where('user_id', '=', userId)
    .where('confirmed_at', confirmed ? 'is not' : 'is', null)
    .executeTakeFirst();
  const secret = row && box.open(row.secret_box);
  if (!row || !secret) return false;
  const r = await verify({
    secret,
    token: code.replace(/\s/g, ''),
    epochTolerance: TOLERANCE_SECONDS,
    ...(row.last_time_step !== null && { afterTimeStep: row.last_time_step }),
  });
  if (!r.valid || !('timeStep' in r)) return false;
  const step = r.timeStep;
  // One statement decides, so two requests with the same code cannot both pass.
  const u = await db
    .updateTable('second_factor')
    .set({ last_time_step: step })
    .where('user_id', '=', userId)
    .where((eb) => eb.or([eb('last_time_step', 'is', null), eb('last_time_step', '<', step)]))
    .executeTakeFirst();
  return Number(u.numUpdatedRows) === 1;
}

/** Confirms an enrolment with its first code; gives the recovery codes (to be shown once), or undefined. */
export async function confirmEnrolment(
  db: Db,
  box: SecretBox,
  userId: number,
  code: string,
): Promise<string[] | undefined> {
  if (codeKind(code) !== 'totp' || !(await useTotp(db, box, userId, code, false))) return undefined;
  const codes = newRecoveryCodes();
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('second_factor').set({ confirmed_at: nowIso() }).where('user_id', '=', userId).execute();
    await trx.deleteFrom('recovery_code').where('user_id', '=', userId).execute();
    await trx
      .insertInto('recovery_code')
      .values(codes.map((c) => ({ user_id: userId, code_hash: sha256(normaliseRecoveryCode(c)), used_at: null })))
      .execute();
    await recordTrail(trx, {
      orgId: null,
      userId,
      action: 'update',
      entity: 'user',
      entityId: userId,
      after: { secondFactor: 'enrolled' },
    });
  });
  return codes;
}

/** The second step of a sign-in: an authenticator code, or a recovery code (which is then used up). */
export async function checkSecondFactor(db: Db, box: SecretBox, userId: number, input: string): Promise<boolean> {
  const kind = codeKind(input);
  if (kind === 'totp') return useTotp(db, box, userId, input, true);
  if (kind !== 'recovery') return false;
  const r = await db
    .updateTable('recovery_code')
    .set({ used_at: nowIso() })
    .where('user_id', '=', userId)
    .where('code_hash', '=', sha256(normaliseRecoveryCode(input)))
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function unusedRecoveryCodes(db: Db, userId: number): Promise<number> {
  const rows = await db
    .selectFrom('recovery_code')
    .select('id')
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .execute();
  return rows.length;
}

/** Ends a second factor: by its user (`removed`) or by an administrator (`reset`). False when there was none. */
export async function removeSecondFactor(
  db: Db,
  userId: number,
  actorId: number,
  how: 'removed' | 'reset',
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const r = await trx.deleteFrom('second_factor').where('user_id', '=', userId).executeTakeFirst();
    await trx.deleteFrom('recovery_code').where('user_id', '=', userId).execute();
    if (Number(r.numDeletedRows) === 0) return false;
    await recordTrail(trx, {
      orgId: null,
      userId: actorId,
      action: 'update',
      entity: 'user',
      entityId: userId,
      after: { secondFactor: how },
    });
    return true;
  });
}

/** Password right, code to come: a row named by the hash of a secret that only this browser's cookie holds. */
export async function startPendingSignIn(db: Db, userId: number, next: string): Promise<string> {
  const { secret, hash } = newSecret();
  await db.deleteFrom('pending_sign_in').where('expires_at', '<', nowIso()).execute();
  await db
    .insertInto('pending_sign_in')
    .values({ id: hash, user_id: userId, next, expires_at: addHours(nowIso(), PENDING_MINUTES / 60) })
    .execute();
  return secret;
}

export async function pendingSignIn(db: Db, cookieValue: string | undefined) {
  if (!cookieValue) return undefined;
  const row = await db
    .selectFrom('pending_sign_in')
    .innerJoin('app_user', 'app_user.id', 'pending_sign_in.user_id')
    .select(['pending_sign_in.id', 'pending_sign_in.next', 'pending_sign_in.expires_at', 'app_user.id as userId'])
    .select(['app_user.email', 'app_user.disabled_at'])
    .where('pending_sign_in.id', '=', sha256(cookieValue))
    .executeTakeFirst();
  if (!row || row.disabled_at || row.expires_at <= nowIso()) return undefined;
  return row;
}

export async function endPendingSignIn(db: Db, id: string) {
  await db.deleteFrom('pending_sign_in').where('id', '=', id).execute();
}
