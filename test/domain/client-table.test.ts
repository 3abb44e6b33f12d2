import { describe, expect, it } from 'vitest';
import {
  CLIENT_SORTS,
  type ClientAudit,
  type ClientRow,
  COMPLETED_STATUSES,
  clientRow,
  currentProgramme,
  cycleCoverage,
  latestScoredAudit,
  pageOf,
  sortClients,
} from '../../src/domain/clients.js';

// The consultant's table (issue 18): one whole row computed by hand, every sort column both ways, programmes that
// overlap, the boundaries of a cycle, paging.
const audit = (over: Partial<ClientAudit> & { id: number }): ClientAudit => ({
  title: `Audit ${over.id}`,
  type: 'internal',
  status: 'issued',
  programmeId: null,
  plannedStart: null,
  actualEnd: null,
  issuedOn: null,
  scopeClauses: [],
  ...over,
});

describe('one row of the consultant table, counted by hand', () => {
  const audits = [
    audit({ id: 1, issuedOn: '2026-03-10', actualEnd: '2026-03-05', programmeId: 11, scopeClauses: ['4', '9'] }),
    audit({
      id: 2,
      type: 'external',
      status: 'closed',
      issuedOn: '2026-06-01',
      plannedStart: '2026-05-20',
      scopeClauses: ['8.1'],
    }),
    audit({ id: 3, type: 'self_assessment', issuedOn: '2026-09-01', scopeClauses: ['8'] }),
    audit({ id: 6, status: 'planned', plannedStart: '2026-11-20' }),
    audit({ id: 4, status: 'planned', plannedStart: '2026-11-20' }),
    audit({ id: 5, status: 'planned', plannedStart: '2026-12-15' }),
  ];
  const row = clientRow(
    {
      id: 9,
      code: 'SH-01',
      name: '上海数据服务',
      timeZone: 'Asia/Shanghai',
      today: '2026-11-30',
      smsStartedOn: '2026-01-05',
      audits,
      programmes: [{ id: 11, periodStart: '2026-01-01', periodEnd: '2026-12-31' }],
      reviews: [
        { id: 1, title: 'MR 2026', heldOn: '2026-04-15' },
        { id: 2, title: 'MR 2026-2', heldOn: '2026-12-10' },
      ],
      openMajors: 1,
      openMinors: 2,
      overdueActions: 3,
    },
    (id) => (id === 2 ? { conforming: 3, minor_nc: 1 } : { major_nc: 5 }),
    ['4.1', '8.1', '8.6', '9.2'],
  );

  it('shows the latest scored audit (the external one; the self-assessment is left out): (3 + 0.25) ÷ 4', () => {
    expect(row.readiness).toEqual({
      auditId: 2,
      auditTitle: 'Audit 2',
      issuedOn: '2026-06-01',
      readiness: 81.3,
      coverage: 100,
    });
  });

  it('counts 4.1 and 9.2 (audit 1, of the programme) and 8.1 (audit 2, planned within its period): 3 of 4', () => {
    expect(row.programmeCoverage).toEqual({ covered: 3, total: 4, percent: 75 });
  });

  it('dates the last internal audit by its fieldwork end (270 days) and the last review held (229 days)', () => {
    expect([
      row.lastInternalAudit,
      row.daysSinceInternalAudit,
      row.lastManagementReview,
      row.daysSinceManagementReview,
    ]).toEqual(['2026-03-05', 270, '2026-04-15', 229]);
  });

  it('names the next planned audit, the lower id of two on the same day, late since its start has passed', () => {
    expect(row.nextAudit).toEqual({ auditId: 4, title: 'Audit 4', plannedStart: '2026-11-20', late: true });
  });

  it('carries the counts and judges certification readiness on the internal audits only', () => {
    expect([row.id, row.code, row.name, row.today, row.openMajors, row.openMinors, row.overdueActions]).toEqual([
      9,
      'SH-01',
      '上海数据服务',
      '2026-11-30',
      1,
      2,
      3,
    ]);
    expect(row.certification).toEqual({
      ready: false,
      canApplyFrom: null,
      conditions: [
        { code: 'smsOperated', met: true, since: '2026-01-05', from: '2026-04-05' },
        { code: 'internalAudit', met: false, audit: audits[0], missingClauses: ['5', '6', '7', '8', '10'] },
        { code: 'managementReview', met: true, review: { id: 1, title: 'MR 2026', heldOn: '2026-04-15' } },
      ],
    });
  });

  it('shows no readiness when the latest audit has no answers, and nothing for an organisation without audits', () => {
    const bare = clientRow(
      {
        id: 1,
        code: 'X',
        name: 'X',
        timeZone: 'UTC',
        today: '2026-11-30',
        smsStartedOn: null,
        audits: [audit({ id: 7, issuedOn: '2026-10-01', status: 'issued' })],
        programmes: [],
        reviews: [],
        openMajors: 0,
        openMinors: 0,
        overdueActions: 0,
      },
      () => undefined,
      ['4.1'],
    );
    expect([bare.readiness, bare.programmeCoverage, bare.nextAudit, bare.lastManagementReview]).toEqual([
      null,
      null,
      null,
      null,
    ]);
    expect([bare.lastInternalAudit, bare.daysSinceInternalAudit]).toEqual(['2026-10-01', 60]);
  });
});

describe('which audit and which programme count', () => {
  it('counts issued and closed audits as completed', () => {
    expect(COMPLETED_STATUSES).toEqual(['issued', 'closed']);
  });

  it('takes the later id of two audits issued the same day; a report not yet issued does not count', () => {
    expect(
      latestScoredAudit([
        audit({ id: 3, issuedOn: '2026-05-01' }),
        audit({ id: 8, issuedOn: '2026-05-01' }),
        audit({ id: 5, issuedOn: '2026-05-01' }),
        audit({ id: 9, status: 'reporting', issuedOn: '2026-06-01' }),
      ])?.id,
    ).toBe(8);
    expect(latestScoredAudit([audit({ id: 1, status: 'issued', issuedOn: null })])).toBeNull();
  });

  it('takes the latest started of overlapping programmes, the higher id on the same start; periods are inclusive', () => {
    const programmes = [
      { id: 1, periodStart: '2026-01-01', periodEnd: '2026-12-31' },
      { id: 3, periodStart: '2026-07-01', periodEnd: '2026-09-30' },
      { id: 2, periodStart: '2026-07-01', periodEnd: '2027-06-30' },
    ];
    expect(currentProgramme(programmes, '2026-08-01')?.id).toBe(3);
    expect(currentProgramme(programmes, '2026-10-01')?.id).toBe(2);
    expect(currentProgramme(programmes, '2026-01-01')?.id).toBe(1);
    expect(currentProgramme(programmes, '2027-06-30')?.id).toBe(2);
    expect(currentProgramme(programmes, '2025-12-31')).toBeNull();
  });

  it('counts an audit outside any programme planned on the first or last day of the cycle, not the day after', () => {
    const p = { id: 5, periodStart: '2026-01-01', periodEnd: '2026-12-31' };
    const audits = [
      audit({ id: 1, issuedOn: '2026-02-01', plannedStart: '2026-01-01', scopeClauses: ['4'] }),
      audit({ id: 2, issuedOn: '2027-01-10', plannedStart: '2026-12-31', scopeClauses: ['5'] }),
      audit({ id: 3, issuedOn: '2027-01-10', plannedStart: '2027-01-01', scopeClauses: ['6'] }),
      audit({ id: 4, issuedOn: '2026-03-01', plannedStart: null, scopeClauses: ['7'] }),
      audit({ id: 5, issuedOn: '2026-03-01', programmeId: 6, plannedStart: '2026-03-01', scopeClauses: ['8'] }),
    ];
    expect(cycleCoverage(p, audits, ['4.1', '5.1', '6.1', '7.1', '8.1'])).toEqual({
      covered: 2,
      total: 5,
      percent: 40,
    });
    expect(cycleCoverage(p, audits, [])).toEqual({ covered: 0, total: 0, percent: 0 });
  });
});

describe('sorting and paging the table', () => {
  const base = clientRow(
    {
      id: 1,
      code: '',
      name: '',
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
  );
  const r = (code: string, over: Partial<ClientRow>): ClientRow => ({ ...base, code, ...over });
  const readiness = (value: number) => ({
    auditId: 1,
    auditTitle: 'A',
    issuedOn: '2026-01-01',
    readiness: value,
    coverage: 100,
  });
  const next = (plannedStart: string) => ({ auditId: 1, title: 'A', plannedStart, late: false });
  const rows = [
    r('K2', {
      name: '上海',
      readiness: readiness(70),
      programmeCoverage: { covered: 1, total: 2, percent: 50 },
      openMinors: 3,
      daysSinceManagementReview: 10,
      nextAudit: next('2026-12-05'),
    }),
    r('K1', { name: '北京', openMinors: 3 }),
    r('K3', {
      name: '广州',
      readiness: readiness(85),
      programmeCoverage: { covered: 2, total: 2, percent: 100 },
      daysSinceManagementReview: 400,
      nextAudit: next('2026-12-01'),
    }),
  ];
  const codes = (s: (typeof CLIENT_SORTS)[number], dir: 'asc' | 'desc') => sortClients(rows, s, dir).map((x) => x.code);

  it('offers eleven columns', () => {
    expect([...CLIENT_SORTS]).toEqual([
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
    ]);
  });

  it.each([
    ['name', ['K1', 'K3', 'K2'], ['K2', 'K3', 'K1']], // pinyin: Beijing, Guangzhou, Shanghai
    ['code', ['K1', 'K2', 'K3'], ['K3', 'K2', 'K1']],
    ['readiness', ['K2', 'K3', 'K1'], ['K3', 'K2', 'K1']],
    ['coverage', ['K2', 'K3', 'K1'], ['K3', 'K2', 'K1']],
    ['minors', ['K3', 'K1', 'K2'], ['K1', 'K2', 'K3']], // equal counts by code, both ways
    ['sinceReview', ['K2', 'K3', 'K1'], ['K1', 'K3', 'K2']], // never held: the longest ago
    ['nextAudit', ['K3', 'K2', 'K1'], ['K2', 'K3', 'K1']],
    ['majors', ['K1', 'K2', 'K3'], ['K1', 'K2', 'K3']],
  ] as const)('by %s: ascending %j, descending %j', (s, asc, desc) => {
    expect(codes(s, 'asc')).toEqual(asc);
    expect(codes(s, 'desc')).toEqual(desc);
  });

  it('clamps the page to 1 … last, whole pages only, and pages by any size', () => {
    const five = [1, 2, 3, 4, 5];
    expect(pageOf(five, 2, 2)).toEqual({ rows: [3, 4], page: 2, pages: 3, total: 5 });
    expect(pageOf(five, 3, 2)).toEqual({ rows: [5], page: 3, pages: 3, total: 5 });
    expect(pageOf(five, 2.7, 2).page).toBe(2);
    expect(pageOf(five, 0, 2).page).toBe(1);
    expect(pageOf(five, -3, 2).rows).toEqual([1, 2]);
    expect(pageOf(five, 1).pages).toBe(1);
    expect(
      pageOf(
        Array.from({ length: 51 }, (_, i) => i),
        2,
      ).rows,
    ).toEqual([50]);
  });
});
