import { describe, expect, it } from 'vitest';
import { decide, delayAfter, POLICIES } from '../../src/domain/sign-in-throttle.js';

// The throttle's figures, as README's security section states them: an account from one address fails 5 times free,
// then waits 1 s, 2 s, 4 s … (at most 15 minutes); an address fails 30 times free; an account from anywhere costs
// each attempt beyond 10 failures a short wait (250 ms doubling, at most 2 s), never a refusal.
const NOW = Date.parse('2026-12-01T08:00:00Z');
const none = { failures: 0, previousAt: null };

describe('sign-in throttle (issue 14)', () => {
  it('grows the delay of an account from one address: 0 for 5 failures, then 1 s, 2 s, 4 s … capped at 15 min', () => {
    expect([1, 5, 6, 7, 8, 9, 15, 16, 30].map((n) => delayAfter(n, POLICIES.pair))).toEqual([
      0, 0, 1000, 2000, 4000, 8000, 512_000, 900_000, 900_000,
    ]);
    expect([30, 31, 32].map((n) => delayAfter(n, POLICIES.ip))).toEqual([0, 1000, 2000]);
    expect([10, 11, 12, 13, 14, 20].map((n) => delayAfter(n, POLICIES.account))).toEqual([
      0, 250, 500, 1000, 2000, 2000,
    ]);
  });

  it('refuses an attempt made before its delay has passed, and announces the wait the next attempt needs', () => {
    // The 9th failure from one address, 1 s after the 8th: its delay is 8 s. This refused attempt counts too, so the
    // next (10th) must come 16 s after it — the wait announced.
    const d = decide(NOW, {
      ip: { failures: 9, previousAt: NOW - 1000 },
      pair: { failures: 9, previousAt: NOW - 1000 },
      account: none,
    });
    expect(d).toEqual({ allowed: false, retryAfterMs: 16_000 });
    // After that wait the 10th attempt is checked.
    expect(
      decide(NOW + 16_000, {
        ip: { failures: 10, previousAt: NOW },
        pair: { failures: 10, previousAt: NOW },
        account: none,
      }),
    ).toEqual({
      allowed: true,
      waitMs: 0,
    });
  });

  it('never refuses because of the account counter alone: the owner from a fresh address only waits (≤ 2 s)', () => {
    expect(
      decide(NOW, {
        ip: { failures: 1, previousAt: null },
        pair: { failures: 1, previousAt: null },
        account: { failures: 50, previousAt: NOW },
      }),
    ).toEqual({
      allowed: true,
      waitMs: 2000,
    });
  });

  it('checks an attempt with no previous one in the window, whatever its count', () => {
    expect(decide(NOW, { ip: { failures: 40, previousAt: null }, pair: none, account: none })).toEqual({
      allowed: true,
      waitMs: 0,
    });
  });

  it('lets an attempt through once the delay has passed exactly', () => {
    expect(decide(NOW, { ip: none, pair: { failures: 6, previousAt: NOW - 1000 }, account: none })).toEqual({
      allowed: true,
      waitMs: 0,
    });
    expect(decide(NOW, { ip: none, pair: { failures: 6, previousAt: NOW - 999 }, account: none })).toEqual({
      allowed: false,
      retryAfterMs: 2000,
    });
  });
});
