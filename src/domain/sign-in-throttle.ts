// Sign-in throttle: growing delays, never a lock-out (issue 14). Three counters, each of failed attempts within a
// window (counted before the password is checked):
// - an address ("ip"): whoever guesses from one address slows down there, for every account;
// - an account seen from one address ("pair"): guessing one account's password from one address slows down fast;
// - an account from anywhere ("account"): a guess spread over many addresses costs each attempt a short wait, but the
//   owner, signing in from an address that has not failed, is never refused — at most kept waiting `maxAccountWaitMs`.

export const THROTTLE_WINDOW_MS = 15 * 60_000;

export interface ThrottlePolicy {
  /** Failures allowed before any delay. */
  free: number;
  /** Delay after the first failure beyond `free`; doubles with each further one. */
  firstDelayMs: number;
  maxDelayMs: number;
}

export const POLICIES = {
  ip: { free: 30, firstDelayMs: 1000, maxDelayMs: 15 * 60_000 },
  pair: { free: 5, firstDelayMs: 1000, maxDelayMs: 15 * 60_000 },
  account: { free: 10, firstDelayMs: 250, maxDelayMs: 2000 },
} as const satisfies Record<string, ThrottlePolicy>;

/** How long after the previous attempt this one (the n-th failure counted in the window) may be checked. */
export function delayAfter(failures: number, p: ThrottlePolicy): number {
  if (failures <= p.free) return 0;
  return Math.min(p.firstDelayMs * 2 ** (failures - p.free - 1), p.maxDelayMs);
}

export interface Counted {
  failures: number;
  /** The previous counted attempt's time (ms), if in the window. */
  previousAt: number | null;
}

/** Refused until `retryAfterMs` from now, or allowed after waiting `waitMs` (the account's short delay). */
export type ThrottleDecision = { allowed: false; retryAfterMs: number } | { allowed: true; waitMs: number };

export function decide(now: number, c: { ip: Counted; pair: Counted; account: Counted }): ThrottleDecision {
  let refuse = 0;
  for (const kind of ['ip', 'pair'] as const) {
    const { failures, previousAt } = c[kind];
    const delay = delayAfter(failures, POLICIES[kind]);
    // (A parallel attempt may have stamped a time later than this one's `now`: without a delay, that is no reason.)
    if (delay === 0 || previousAt === null) continue;
    if (previousAt + delay > now) refuse = Math.max(refuse, previousAt + delay - now);
  }
  // The refused attempt was counted too (stamped now), so the next one waits its own, longer delay from now: that is
  // the wait to announce, or a person who waits exactly Retry-After is refused again.
  if (refuse > 0) {
    const next = Math.max(...(['ip', 'pair'] as const).map((k) => delayAfter(c[k].failures + 1, POLICIES[k])));
    return { allowed: false, retryAfterMs: Math.max(refuse, next) };
  }
  return { allowed: true, waitMs: delayAfter(c.account.failures, POLICIES.account) };
}
