// The consultant's table (issue 18): one row per client organisation. Pure rules: which audit's readiness is shown,
// how days since the last internal audit and management review are counted, the programme's coverage this cycle,
// and how rows are filtered, sorted and paged. Dates are calendar dates (YYYY-MM-DD) in each organisation's own
// time zone ("today" is the organisation's date).

import { certificationReadiness, type CertificationReadiness } from './certification.js';
import { daysBetween } from './due-dates.js';
import { MAJOR_NC_CAP, VERDICT_SCORE } from './readiness.js';
import { inScope } from './scope.js';
import type { Verdict } from './verdicts.js';

export const COMPLETED_STATUSES: readonly string[] = ['issued', 'closed'];

export interface ClientAudit {
  id: number;
  title: string;
  type: string;
  status: string;
  programmeId: number | null;
  plannedStart: string | null;
  actualEnd: string | null;
  /** The report's issue date in the organisation's calendar; null while not issued. */
  issuedOn: string | null;
  scopeClauses: readonly string[];
}
export interface ClientProgramme {
  id: number;
  periodStart: string;
  periodEnd: string;
}

/** Responses of one audit counted by verdict (every item in scope). */
export type VerdictCounts = Partial<Record<Verdict, number>>;

/**
 * Readiness of one audit from its verdict counts: the same rule as readiness() of src/domain/readiness.ts over the
 * whole scope (not audited items left out; a major nonconformity caps it at 59.9), with coverage = examined ÷ items.
 */
export function readinessFromCounts(c: VerdictCounts): { readiness: number; coverage: number; items: number } {
  let items = 0;
  let score = 0;
  for (const [v, n] of Object.entries(c) as [Verdict, number][]) {
    items += n;
    if (v !== 'not_audited') score += VERDICT_SCORE[v] * n;
  }
  const notAudited = c.not_audited ?? 0;
  const examined = items - notAudited - (c.not_assessed ?? 0);
  const pct = (s: number, n: number) => (n === 0 ? 0 : Math.round((s / n) * 1000) / 10);
  const r = pct(score, items - notAudited);
  return {
    readiness: (c.major_nc ?? 0) > 0 ? Math.min(r, MAJOR_NC_CAP) : r,
    coverage: pct(examined, items),
    items,
  };
}

const completed = (a: ClientAudit) => COMPLETED_STATUSES.includes(a.status) && a.issuedOn !== null;
const later = (a: ClientAudit, b: ClientAudit) =>
  a.issuedOn! > b.issuedOn! || (a.issuedOn === b.issuedOn && a.id > b.id);

/**
 * The audit whose readiness the table shows: the latest completed (issued or closed) audit scored by verdicts, by
 * issue date (then the later id). Self-assessments score levels, not verdicts, and are left out.
 */
export function latestScoredAudit(audits: readonly ClientAudit[]): ClientAudit | null {
  let best: ClientAudit | null = null;
  for (const a of audits)
    if (completed(a) && a.type !== 'self_assessment' && (best === null || later(a, best))) best = a;
  return best;
}

/**
 * The last internal audit held up to today: completed internal audits, dated by the end of their fieldwork (the
 * actual end date), or by the report's issue when no end was recorded.
 */
export function lastInternalAudit(audits: readonly ClientAudit[], today: string): string | null {
  let last: string | null = null;
  for (const a of audits) {
    if (a.type !== 'internal' || !completed(a)) continue;
    const d = a.actualEnd ?? a.issuedOn!;
    if (d <= today && (last === null || d > last)) last = d;
  }
  return last;
}

/** The last management review held up to today. */
export function lastReview(heldOn: readonly string[], today: string): string | null {
  let last: string | null = null;
  for (const d of heldOn) if (d <= today && (last === null || d > last)) last = d;
  return last;
}

/** Whole days from `date` to today; null when there is no date. */
export const daysSince = (date: string | null, today: string): number | null =>
  date === null ? null : daysBetween(date, today);

/** The next planned audit: the earliest planned start among audits still planned (a late one included). */
export function nextPlannedAudit(audits: readonly ClientAudit[]): ClientAudit | null {
  let next: ClientAudit | null = null;
  for (const a of audits)
    if (
      a.status === 'planned' &&
      a.plannedStart !== null &&
      (next === null || a.plannedStart < next.plannedStart! || (a.plannedStart === next.plannedStart && a.id < next.id))
    )
      next = a;
  return next;
}

/** This cycle's programme: the one whose period holds today (the latest started, when periods overlap). */
export function currentProgramme(programmes: readonly ClientProgramme[], today: string): ClientProgramme | null {
  let cur: ClientProgramme | null = null;
  for (const p of programmes)
    if (
      p.periodStart <= today &&
      today <= p.periodEnd &&
      (cur === null || p.periodStart > cur.periodStart || (p.periodStart === cur.periodStart && p.id > cur.id))
    )
      cur = p;
  return cur;
}

/**
 * Programme coverage this cycle (9.2.2): the share of the clauses (second level, 4.1–10.2) that a completed audit
 * of the current programme had in its scope. The programme's audits are those planned in it, or dated within its
 * period when planned outside any programme (as on the programme's coverage page). Null without a current programme.
 */
export function cycleCoverage(
  programme: ClientProgramme | null,
  audits: readonly ClientAudit[],
  clauses: readonly string[],
): { covered: number; total: number; percent: number } | null {
  if (!programme) return null;
  const scopes: (readonly string[])[] = [];
  for (const a of audits) {
    if (!completed(a)) continue;
    const inCycle =
      a.programmeId === programme.id ||
      (a.programmeId === null &&
        a.plannedStart !== null &&
        a.plannedStart >= programme.periodStart &&
        a.plannedStart <= programme.periodEnd);
    if (inCycle) scopes.push(a.scopeClauses);
  }
  const covered = clauses.filter((c) => scopes.some((s) => inScope(c, s))).length;
  const total = clauses.length;
  return { covered, total, percent: total === 0 ? 0 : Math.round((covered / total) * 1000) / 10 };
}

export interface ClientFacts {
  id: number;
  code: string;
  name: string;
  timeZone: string;
  today: string;
  smsStartedOn: string | null;
  audits: readonly ClientAudit[];
  programmes: readonly ClientProgramme[];
  reviews: readonly { id: number; title: string; heldOn: string }[];
  openMajors: number;
  openMinors: number;
  overdueActions: number;
}

export interface ClientRow {
  id: number;
  code: string;
  name: string;
  today: string;
  readiness: { auditId: number; auditTitle: string; issuedOn: string; readiness: number; coverage: number } | null;
  programmeCoverage: { covered: number; total: number; percent: number } | null;
  openMajors: number;
  openMinors: number;
  overdueActions: number;
  lastInternalAudit: string | null;
  daysSinceInternalAudit: number | null;
  lastManagementReview: string | null;
  daysSinceManagementReview: number | null;
  nextAudit: { auditId: number; title: string; plannedStart: string; late: boolean } | null;
  certification: CertificationReadiness;
}

/** One row of the table from an organisation's facts; `scoreOf` gives an audit's verdict counts. */
export function clientRow(
  f: ClientFacts,
  scoreOf: (auditId: number) => VerdictCounts | undefined,
  clauses: readonly string[],
): ClientRow {
  const latest = latestScoredAudit(f.audits);
  const counts = latest ? scoreOf(latest.id) : undefined;
  const r = counts ? readinessFromCounts(counts) : null;
  const lastAudit = lastInternalAudit(f.audits, f.today);
  const lastMr = lastReview(
    f.reviews.map((x) => x.heldOn),
    f.today,
  );
  const next = nextPlannedAudit(f.audits);
  return {
    id: f.id,
    code: f.code,
    name: f.name,
    today: f.today,
    readiness:
      latest && r
        ? {
            auditId: latest.id,
            auditTitle: latest.title,
            issuedOn: latest.issuedOn!,
            readiness: r.readiness,
            coverage: r.coverage,
          }
        : null,
    programmeCoverage: cycleCoverage(currentProgramme(f.programmes, f.today), f.audits, clauses),
    openMajors: f.openMajors,
    openMinors: f.openMinors,
    overdueActions: f.overdueActions,
    lastInternalAudit: lastAudit,
    daysSinceInternalAudit: daysSince(lastAudit, f.today),
    lastManagementReview: lastMr,
    daysSinceManagementReview: daysSince(lastMr, f.today),
    nextAudit: next
      ? { auditId: next.id, title: next.title, plannedStart: next.plannedStart!, late: next.plannedStart! < f.today }
      : null,
    certification: certificationReadiness({
      smsStartedOn: f.smsStartedOn,
      audits: f.audits.filter((a) => a.type === 'internal'),
      reviews: f.reviews,
      today: f.today,
    }),
  };
}

// ---- filtering, sorting, paging ----

export const CLIENT_SORTS = [
  'name',
  'code',
  'readiness',
  'coverage',
  'majors',
  'minors',
  'overdue',
  'sinceAudit',
  'sinceReview',
  'nextAudit',
  'certification',
] as const;
export type ClientSort = (typeof CLIENT_SORTS)[number];

export interface ClientFilter {
  /** Part of the name or the code, any case. */
  q?: string;
  hasOverdue?: boolean;
  hasOpenMajors?: boolean;
  readyToApply?: boolean;
}

export function filterClients(rows: readonly ClientRow[], f: ClientFilter): ClientRow[] {
  const q = f.q?.trim().toLowerCase();
  return rows.filter(
    (r) =>
      (!q || r.name.toLowerCase().includes(q) || r.code.toLowerCase().includes(q)) &&
      (!f.hasOverdue || r.overdueActions > 0) &&
      (!f.hasOpenMajors || r.openMajors > 0) &&
      (!f.readyToApply || r.certification.ready),
  );
}

/**
 * The value a column sorts by. Certification sorts by the date from which the organisation can apply (earliest
 * first; those that cannot tell yet last). Days since: never held sorts as the longest ago.
 */
function sortValue(r: ClientRow, s: ClientSort): string | number | null {
  switch (s) {
    case 'name':
      return r.name;
    case 'code':
      return r.code;
    case 'readiness':
      return r.readiness?.readiness ?? null;
    case 'coverage':
      return r.programmeCoverage?.percent ?? null;
    case 'majors':
      return r.openMajors;
    case 'minors':
      return r.openMinors;
    case 'overdue':
      return r.overdueActions;
    case 'sinceAudit':
      return r.daysSinceInternalAudit ?? Number.POSITIVE_INFINITY;
    case 'sinceReview':
      return r.daysSinceManagementReview ?? Number.POSITIVE_INFINITY;
    case 'nextAudit':
      return r.nextAudit?.plannedStart ?? null;
    case 'certification':
      return r.certification.canApplyFrom;
  }
}

const collator = new Intl.Collator('zh-CN');

/** Sorted by one column, rows without a value last in either direction; ties by code. */
export function sortClients(rows: readonly ClientRow[], s: ClientSort, dir: 'asc' | 'desc'): ClientRow[] {
  const sign = dir === 'asc' ? 1 : -1;
  const keyed = rows.map((r) => ({ r, v: sortValue(r, s) }));
  keyed.sort((a, b) => {
    if (a.v !== b.v) {
      if (a.v === null) return 1;
      if (b.v === null) return -1;
      const c = typeof a.v === 'string' ? collator.compare(a.v, b.v as string) : a.v < (b.v as number) ? -1 : 1;
      if (c !== 0) return c * sign;
    }
    return a.r.code < b.r.code ? -1 : a.r.code > b.r.code ? 1 : 0;
  });
  return keyed.map((k) => k.r);
}

export const CLIENT_PAGE_SIZE = 50;

/** Page n (1-based) of the rows; the page number is clamped to the last page. */
export function pageOf<T>(rows: readonly T[], page: number, size = CLIENT_PAGE_SIZE) {
  const pages = Math.max(1, Math.ceil(rows.length / size));
  const p = Math.min(Math.max(1, Math.floor(page)), pages);
  return { rows: rows.slice((p - 1) * size, p * size), page: p, pages, total: rows.length };
}
