import type { Db } from '../db/connect.js';
import { nowIso } from '../db/time.js';
import { TrailKept, trailNow } from '../db/trail-cache.js';
import { dateOf } from '../domain/due-dates.js';
import { dateIn } from '../domain/time-zone.js';
import type { Translate } from '../web/i18n.js';
import { type AttentionSection, attentionIn } from './items.js';

// A person's "needs attention" sections (the home page, the summary API) kept between requests (issue 20): at 2,000
// client organisations reading them costs ~170 ms, and they change only when one of the person's organisations is
// written, their memberships change, or a date turns. A kept answer is used while the audit trail has recorded no
// write of any of the person's organisations and no membership of theirs since it was read (src/db/trail-cache.ts),
// UTC's date and the date in each of their organisations' zones are those it was read on, and it is under five
// minutes old (what bounds a write made outside the application, without a trail entry). So each kind's count stays
// exact after every write.

const MAX_AGE_MS = 5 * 60_000;

interface Kept {
  sections: AttentionSection[];
  utcToday: string;
  zoneToday: Map<string, string>;
}

const kept = new WeakMap<Db, TrailKept<string, Kept>>();

/** Still the same day everywhere it was read for. */
function sameDays(k: Kept, now: string): boolean {
  if (dateOf(now) !== k.utcToday) return false;
  for (const [zone, today] of k.zoneToday) if (dateIn(now, zone) !== today) return false;
  return true;
}

/** The user's sections in a language, each kind's `limit` most urgent items with its exact count. */
export async function keptSections(
  db: Db,
  userId: number,
  t: Translate,
  locale: string,
  limit: number,
  now = nowIso(),
): Promise<AttentionSection[]> {
  let cache = kept.get(db);
  if (!cache) {
    cache = new TrailKept(MAX_AGE_MS, 1_000);
    kept.set(db, cache);
  }
  const asOf = await trailNow(db);
  const key = `${userId}|${locale}|${limit}`;
  const hit = cache.get(db, key, (k) => sameDays(k, now));
  if (hit) return hit.sections;
  const r = await attentionIn(db, { kind: 'user', userId }, t, { limit, now });
  cache.set(
    key,
    { sections: r.sections, utcToday: dateOf(now), zoneToday: r.zoneToday },
    { userId, orgIds: new Set(r.orgs.map((o) => o.id)) },
    asOf,
  );
  return r.sections;
}
