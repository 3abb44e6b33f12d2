import type { Db } from './connect.js';

// Figures kept between requests and dropped when the audit trail records a write that can change them (issues 18 and
// 20: the consultant's table and "needs attention" at thousands of organisations). Every write of audit data,
// findings, actions, effectiveness reviews, proposals, reviews, evidence, evidence requests, memberships and the
// organisation itself records a trail entry in its transaction (src/db/trail.ts). Each request reads the entries
// added since the last look — an index range on the trail's primary key, usually empty — so a kept figure is never
// used after a committed write of its organisation, also when another server instance on the same database wrote it.
//
// On PostgreSQL a transaction can commit a trail id lower than one already read (ids are taken at insert, not at
// commit). The ids skipped by a look are therefore asked for again by the following looks, for GAP_MAX_AGE_MS (a
// rolled-back transaction leaves its id unused for good); an entry found late counts as recorded when it was found.
// "As of" is the number of the look, not a trail id, for that reason.

interface Change {
  /** The look that found it. */
  look: number;
  /** The organisation written, or null for entries of no organisation (users, second factors). */
  orgId: number | null;
  /** Membership entries: the member's user id (their set of organisations changed). */
  memberId: number | null;
  /** An entry of no organisation that may concern anyone (users), or a look that lost track: drops everything. */
  everyone: boolean;
}

/** The trail entries of the last while, in the order found; enough to tell whether a kept figure is still current. */
interface Watch {
  /** The newest trail id read. */
  seen: number;
  /** Ids skipped by a look (not committed yet, or rolled back), with when they were first missed. */
  gaps: Map<number, number>;
  /** The number of the last look. */
  look: number;
  /** What the looks after `from` found, in order; what an earlier look found is no longer known. */
  log: Change[];
  from: number;
  /** A look at the trail under way: requests arriving meanwhile share it. */
  reading: Promise<void> | null;
}

const LOG_MAX = 5_000;
const GAPS_MAX = 200;
const GAP_MAX_AGE_MS = 10 * 60_000;
const watches = new WeakMap<Db, Watch>();

/** Entity kinds of no organisation that change nothing kept here (a sign-in, a second factor enrolled). */
const HARMLESS = new Set(['sign_in', 'second_factor']);

async function read(db: Db, w: Watch) {
  const now = Date.now();
  for (const [id, at] of w.gaps) if (now - at > GAP_MAX_AGE_MS) w.gaps.delete(id);
  const gapIds = [...w.gaps.keys()];
  const rows = await db
    .selectFrom('audit_trail')
    .select(['audit_trail.id', 'audit_trail.organization_id', 'audit_trail.entity', 'audit_trail.entity_id'])
    .where((eb) =>
      gapIds.length
        ? eb.or([eb('audit_trail.id', '>', w.seen), eb('audit_trail.id', 'in', gapIds)])
        : eb('audit_trail.id', '>', w.seen),
    )
    .orderBy('audit_trail.id')
    .execute();
  if (rows.length === 0) return;
  const look = ++w.look;
  let lost = false;
  for (const r of rows) {
    if (r.id <= w.seen) {
      if (!w.gaps.delete(r.id)) continue; // found already
    } else {
      for (let id = w.seen + 1; id < r.id && !lost; id++) {
        if (w.gaps.size >= GAPS_MAX) lost = true;
        else w.gaps.set(id, now);
      }
      w.seen = r.id;
    }
    const member = r.entity === 'membership' ? Number(String(r.entity_id).split(':')[1]) : Number.NaN;
    w.log.push({
      look,
      orgId: r.organization_id,
      memberId: Number.isInteger(member) ? member : null,
      everyone: r.organization_id === null && !HARMLESS.has(r.entity),
    });
  }
  if (lost) {
    // Too many ids skipped to follow: forget them, and everything kept so far.
    w.gaps.clear();
    w.log.push({ look, orgId: null, memberId: null, everyone: true });
  }
  if (w.log.length > LOG_MAX) {
    const cut = w.log.length - LOG_MAX;
    w.from = w.log[cut - 1]!.look;
    w.log.splice(0, cut);
  }
}

/**
 * Reads the trail entries recorded since the last look and returns the look's number: what a figure read after it is
 * "as of". The first look only notes where the trail ends.
 */
export async function trailNow(db: Db): Promise<number> {
  let w = watches.get(db);
  if (!w) {
    const r = await db
      .selectFrom('audit_trail')
      .select((eb) => eb.fn.max('audit_trail.id').as('id'))
      .executeTakeFirst();
    w = watches.get(db);
    if (!w) {
      w = { seen: Number(r?.id ?? 0), gaps: new Map(), look: 0, log: [], from: 0, reading: null };
      watches.set(db, w);
    }
    return w.look;
  }
  if (!w.reading) {
    const watch = w;
    watch.reading = read(db, watch).finally(() => {
      watch.reading = null;
    });
  }
  await w.reading;
  return w.look;
}

/** Whose figures a kept value holds: the user's (their memberships) and those of a set of organisations. */
export interface Concerns {
  userId?: number;
  orgIds: ReadonlySet<number>;
}

/**
 * Whether the trail recorded, after look `asOf`, a write that can change a figure kept for `c`: a write of one of its
 * organisations, a membership of its user, or an entry of no organisation that may concern anyone. Call `trailNow`
 * first in the request. Costs one step per entry recorded since `asOf` (usually none).
 */
export function changedSince(db: Db, asOf: number, c: Concerns): boolean {
  const w = watches.get(db);
  if (!w || asOf < w.from) return true;
  const log = w.log;
  for (let i = log.length - 1; i >= 0 && log[i]!.look > asOf; i--) {
    const e = log[i]!;
    if (e.everyone || (e.orgId !== null && c.orgIds.has(e.orgId))) return true;
    if (c.userId !== undefined && e.memberId === c.userId) return true;
  }
  return false;
}

/** The organisations written after look `asOf` (each once), or null when the log no longer reaches back that far. */
export function orgsChangedSince(db: Db, asOf: number): { orgIds: Set<number>; everyone: boolean } | null {
  const w = watches.get(db);
  if (!w || asOf < w.from) return null;
  const orgIds = new Set<number>();
  let everyone = false;
  const log = w.log;
  for (let i = log.length - 1; i >= 0 && log[i]!.look > asOf; i--) {
    const e = log[i]!;
    if (e.orgId !== null) orgIds.add(e.orgId);
    if (e.everyone) everyone = true;
  }
  return { orgIds, everyone };
}

/** The users whose memberships were written after look `asOf`, or null when the log no longer reaches back that far. */
export function membersChangedSince(db: Db, asOf: number): Set<number> | null {
  const w = watches.get(db);
  if (!w || asOf < w.from) return null;
  const users = new Set<number>();
  const log = w.log;
  for (let i = log.length - 1; i >= 0 && log[i]!.look > asOf; i--) {
    const e = log[i]!;
    if (e.memberId !== null) users.add(e.memberId);
  }
  return users;
}

/**
 * A bounded map of values kept per key, each with what it concerns, the look it is as of and when it was made.
 * `get` gives the value only while no write it concerns has been recorded since, it is younger than `maxAgeMs` and
 * `fresh` (the caller's other conditions, such as the date in each organisation) holds.
 */
export class TrailKept<K, V> {
  private readonly entries = new Map<K, { value: V; concerns: Concerns; asOf: number; at: number }>();
  constructor(
    private readonly maxAgeMs: number,
    private readonly maxEntries: number,
  ) {}

  get(db: Db, key: K, fresh: (v: V) => boolean = () => true): V | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (Date.now() - e.at > this.maxAgeMs || changedSince(db, e.asOf, e.concerns) || !fresh(e.value)) {
      this.entries.delete(key);
      return undefined;
    }
    return e.value;
  }

  set(key: K, value: V, concerns: Concerns, asOf: number): void {
    if (this.entries.size >= this.maxEntries && !this.entries.has(key)) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { value, concerns, asOf, at: Date.now() });
  }
}
