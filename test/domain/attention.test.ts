import { describe, expect, it } from 'vitest';
import {
  ATTENTION_KINDS,
  byUrgency,
  HORIZON_DAYS,
  managementReviewDue,
  pastDue,
  REVIEW_INTERVAL_DAYS,
  withinHorizon,
} from '../../src/domain/attention.js';

describe('needs attention (需关注): what is due, overdue, and in which order', () => {
  it('lists the ten kinds of waiting work', () => {
    expect([...ATTENTION_KINDS]).toEqual([
      'nonconformity',
      'action',
      'proposal',
      'effectiveness_review',
      'audit',
      'planned_audit',
      'management_review',
      'evidence_review',
      'evidence_request',
      'evidence_request_review',
    ]);
    expect(HORIZON_DAYS).toBe(30);
    expect(REVIEW_INTERVAL_DAYS).toBe(365);
  });

  it.each([
    [null, false],
    ['2026-05-31', true],
    ['2026-06-01', false],
    ['2026-06-02', false],
  ])('due %s is overdue on 2026-06-01: %s (due today is not yet overdue)', (due, overdue) => {
    expect(pastDue(due, '2026-06-01')).toBe(overdue);
  });

  it.each([
    [null, false],
    ['2025-01-01', true],
    ['2026-06-01', true],
    ['2026-07-01', true],
    ['2026-07-02', false],
  ])('due %s is within 30 days of 2026-06-01: %s', (due, within) => {
    expect(withinHorizon(due, '2026-06-01')).toBe(within);
  });

  it.each([
    // a review scheduled today or later, within 30 days: scheduled; beyond: not listed yet
    [null, '2026-06-01', { due: '2026-06-01', state: 'scheduled' }],
    ['2025-01-10', '2026-07-01', { due: '2026-07-01', state: 'scheduled' }],
    [null, '2026-07-02', null],
    // a scheduled date already past is ignored: the last held review decides
    [null, '2026-05-31', { due: null, state: 'never' }],
    ['2025-06-01', '2026-05-31', { due: '2026-06-01', state: 'due' }],
    // 365 days after the last review (2024 is a leap year: 2024-03-01 + 365 = 2025-03-01)
    ['2025-07-01', null, { due: '2026-07-01', state: 'due' }],
    ['2025-07-02', null, null],
    ['2024-03-01', null, { due: '2025-03-01', state: 'due' }],
    ['2023-01-01', null, { due: '2024-01-01', state: 'due' }],
  ] as const)('last held %s, scheduled %s, on 2026-06-01 → %j', (last, scheduled, expected) => {
    expect(managementReviewDue(last, scheduled, '2026-06-01')).toEqual(expected);
  });

  it('orders overdue first, then by due date, undated last, ties by title', () => {
    const items = [
      { title: 'b', due: null, overdue: false },
      { title: 'undated overdue', due: null, overdue: true },
      { title: 'b', due: '2026-05-01', overdue: false },
      { title: 'a', due: null, overdue: false },
      { title: 'a', due: '2026-05-01', overdue: false },
      { title: 'c', due: '2026-04-30', overdue: false },
      { title: 'z', due: '2026-03-01', overdue: true },
    ];
    expect(items.sort(byUrgency).map((i) => `${i.title} ${i.due ?? '-'}`)).toEqual([
      'z 2026-03-01',
      'undated overdue -',
      'c 2026-04-30',
      'a 2026-05-01',
      'b 2026-05-01',
      'a -',
      'b -',
    ]);
  });

  it('compares two items both ways', () => {
    type Item = { title: string; due: string | null; overdue: boolean };
    const late: Item = { title: 'x', due: '2026-06-02', overdue: false };
    const soon: Item = { title: 'y', due: '2026-06-01', overdue: false };
    const undated: Item = { title: 'a', due: null, overdue: false };
    const overdue: Item = { title: 'z', due: '2026-06-03', overdue: true };
    expect([byUrgency(soon, late), byUrgency(late, soon)]).toEqual([-1, 1]);
    expect([byUrgency(undated, late), byUrgency(late, undated)]).toEqual([1, -1]);
    expect([byUrgency(overdue, soon), byUrgency(soon, overdue)]).toEqual([-1, 1]);
    expect(byUrgency(soon, { ...soon })).toBe(0);
  });
});
