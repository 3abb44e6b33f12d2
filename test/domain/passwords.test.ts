import { scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  hashPassword,
  passwordProblem,
  TEMPORARY_PASSWORD_ALPHABET,
  temporaryPassword,
  verifyPassword,
} from '../../src/domain/passwords.js';

// Stored hashes made outside the workbench, with Python's hashlib.scrypt (salt bytes 0..15):
//   scrypt('correct horse battery', N=16384, r=8, p=1, dklen=32) and scrypt('password', N=1024, r=8, p=1, dklen=16).
const HORSE = 'scrypt$16384$8$1$AAECAwQFBgcICQoLDA0ODw==$6W7GuoxjojaYIg83x/wEKSXUMMf+reyc6wSvA8q7ny8=';
const SHORT = 'scrypt$1024$8$1$AAECAwQFBgcICQoLDA0ODw==$OnwHgqTb31Q6zXxSL+hT2Q==';

describe('password hashes (scrypt)', () => {
  it('accepts the right password for a hash made elsewhere, with the parameters and length it stores', async () => {
    expect(await verifyPassword('correct horse battery', HORSE)).toBe(true);
    expect(await verifyPassword('password', SHORT)).toBe(true);
  });

  it('refuses a wrong password, or the right one under other stored parameters', async () => {
    expect(await verifyPassword('correct horse batter', HORSE)).toBe(false);
    expect(await verifyPassword('Password', SHORT)).toBe(false);
    expect(await verifyPassword('password', SHORT.replace('$1024$8$1$', '$1024$4$1$'))).toBe(false);
    expect(await verifyPassword('password', SHORT.replace('$1024$8$1$', '$2048$8$1$'))).toBe(false);
    expect(await verifyPassword('password', SHORT.replace('$1024$8$1$', '$1024$8$2$'))).toBe(false);
  });

  it('compares passwords in NFKC form: full-width letters are the same password', async () => {
    expect(await verifyPassword('ｐａｓｓｗｏｒｄ', SHORT)).toBe(true);
  });

  it('refuses a stored value of another scheme or with parts missing', async () => {
    const [, ...rest] = SHORT.split('$');
    expect(await verifyPassword('password', ['bcrypt', ...rest].join('$'))).toBe(false);
    expect(await verifyPassword('password', 'scrypt$1024$8$1$AAECAwQFBgcICQoLDA0ODw==')).toBe(false);
    expect(await verifyPassword('password', 'scrypt$1024$8$1$$OnwHgqTb31Q6zXxSL+hT2Q==')).toBe(false);
    expect(await verifyPassword('password', '')).toBe(false);
  });

  it('stores scrypt N=32768, r=8, p=1 with a 16-byte salt and a 32-byte key, new salt each time', async () => {
    const stored = await hashPassword('ｃorrect horse battery');
    const [scheme, n, r, p, salt, key] = stored.split('$');
    expect([scheme, n, r, p]).toEqual(['scrypt', '32768', '8', '1']);
    const saltBytes = Buffer.from(salt ?? '', 'base64');
    expect(saltBytes).toHaveLength(16);
    const keyBytes = Buffer.from(key ?? '', 'base64');
    expect(keyBytes).toHaveLength(32);
    // recomputed here with node's scrypt, on the NFKC form of what was typed
    const again = scryptSync('correct horse battery', saltBytes, 32, {
      N: 32768,
      r: 8,
      p: 1,
      maxmem: 64 * 1024 * 1024,
    });
    expect(keyBytes.equals(again)).toBe(true);
    expect(await verifyPassword('correct horse battery', stored)).toBe(true);
    expect((await hashPassword('ｃorrect horse battery')).split('$')[4]).not.toBe(salt);
  });
});

describe('temporary passwords (issue 23): 14 characters, no look-alikes, every character equally likely', () => {
  it('uses the 56 letters and digits without O/o/0, I/l/1', () => {
    expect(TEMPORARY_PASSWORD_ALPHABET).toBe('ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789');
    expect(TEMPORARY_PASSWORD_ALPHABET).toHaveLength(56);
  });

  it('draws each of the 56 characters with probability 1/56', { timeout: 60_000 }, () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 7_000; i++) {
      const p = temporaryPassword();
      expect(p).toHaveLength(14);
      for (const c of p) counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    // 98,000 draws: 1,750 expected per character, standard deviation 41.2; six deviations either side. Redrawing from
    // 225 byte values instead of 224 would give "A" 2,178.
    expect([...counts.keys()].sort().join('')).toBe([...TEMPORARY_PASSWORD_ALPHABET].sort().join(''));
    expect([...counts].filter(([, n]) => n < 1503 || n > 1997)).toEqual([]);
    // The last 24 characters together: 42,000 expected (sd 155). A byte taken modulo 56 without redrawing the top 32
    // values (224–255) would give them only 98,000 × 96/256 = 36,750.
    const last24 = [...TEMPORARY_PASSWORD_ALPHABET.slice(32)].reduce((n, c) => n + (counts.get(c) ?? 0), 0);
    expect(last24).toBeGreaterThan(41_070);
    expect(last24).toBeLessThan(42_930);
  });
});

describe('the password rule: 10–200 characters, not the e-mail address nor its local part', () => {
  it.each([
    ['123456789', 'errors.passwordTooShort'],
    ['', 'errors.passwordTooShort'],
    ['1234567890', null],
    ['x'.repeat(200), null],
    ['x'.repeat(201), 'errors.passwordTooLong'],
    ['wang.fang.li@example.cn', 'errors.passwordIsEmail'],
    ['Wang.Fang.Li@Example.CN', 'errors.passwordIsEmail'],
    ['wang.fang.li', 'errors.passwordIsEmail'],
    ['WANG.FANG.LI', 'errors.passwordIsEmail'],
    ['wang.fang.li1', null],
    ['example.cn12', null],
  ])('%j → %s', (password, problem) => {
    expect(passwordProblem(password, 'Wang.Fang.Li@example.cn')).toBe(problem);
  });
});
