import { describe, expect, it } from 'vitest';
import {
  type ClientAudit,
  type ClientRow,
  clientRow,
  currentProgramme,
  cycleCoverage,
  daysSince,
  filterClients,
  lastInternalAudit,
  lastReview,
  latestScoredAudit,
  nextPlannedAudit,
  pageOf,
  readinessFromCounts,
  sortClients,
} from '../../src/domain/clients.js';
import { readiness } from '../../src/domain/readiness.js';
import type { Verdict } from '../../src/domain/verdicts.js';

const audit = (over: Partial<ClientAudit> & { id: number }): ClientAudit => ({
  title: `Audit ${over.id}`,
  type: 'internal',
  status: 'issued',
  programmeId: null,
  plannedStart: null,
  actualEnd: null,
  issuedOn: '2026-01-10',
  scopeClauses: ['4', '5', '6', '7', '8', '9', '10'],
  ...over,
});

describe('readiness of one audit from its verdict counts', () => {
  // Hand-computed: (conforming 6 + ofi 1 + observation 2×0.75 + minor 1×0.25) ÷ (12 − 1 not audited) = 8.75 ÷ 11.
  it.each([
    [{ conforming: 6, ofi: 1, observation: 2, minor_nc: 1, not_assessed: 1, not_audited: 1 }, 79.5, 83.3, 12],
    [{ conforming: 9, major_nc: 1 }, 59.9, 100, 10], // 90 % capped by the major nonconformity
    [{ conforming: 1, major_nc: 3 }, 25, 100, 4], // under the cap: stays 25
    [{ not_assessed: 5 }, 0, 0, 5],
    [{}, 0, 0, 0],
  ] as const)('%o → readiness %d %%, coverage %d %%, %d items', (counts, r, c, n) => {
    expect(readinessFromCounts(counts)).toEqual({ readiness: r, coverage: c, items: n });
  });

  it('agrees with the readiness of the audit page for the same items', () => {
    const verdicts: Verdict[] = [
      'conforming',
      'conforming',
      'observation',
      'minor_nc',
      'not_audited',
      'ofi',
      'not_assessed',
    ];
    const items = verdicts.map((verdict) => ({ clause: '8', verdict, level: null }));
    const page = readiness(items, ['8'], false);
    const counts: Partial<Record<Verdict, number>> = {};
    for (const v of verdicts) counts[v] = (counts[v] ?? 0) + 1;
    const table = readinessFromCounts(counts);
    expect([table.readiness, table.coverage]).toEqual([page.overall, page.coverage]);
  });
});

describe('which dates the row shows', () => {
  const audits = [
    audit({ id: 1, issuedOn: '2025-03-01', actualEnd: '2025-02-20' }),
    audit({ id: 2, issuedOn: '2026-02-01', actualEnd: null }),
    audit({ id: 3, issuedOn: '2026-05-01', type: 'self_assessment' }),
    audit({ id: 4, issuedOn: '2026-04-01', type: 'external' }),
    audit({ id: 5, status: 'reporting', issuedOn: null, actualEnd: '2026-06-01' }),
    audit({ id: 6, status: 'planned', issuedOn: null, plannedStart: '2026-09-01' }),
    audit({ id: 7, status: 'planned', issuedOn: null, plannedStart: '2026-07-15' }),
  ];
  it('readiness comes from the latest issued audit scored by verdicts (the self-assessment is left out)', () => {
    expect(latestScoredAudit(audits)?.id).toBe(4);
  });
  it('the last internal audit is the latest completed internal one, by fieldwork end or else by issue', () => {
    expect(lastInternalAudit(audits, '2026-06-30')).toBe('2026-02-01');
    expect(lastInternalAudit(audits, '2026-01-31')).toBe('2025-02-20');
    expect(lastInternalAudit([], '2026-01-31')).toBeNull();
  });
  it('the last management review is the latest held up to today', () => {
    expect(lastReview(['2025-11-30', '2026-12-01', '2026-06-30'], '2026-11-30')).toBe('2026-06-30');
    expect(lastReview(['2026-12-01'], '2026-11-30')).toBeNull();
  });
  it('days since count calendar days from the date to today', () => {
    expect(daysSince('2026-11-01', '2026-11-30')).toBe(29);
    expect(daysSince('2025-11-30', '2026-11-30')).toBe(365);
    expect(daysSince(null, '2026-11-30')).toBeNull();
  });
  it('the next planned audit is the earliest planned start among planned audits', () => {
    expect(nextPlannedAudit(audits)?.id).toBe(7);
  });
});

describe('programme coverage this cycle', () => {
  const clauses = ['4.1', '4.2', '8.1', '8.6', '9.2', '10.1'];
  const programmes = [
    { id: 10, periodStart: '2025-01-01', periodEnd: '2025-12-31' },
    { id: 11, periodStart: '2026-01-01', periodEnd: '2026-12-31' },
  ];
  it('the current programme is the one whose period holds today', () => {
    expect(currentProgramme(programmes, '2026-11-30')?.id).toBe(11);
    expect(currentProgramme(programmes, '2027-01-01')).toBeNull();
  });
  it("counts the clauses completed audits of the cycle had in scope: planned or last cycle's audits do not count", () => {
    const audits = [
      audit({ id: 1, programmeId: 11, scopeClauses: ['4', '8.6'] }),
      audit({ id: 2, programmeId: null, plannedStart: '2026-03-01', scopeClauses: ['9.2'] }),
      audit({ id: 3, programmeId: 10, scopeClauses: ['10'] }),
      audit({ id: 4, programmeId: 11, status: 'planned', issuedOn: null, scopeClauses: ['8'] }),
    ];
    // 4.1, 4.2 (clause 4), 8.6 and 9.2: 4 of 6.
    expect(cycleCoverage(programmes[1]!, audits, clauses)).toEqual({ covered: 4, total: 6, percent: 66.7 });
    expect(cycleCoverage(null, audits, clauses)).toBeNull();
  });
});

describe('filtering, sorting and paging the table', () => {
  const row = (code: string, name: string, over: Partial<ClientRow> = {}): ClientRow => ({
    ...clientRow(
      {
        id: code.charCodeAt(0),
        code,
        name,
        timeZone: 'UTC',
        today: '2026-11-30',
        smsStartedOn: null,
        audits: [],
        programmes: [],
        reviews: [],
        openMajors: 0,
        openMinors: 0,
        overdueActions: 0,
      },
      () => undefined,
      [],
    ),
    ...over,
  });
  const ready = { ready: true, canApplyFrom: '2026-05-01', conditions: [] };
  const rows = [
    row('B', 'Beta 北京', { openMajors: 2, overdueActions: 0 }),
    row('A', 'Alpha 上海', { openMajors: 0, overdueActions: 3, certification: ready }),
    row('C', 'Gamma', { openMajors: 1, overdueActions: 1, daysSinceInternalAudit: 40 }),
  ];
  it.each([
    [{ q: 'bet' }, ['B']],
    [{ q: '上海' }, ['A']],
    [{ q: 'c' }, ['C']],
    [{ hasOverdue: true }, ['A', 'C']],
    [{ hasOpenMajors: true }, ['B', 'C']],
    [{ readyToApply: true }, ['A']],
    [{ hasOverdue: true, hasOpenMajors: true }, ['C']],
  ])('%o keeps %o', (f, codes) => {
    expect(filterClients(rows, f).map((r) => r.code)).toEqual(codes);
  });
  it('sorts by a column either way; rows without a value go last both ways', () => {
    expect(sortClients(rows, 'majors', 'desc').map((r) => r.code)).toEqual(['B', 'C', 'A']);
    expect(sortClients(rows, 'overdue', 'asc').map((r) => r.code)).toEqual(['B', 'C', 'A']);
    expect(sortClients(rows, 'certification', 'asc').map((r) => r.code)).toEqual(['A', 'B', 'C']);
    expect(sortClients(rows, 'certification', 'desc').map((r) => r.code)).toEqual(['A', 'B', 'C']);
    // Never audited counts as the longest ago.
    expect(sortClients(rows, 'sinceAudit', 'asc').map((r) => r.code)).toEqual(['C', 'A', 'B']);
    expect(sortClients(rows, 'name', 'desc').map((r) => r.code)).toEqual(['C', 'B', 'A']);
  });
  it('pages by 50, the page number clamped', () => {
    const many = Array.from({ length: 120 }, (_, i) => i);
    expect(pageOf(many, 3)).toMatchObject({ page: 3, pages: 3, total: 120, rows: many.slice(100) });
    expect(pageOf(many, 9).page).toBe(3);
    expect(pageOf([], 1)).toEqual({ rows: [], page: 1, pages: 1, total: 0 });
  });
});
