import type { Db } from '../db/connect.js';
import { nowIso, toCount } from '../db/time.js';
import { membersChangedSince, orgsChangedSince, TrailKept, trailNow } from '../db/trail-cache.js';
import { STANDARD_CODE } from '../audits/queries.js';
import {
  type ClientAudit,
  type ClientFacts,
  type ClientProgramme,
  clientRow,
  type ClientRow,
  latestScoredAudit,
  type VerdictCounts,
} from '../domain/clients.js';
import { addDays, dateOf } from '../domain/due-dates.js';
import { dateIn } from '../domain/time-zone.js';
import { TOP_CLAUSES, type Verdict } from '../domain/verdicts.js';

// The facts behind the consultant's table, read with a handful of set-based queries over every organisation the user
// is a member of (`organization_id IN (SELECT … FROM membership WHERE user_id = ?)`, so each drives an index per
// organisation; never a loop of per-organisation queries). The rules are in src/domain/clients.ts.

const myOrgIds = (db: Db, userId: number) =>
  db.selectFrom('membership').select('membership.organization_id').where('membership.user_id', '=', userId);

/**
 * Verdict counts of issued audits, kept by audit id, revision and issue time. An issued (or closed) audit is frozen:
 * its responses cannot change until it is revised, which gives it a new revision and issue time, so an entry is
 * never stale. Shared by every user of this server (one per database); bounded.
 */
const scoreCaches = new WeakMap<Db, Map<string, VerdictCounts>>();
const SCORE_CACHE_MAX = 50_000;
const scoreKey = (id: number, revision: number, issuedAt: string) => `${id}:${revision}:${issuedAt}`;

async function verdictCounts(db: Db, audits: readonly { id: number; revision: number; issuedAt: string }[]) {
  let scoreCache = scoreCaches.get(db);
  if (!scoreCache) {
    scoreCache = new Map();
    scoreCaches.set(db, scoreCache);
  }
  const missing = audits.filter((a) => !scoreCache.has(scoreKey(a.id, a.revision, a.issuedAt)));
  if (missing.length) {
    const rows = await db
      .selectFrom('audit_response')
      .select((eb) => ['audit_response.audit_id', 'audit_response.verdict', eb.fn.countAll().as('n')])
      .where(
        'audit_response.audit_id',
        'in',
        missing.map((a) => a.id),
      )
      .groupBy(['audit_response.audit_id', 'audit_response.verdict'])
      .execute();
    const by = new Map<number, VerdictCounts>(missing.map((a) => [a.id, {}]));
    for (const r of rows) by.get(r.audit_id)![r.verdict as Verdict] = toCount(r.n);
    if (scoreCache.size + missing.length > SCORE_CACHE_MAX) scoreCache.clear();
    for (const a of missing) scoreCache.set(scoreKey(a.id, a.revision, a.issuedAt), by.get(a.id)!);
  }
  const cache = scoreCache;
  return new Map(audits.map((a) => [a.id, cache.get(scoreKey(a.id, a.revision, a.issuedAt))!]));
}

/** The clauses 4.1–10.2 of the current checklist (the programme's coverage counts these). */
async function secondLevelClauses(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('clause')
    .select('clause.id')
    .where('clause.version_id', '=', (eb) =>
      eb
        .selectFrom('checklist_version')
        .select((e) => e.fn.max('checklist_version.id').as('v'))
        .where('checklist_version.standard_code', '=', STANDARD_CODE),
    )
    .orderBy('clause.position')
    .execute();
  const top = new Set<string>(TOP_CLAUSES);
  return rows.map((r) => r.id).filter((id) => id.split('.').length === 2 && top.has(id.split('.')[0]!));
}

// Scopes are JSON arrays and nearly all audits share a few: parse each distinct text once.
const scopeMemo = new Map<string, readonly string[]>();
function parseScope(json: string): readonly string[] {
  let s = scopeMemo.get(json);
  if (!s) {
    if (scopeMemo.size > 10_000) scopeMemo.clear();
    s = JSON.parse(json) as string[];
    scopeMemo.set(json, s);
  }
  return s;
}

// An issue time's date in the organisation's calendar: issued audits are frozen, so each is worked out once.
const issuedMemo = new Map<string, string>();
function issuedOn(at: string, zone: string): string {
  const k = `${zone}|${at}`;
  let d = issuedMemo.get(k);
  if (d === undefined) {
    if (issuedMemo.size > 200_000) issuedMemo.clear();
    d = dateIn(at, zone);
    issuedMemo.set(k, d);
  }
  return d;
}

/**
 * Rows already computed, per organisation, shared by every member (the figures are the organisation's, not the
 * reader's). A row is used while it was computed for the organisation's today, no write of the organisation has been
 * recorded since and it is younger than ROW_MAX_AGE_MS. Every write of audit data, findings, actions, reviews,
 * memberships and the organisation itself records a trail entry in its transaction; src/db/trail-cache.ts reads the
 * entries added since the last look (an index range on the trail's id, usually empty), and each request drops those
 * organisations' rows, so figures stay exact, across server instances too. The age limit bounds what a write made
 * outside the application (no trail entry) could leave behind.
 *
 * Each user's whole list is kept too (the same array while none of its rows changed, so the sorted and filtered
 * orders of it can be kept beside it): a warm request reads no row at all, whatever the number of clients.
 */
const ROW_MAX_AGE_MS = 5 * 60_000;
interface RowCache {
  rows: Map<number, { row: ClientRow & { timeZone: string }; at: number }>;
  /** Each user's organisations, dropped whenever the trail records a membership of theirs written. */
  members: Map<number, { orgIds: number[]; at: number }>;
  /** Each user's rows, in membership order, and the date in each of their organisations' zones. */
  lists: TrailKept<number, { rows: ClientRow[]; zoneToday: Map<string, string> }>;
  trailSeen: number | null;
}
/** One cache per database (tests open several in one process). */
const caches = new WeakMap<Db, RowCache>();
const cacheOf = (db: Db): RowCache => {
  let c = caches.get(db);
  if (!c) {
    c = { rows: new Map(), members: new Map(), lists: new TrailKept(ROW_MAX_AGE_MS, 1_000), trailSeen: null };
    caches.set(db, c);
  }
  return c;
};

/** Drops the rows of organisations written, and the organisations of users whose memberships were, since the last look. */
async function dropChanged(db: Db, cache: RowCache): Promise<number> {
  const asOf = await trailNow(db);
  const orgs = cache.trailSeen === null ? null : orgsChangedSince(db, cache.trailSeen);
  const users = cache.trailSeen === null ? null : membersChangedSince(db, cache.trailSeen);
  if (!orgs || orgs.everyone) cache.rows.clear();
  else for (const id of orgs.orgIds) cache.rows.delete(id);
  if (!users || orgs?.everyone) cache.members.clear();
  else for (const id of users) cache.members.delete(id);
  cache.trailSeen = Math.max(cache.trailSeen ?? 0, asOf);
  return asOf;
}

const sameDays = (zoneToday: Map<string, string>, now: string) => {
  for (const [zone, today] of zoneToday) if (dateIn(now, zone) !== today) return false;
  return true;
};

/**
 * Every row of the consultant's table for the user, in membership order. The same array is returned while nothing
 * in it changed: callers must not modify it.
 */
export async function clientRows(db: Db, userId: number, now = nowIso()): Promise<readonly ClientRow[]> {
  const cache = cacheOf(db);
  const asOf = await dropChanged(db, cache);
  const list = cache.lists.get(db, userId, (l) => sameDays(l.zoneToday, now));
  if (list) return list.rows;
  const rowCache = cache.rows;
  const clock = Date.now();
  let member = cache.members.get(userId);
  if (!member || clock - member.at > ROW_MAX_AGE_MS) {
    const orgIds = (
      await db
        .selectFrom('membership')
        .select('membership.organization_id')
        .where('membership.user_id', '=', userId)
        .execute()
    ).map((m) => m.organization_id);
    member = { orgIds, at: clock };
    cache.members.set(userId, member);
  }
  const { orgIds } = member;
  const todayIn = new Map<string, string>();
  const today = (zone: string) => {
    let d = todayIn.get(zone);
    if (d === undefined) {
      d = dateIn(now, zone);
      todayIn.set(zone, d);
    }
    return d;
  };
  const missing: number[] = [];
  for (const id of orgIds) {
    const c = rowCache.get(id);
    if (!c || clock - c.at > ROW_MAX_AGE_MS || c.row.today !== today(c.row.timeZone)) missing.push(id);
  }
  const fresh = new Map<number, ClientRow & { timeZone: string }>();
  if (missing.length) {
    // All of them (a first look): through the membership subquery; a few: by id.
    for (const row of await computeRows(db, missing.length === orgIds.length ? { userId } : { orgIds: missing }, now))
      fresh.set(row.id, row);
    // A write recorded while they were read (seen by another request meanwhile) may be missing from them: such rows
    // serve this request only.
    const since = orgsChangedSince(db, asOf);
    for (const row of fresh.values())
      if (since && !since.everyone && !since.orgIds.has(row.id)) rowCache.set(row.id, { row, at: clock });
  }
  const rows: ClientRow[] = [];
  for (const id of orgIds) {
    const r = fresh.get(id) ?? rowCache.get(id)?.row;
    if (r) {
      rows.push(r);
      today(r.timeZone);
    }
  }
  cache.lists.set(userId, { rows, zoneToday: todayIn }, { userId, orgIds: new Set(orgIds) }, asOf);
  return rows;
}

type OrgFilter = { userId: number } | { orgIds: readonly number[] };

/** The rows of the organisations the filter names, computed from the database. */
async function computeRows(db: Db, filter: OrgFilter, now: string): Promise<(ClientRow & { timeZone: string })[]> {
  const utcToday = dateOf(now);
  // Every organisation's today lies within a day of UTC's: dates before `lo` are past everywhere, dates from `hi`
  // on are past nowhere; those in between are decided per organisation.
  const lo = addDays(utcToday, -1);
  const hi = addDays(utcToday, 1);
  const mine = 'userId' in filter ? myOrgIds(db, filter.userId) : [...filter.orgIds];
  const [orgs, audits, programmes, reviews, ncs, actions, clauses] = await Promise.all([
    db
      .selectFrom('organization')
      .select(['id', 'code', 'name', 'time_zone', 'sms_started_on'])
      .where('id', 'in', mine)
      .orderBy('code')
      .execute(),
    db
      .selectFrom('audit')
      .select([
        'id',
        'organization_id',
        'title',
        'type',
        'status',
        'programme_id',
        'planned_start',
        'actual_end',
        'issued_at',
        'revision',
        'scope_clauses',
      ])
      .where('organization_id', 'in', mine)
      .where('status', 'in', ['planned', 'issued', 'closed'])
      .execute(),
    db
      .selectFrom('audit_programme')
      .select(['id', 'organization_id', 'period_start', 'period_end'])
      .where('organization_id', 'in', mine)
      .where('period_end', '>=', lo)
      .execute(),
    db
      .selectFrom('management_review')
      .select(['id', 'organization_id', 'title', 'held_on'])
      .where('organization_id', 'in', mine)
      .execute(),
    db
      .selectFrom('finding')
      .select((eb) => ['finding.organization_id', 'finding.grade', eb.fn.countAll().as('n')])
      .where('finding.organization_id', 'in', mine)
      .where('finding.kind', '=', 'nonconformity')
      .where('finding.status', '!=', 'closed')
      .where('finding.grade', 'in', ['major', 'minor'])
      .groupBy(['finding.organization_id', 'finding.grade'])
      .execute(),
    db
      .selectFrom('action_item')
      .select((eb) => [
        'action_item.organization_id',
        eb.case().when('action_item.due_date', '<', lo).then('').else(eb.ref('action_item.due_date')).end().as('due'),
        eb.fn.countAll().as('n'),
      ])
      .where('action_item.organization_id', 'in', mine)
      .where('action_item.status', 'in', ['planned', 'in_progress'])
      .where('action_item.due_date', '<', hi)
      .groupBy(['action_item.organization_id', 'due'])
      .execute(),
    secondLevelClauses(db),
  ]);

  type Facts = ClientFacts & {
    audits: ClientAudit[];
    programmes: ClientProgramme[];
    reviews: { id: number; title: string; heldOn: string }[];
  };
  const facts = new Map<number, Facts>();
  for (const o of orgs)
    facts.set(o.id, {
      id: o.id,
      code: o.code,
      name: o.name,
      timeZone: o.time_zone,
      today: dateIn(now, o.time_zone),
      smsStartedOn: o.sms_started_on,
      audits: [],
      programmes: [],
      reviews: [],
      openMajors: 0,
      openMinors: 0,
      overdueActions: 0,
    });
  const revisionOf = new Map<number, { revision: number; issuedAt: string }>();
  for (const a of audits) {
    const f = facts.get(a.organization_id);
    if (!f) continue;
    if (a.issued_at) revisionOf.set(a.id, { revision: a.revision, issuedAt: a.issued_at });
    f.audits.push({
      id: a.id,
      title: a.title,
      type: a.type,
      status: a.status,
      programmeId: a.programme_id,
      plannedStart: a.planned_start,
      actualEnd: a.actual_end,
      issuedOn: a.issued_at ? issuedOn(a.issued_at, f.timeZone) : null,
      scopeClauses: parseScope(a.scope_clauses),
    });
  }
  for (const p of programmes)
    facts.get(p.organization_id)?.programmes.push({
      id: p.id,
      periodStart: p.period_start,
      periodEnd: p.period_end,
    });
  for (const r of reviews)
    facts.get(r.organization_id)?.reviews.push({
      id: r.id,
      title: r.title,
      heldOn: r.held_on,
    });
  for (const n of ncs) {
    const f = facts.get(n.organization_id);
    if (!f) continue;
    if (n.grade === 'major') f.openMajors = toCount(n.n);
    else f.openMinors = toCount(n.n);
  }
  for (const a of actions) {
    const f = facts.get(a.organization_id);
    if (f && (a.due as string) < f.today) f.overdueActions += toCount(a.n);
  }

  const latest: { id: number; revision: number; issuedAt: string }[] = [];
  for (const f of facts.values()) {
    const a = latestScoredAudit(f.audits);
    const r = a && revisionOf.get(a.id);
    if (a && r) latest.push({ id: a.id, ...r });
  }
  const scores = await verdictCounts(db, latest);
  return [...facts.values()].map((f) => ({
    ...clientRow(f, (id) => scores.get(id), clauses),
    timeZone: f.timeZone,
  }));
}
