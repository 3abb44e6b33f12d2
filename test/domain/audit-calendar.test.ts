import { describe, expect, it } from 'vitest';
import { calendarDays, calendarMoved } from '../../src/domain/audit-calendar.js';

const d = (
  plannedStart: string | null,
  plannedEnd: string | null,
  actualStart: string | null,
  actualEnd: string | null,
) => ({
  plannedStart,
  plannedEnd,
  actualStart,
  actualEnd,
});

describe('the days an audit occupies in the calendar feed', () => {
  it.each([
    [
      'planned days',
      d('2026-03-02', '2026-03-04', '2026-03-03', '2026-03-09'),
      { first: '2026-03-02', last: '2026-03-04' },
    ],
    ['planned start only: one day', d('2026-03-02', null, null, null), { first: '2026-03-02', last: '2026-03-02' }],
    [
      'an end before the start counts as one day',
      d('2026-03-02', '2026-03-01', null, null),
      { first: '2026-03-02', last: '2026-03-02' },
    ],
    [
      'never planned: the actual days',
      d(null, null, '2026-05-11', '2026-05-12'),
      { first: '2026-05-11', last: '2026-05-12' },
    ],
    ['never planned, not finished', d(null, null, '2026-05-11', null), { first: '2026-05-11', last: '2026-05-11' }],
    ['no date at all', d(null, null, null, null), null],
  ])('%s', (_, dates, days) => {
    expect(calendarDays(dates)).toEqual(days);
  });

  it.each([
    ['a new planned end', d('2026-03-02', '2026-03-04', null, null), d('2026-03-02', '2026-03-05', null, null), true],
    ['a new planned start', d('2026-03-02', '2026-03-04', null, null), d('2026-03-01', '2026-03-04', null, null), true],
    ['the first date ever', d(null, null, null, null), d(null, null, '2026-05-11', null), true],
    [
      'the actual start of a planned audit',
      d('2026-03-02', '2026-03-04', null, null),
      d('2026-03-02', '2026-03-04', '2026-03-03', null),
      false,
    ],
    ['nothing changed', d('2026-03-02', '2026-03-04', null, null), d('2026-03-02', '2026-03-04', null, null), false],
  ])('%s moves the event: %s', (_, before, after, moved) => {
    expect(calendarMoved(before, after)).toBe(moved);
  });
});
