import { randomInt } from 'node:crypto';

// Recovery codes for a lost authenticator (issue 19): ten codes of ten characters from an alphabet without look-alikes
// (no 0/O, 1/I/L), written in two groups of five; each code works once. People type them with or without the dash,
// in either case.

export const RECOVERY_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const RECOVERY_CODE_COUNT = 10;

export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () => {
    let s = '';
    for (let i = 0; i < 10; i++) s += RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)];
    return `${s.slice(0, 5)}-${s.slice(5)}`;
  });
}

/** The canonical form a code is stored (hashed) and compared in: upper case, without spaces or dashes. */
export const normaliseRecoveryCode = (input: string): string => input.replace(/[\s-]/g, '').toUpperCase();

/** A six-digit authenticator code (spaces allowed, as apps show "123 456"), or else a recovery code. */
export function codeKind(input: string): 'totp' | 'recovery' | 'invalid' {
  const compact = input.replace(/\s/g, '');
  if (/^\d{6}$/.test(compact)) return 'totp';
  const r = normaliseRecoveryCode(input);
  return r.length === 10 && [...r].every((c) => RECOVERY_ALPHABET.includes(c)) ? 'recovery' : 'invalid';
}
