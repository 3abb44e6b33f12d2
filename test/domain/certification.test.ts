import { describe, expect, it } from 'vitest';
import {
  addMonths,
  type CertAudit,
  CLAUSES_4_TO_10,
  certificationReadiness,
  MIN_OPERATION_MONTHS,
  missingClauses,
} from '../../src/domain/certification.js';

// Certification readiness (China): three months of operation, an issued internal audit covering clauses 4–10 as a
// whole, a management review held. The first date to apply from is the latest of the three dates.
const ALL = ['4', '5', '6', '7', '8', '9', '10'];
const audit = (id: number, issuedOn: string | null, scopeClauses: string[] = ALL, over: Partial<CertAudit> = {}) => ({
  id,
  title: `Audit ${id}`,
  type: 'internal',
  status: 'issued',
  issuedOn,
  scopeClauses,
  ...over,
});
const review = (id: number, heldOn: string) => ({ id, title: `Review ${id}`, heldOn });

describe('certification readiness: the rule', () => {
  it('asks for three months of operation and clauses 4 to 10', () => {
    expect(MIN_OPERATION_MONTHS).toBe(3);
    expect([...CLAUSES_4_TO_10]).toEqual(ALL);
  });

  it.each([
    ['2026-01-15', 3, '2026-04-15'],
    ['2026-11-30', 3, '2027-02-28'],
    ['2027-11-30', 3, '2028-02-29'],
    ['2026-10-31', 3, '2027-01-31'],
    ['2026-12-01', 0, '2026-12-01'],
    ['2026-12-31', 1, '2027-01-31'],
    ['2026-05-31', 1, '2026-06-30'],
    ['2026-01-05', 12, '2027-01-05'],
    ['2026-02-09', 10, '2026-12-09'],
  ])('%s + %i months = %s', (date, months, result) => {
    expect(addMonths(date, months)).toBe(result);
  });

  it.each([
    [ALL, []],
    [
      ['4', '5', '6', '7', '8.6', '9'],
      ['8', '10'],
    ],
    [['10', '9', '8', '7', '6', '5', '4', '8.1'], []],
    [[], ALL],
    [['4.1', '4.2', '4.3', '4.4'], ALL],
  ])('an audit of %j leaves out %j', (scope, missing) => {
    expect(missingClauses(scope)).toEqual(missing);
  });

  it('is ready when all three hold; it may apply from the latest of the three dates', () => {
    const r = certificationReadiness({
      smsStartedOn: '2026-01-10',
      audits: [
        audit(1, '2026-03-01'),
        audit(2, '2026-02-01'),
        audit(3, '2026-01-05', ALL, { type: 'surveillance' }),
        audit(4, '2026-01-06', ALL, { status: 'reporting' }),
        audit(5, null, ALL, { status: 'closed' }),
      ],
      reviews: [review(1, '2026-05-01'), review(2, '2026-03-15'), review(3, '2026-07-01')],
      today: '2026-06-01',
    });
    expect(r).toEqual({
      ready: true,
      canApplyFrom: '2026-04-10',
      conditions: [
        { code: 'smsOperated', met: true, since: '2026-01-10', from: '2026-04-10' },
        { code: 'internalAudit', met: true, audit: audit(2, '2026-02-01'), missingClauses: [] },
        { code: 'managementReview', met: true, review: review(2, '2026-03-15') },
      ],
    });
  });

  it('counts a closed audit, and applies from the audit when it came last', () => {
    const r = certificationReadiness({
      smsStartedOn: '2025-01-10',
      audits: [audit(7, '2026-05-20', ALL, { status: 'closed' })],
      reviews: [review(1, '2026-02-01')],
      today: '2026-06-01',
    });
    expect([r.ready, r.canApplyFrom, r.conditions[1]]).toEqual([
      true,
      '2026-05-20',
      {
        code: 'internalAudit',
        met: true,
        audit: audit(7, '2026-05-20', ALL, { status: 'closed' }),
        missingClauses: [],
      },
    ]);
  });

  it('applies from the review when it came last', () => {
    const r = certificationReadiness({
      smsStartedOn: '2025-01-10',
      audits: [audit(1, '2026-01-20')],
      reviews: [review(1, '2026-06-01')],
      today: '2026-06-01',
    });
    expect([r.ready, r.canApplyFrom]).toEqual([true, '2026-06-01']);
  });

  it('has operated three months on the day the three months are over, not the day before', () => {
    const on = (today: string) =>
      certificationReadiness({ smsStartedOn: '2026-01-10', audits: [], reviews: [], today }).conditions[0];
    expect(on('2026-04-10')).toEqual({ code: 'smsOperated', met: true, since: '2026-01-10', from: '2026-04-10' });
    expect(on('2026-04-09')).toEqual({ code: 'smsOperated', met: false, since: '2026-01-10', from: '2026-04-10' });
  });

  it('says what is missing: no start date, the clauses the closest audit left out, no review held yet', () => {
    const r = certificationReadiness({
      smsStartedOn: null,
      audits: [
        audit(1, '2026-01-01', ['4', '5', '6', '7', '8.6', '9']),
        audit(2, '2026-03-01', ['4', '5', '6', '7', '8', '9']),
        audit(3, '2025-12-01', ['4', '8', '9', '10']),
        audit(4, '2026-02-01', ['4', '5', '6', '7', '8', '9']),
        audit(5, '2025-11-01', ALL, { type: 'certification' }),
      ],
      reviews: [review(1, '2026-06-02')],
      today: '2026-06-01',
    });
    expect(r).toEqual({
      ready: false,
      canApplyFrom: null,
      conditions: [
        { code: 'smsOperated', met: false, since: null, from: null },
        // 2 and 4 both leave out only clause 10: the earlier issued one is named
        {
          code: 'internalAudit',
          met: false,
          audit: audit(4, '2026-02-01', ['4', '5', '6', '7', '8', '9']),
          missingClauses: ['10'],
        },
        { code: 'managementReview', met: false, review: null },
      ],
    });
  });

  it('takes the earliest issued audit and the earliest review, whatever order they come in', () => {
    const r = certificationReadiness({
      smsStartedOn: '2025-01-10',
      audits: [audit(2, '2026-02-01'), audit(1, '2026-03-01'), audit(3, '2026-04-01')],
      reviews: [review(2, '2026-03-15'), review(1, '2026-05-01'), review(3, '2026-05-20')],
      today: '2026-06-01',
    });
    expect([r.canApplyFrom, r.conditions[1], r.conditions[2]]).toEqual([
      '2026-03-15',
      { code: 'internalAudit', met: true, audit: audit(2, '2026-02-01'), missingClauses: [] },
      { code: 'managementReview', met: true, review: review(2, '2026-03-15') },
    ]);
  });

  it('does not count an audit marked issued without an issue date', () => {
    const r = certificationReadiness({
      smsStartedOn: '2025-01-10',
      audits: [audit(1, null, ALL, { status: 'issued' })],
      reviews: [review(1, '2026-03-15')],
      today: '2026-06-01',
    });
    expect(r.conditions[1]).toEqual({ code: 'internalAudit', met: false, audit: null, missingClauses: ALL });
  });

  it('names every clause missing when no internal audit was issued', () => {
    const r = certificationReadiness({
      smsStartedOn: '2026-01-10',
      audits: [audit(1, null, ALL, { status: 'reporting' })],
      reviews: [review(1, '2026-06-01')],
      today: '2026-06-01',
    });
    expect([r.ready, r.canApplyFrom, r.conditions[1]]).toEqual([
      false,
      null,
      { code: 'internalAudit', met: false, audit: null, missingClauses: ALL },
    ]);
  });

  it('knows no date to apply from while only the audit is missing', () => {
    const r = certificationReadiness({
      smsStartedOn: '2026-01-10',
      audits: [audit(1, '2026-03-01', ['4'])],
      reviews: [review(1, '2026-03-01')],
      today: '2026-06-01',
    });
    expect([r.ready, r.canApplyFrom]).toEqual([false, null]);
  });
});
