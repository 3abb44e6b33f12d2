import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scryptAsync = promisify(scrypt) as (pw: string, salt: Buffer, len: number, opts: object) => Promise<Buffer>;
// N=2^15 keeps a hash at ~50 ms on this class of machine: slow for an attacker, tolerable at login.
const PARAMS = { N: 32768, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const KEYLEN = 32;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password.normalize('NFKC'), salt, KEYLEN, PARAMS);
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await scryptAsync(password.normalize('NFKC'), Buffer.from(salt, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: PARAMS.maxmem,
  });
  return timingSafeEqual(expected, actual);
}

/**
 * Letters and digits that cannot be mistaken for one another when read aloud or copied by hand: no O/o and 0, no I,
 * l and 1 (issue 23), nothing that a font or a spoken spelling confuses.
 */
export const TEMPORARY_PASSWORD_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789';

/** A readable temporary password for administrators to hand over (must be changed at first login): 14 characters. */
export function temporaryPassword(): string {
  let out = '';
  for (const i of randomIntegers(14, TEMPORARY_PASSWORD_ALPHABET.length)) out += TEMPORARY_PASSWORD_ALPHABET[i];
  return out;
}

/** `count` uniform random integers below `n` (≤ 256): bytes at or above the largest multiple of n are drawn again. */
function randomIntegers(count: number, n: number): number[] {
  const out: number[] = [];
  const limit = 256 - (256 % n);
  while (out.length < count) {
    for (const b of randomBytes(count * 2)) if (b < limit && out.length < count) out.push(b % n);
  }
  return out;
}

/** Password rule: 10–200 characters and not the e-mail address or its local part. Returns an i18n key or null. */
export function passwordProblem(password: string, email: string): string | null {
  if (password.length < 10) return 'errors.passwordTooShort';
  if (password.length > 200) return 'errors.passwordTooLong';
  const lower = password.toLowerCase();
  const mail = email.toLowerCase();
  if (lower === mail || lower === mail.split('@')[0]) return 'errors.passwordIsEmail';
  return null;
}
