import { describe, expect, it } from 'vitest';
import {
  codeKind,
  newRecoveryCodes,
  normaliseRecoveryCode,
  RECOVERY_ALPHABET,
  RECOVERY_CODE_COUNT,
} from '../../src/domain/recovery-codes.js';
import { emailDomain, signOnVerdict } from '../../src/domain/single-sign-on.js';

describe('recovery codes (issue 19): ten codes, two groups of five, no look-alike characters', () => {
  it('uses the 31 characters without 0/O, 1/I/L', () => {
    expect(RECOVERY_ALPHABET).toBe('ABCDEFGHJKMNPQRSTUVWXYZ23456789');
    expect(RECOVERY_CODE_COUNT).toBe(10);
  });

  it('hands out ten codes written XXXXX-XXXXX', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    for (const c of codes) expect(c).toMatch(/^[A-HJKMNP-Z2-9]{5}-[A-HJKMNP-Z2-9]{5}$/);
    expect(newRecoveryCodes(3)).toHaveLength(3);
  });

  it('draws from the whole alphabet, at random', () => {
    const codes = newRecoveryCodes(200);
    const seen = new Set(codes.join('').replaceAll('-', ''));
    // 2,000 draws from 31 characters: every character appears (a miss has odds below 1e-26)
    expect([...seen].sort().join('')).toBe([...'23456789ABCDEFGHJKMNPQRSTUVWXYZ'].sort().join(''));
    expect(new Set(codes).size).toBe(200);
  });

  it.each([
    ['abcde-fghjk', 'ABCDEFGHJK'],
    [' ABCDE FGHJK ', 'ABCDEFGHJK'],
    ['ab-cd-e\tfg', 'ABCDEFG'],
  ])('stores %j as %j', (typed, stored) => {
    expect(normaliseRecoveryCode(typed)).toBe(stored);
  });

  it.each([
    ['123456', 'totp'],
    ['123 456', 'totp'],
    [' 123456 ', 'totp'],
    ['12345', 'invalid'],
    ['1234567', 'invalid'],
    ['12a456', 'invalid'],
    ['x123456', 'invalid'],
    ['ABCDE-FGHJK', 'recovery'],
    ['abcde fghjk', 'recovery'],
    ['ABCDEFGHJK', 'recovery'],
    ['23456-789AB', 'recovery'],
    ['ABCDE-FGHJ', 'invalid'],
    ['ABCDE-FGHJKM', 'invalid'],
    ['ABCDE-FGHJO', 'invalid'],
    ['ABCDE-FGHJ1', 'invalid'],
    ['ABCDE-FGHJ0', 'invalid'],
    ['ABCDE_FGHJK', 'invalid'],
    ['', 'invalid'],
  ])('%j is %s', (input, kind) => {
    expect(codeKind(input)).toBe(kind);
  });
});

describe('single sign-on: who the provider lets in (issue 19)', () => {
  const verified = { email: 'Li.Wei@Example.cn ', email_verified: true };

  it('reads the domain after the last @', () => {
    expect(emailDomain('li@example.cn')).toBe('example.cn');
    expect(emailDomain('a@b@mail.example.com')).toBe('mail.example.com');
  });

  it('matches an existing account by the trimmed, lower-case address', () => {
    expect(signOnVerdict(verified, { disabled: false }, [])).toEqual({ kind: 'existing', email: 'li.wei@example.cn' });
  });

  it('refuses a disabled account', () => {
    expect(signOnVerdict(verified, { disabled: true }, ['example.cn'])).toEqual({
      kind: 'refused',
      reason: 'disabled',
    });
  });

  it('creates an account only for a listed domain', () => {
    expect(signOnVerdict(verified, undefined, ['example.com', 'example.cn'])).toEqual({
      kind: 'create',
      email: 'li.wei@example.cn',
    });
    expect(signOnVerdict(verified, undefined, ['example.com'])).toEqual({
      kind: 'refused',
      reason: 'domain',
      domain: 'example.cn',
    });
    expect(signOnVerdict(verified, undefined, [])).toEqual({ kind: 'refused', reason: 'domain', domain: 'example.cn' });
  });

  it.each([
    [{ email_verified: true }],
    [{ email: 42, email_verified: true }],
    [{ email: '', email_verified: true }],
    [{ email: 'li.wei', email_verified: true }],
    [{ email: '@example.cn', email_verified: true }],
    [{ email: 'li@', email_verified: true }],
    [{ email: 'li wei@example.cn', email_verified: true }],
    [{ email: 'li@example .cn', email_verified: true }],
    [{ email: 'x li@example.cn', email_verified: true }],
    [{ email: 'li@example.cn x', email_verified: true }],
    [{ email: 'li@@example.cn', email_verified: true }],
  ])('refuses %j: no usable e-mail address', (claims) => {
    expect(signOnVerdict(claims, { disabled: false }, ['example.cn'])).toEqual({ kind: 'refused', reason: 'noEmail' });
  });

  it.each([[undefined], [false], ['false'], ['TRUE'], [1]])('refuses an address whose verified flag is %j', (flag) => {
    expect(
      signOnVerdict({ email: 'li@example.cn', email_verified: flag }, { disabled: false }, ['example.cn']),
    ).toEqual({ kind: 'refused', reason: 'unverified' });
  });

  it('accepts the flag sent as the string "true"', () => {
    expect(signOnVerdict({ email: 'li@example.cn', email_verified: 'true' }, undefined, ['example.cn'])).toEqual({
      kind: 'create',
      email: 'li@example.cn',
    });
  });
});
