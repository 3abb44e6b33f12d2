import { describe, expect, it } from 'vitest';
import {
  addDays,
  DEFAULT_DUE_SETTINGS,
  dateOf,
  daysBetween,
  daysOpen,
  daysOverdue,
  defaultDueDate,
  isOverdue,
} from '../../src/domain/due-dates.js';

describe('due dates and overdue items (10.1, calendar dates)', () => {
  it('takes the UTC calendar date of a timestamp, given as text or as a Date', () => {
    expect(dateOf('2026-12-01T23:59:59.999Z')).toBe('2026-12-01');
    expect(dateOf(new Date('2026-12-02T00:00:00Z'))).toBe('2026-12-02');
    expect(dateOf('2026-02-28T16:00:00+08:00')).toBe('2026-02-28');
  });

  it('adds days across month and leap-year ends, and counts days between', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(daysBetween('2026-01-01', '2026-03-01')).toBe(59);
    expect(daysBetween('2026-03-01T10:00:00Z', '2026-01-01')).toBe(-59);
  });

  it('gives a major 30 days and a minor 60 by default, observations and OFIs none', () => {
    expect(DEFAULT_DUE_SETTINGS).toEqual({ majorDueDays: 30, minorDueDays: 60, proposalDueDays: 14 });
    expect(defaultDueDate('major', '2026-12-01', DEFAULT_DUE_SETTINGS)).toBe('2026-12-31');
    expect(defaultDueDate('minor', '2026-12-01', DEFAULT_DUE_SETTINGS)).toBe('2027-01-30');
    expect(defaultDueDate(null, '2026-12-01', DEFAULT_DUE_SETTINGS)).toBeNull();
  });

  it('flags overdue only past the due day and never once finished, whatever the kind of record', () => {
    const today = '2026-12-02';
    const cases: [string | null, string, boolean][] = [
      ['2026-12-01', 'open', true],
      ['2026-12-02', 'open', false], // due today: not yet overdue
      ['2026-12-03', 'in_progress', false],
      [null, 'open', false],
      ['2026-11-01', 'closed', false],
      ['2026-11-01', 'done', false],
      ['2026-11-01', 'cancelled', false],
      ['2026-11-01', 'rejected', false],
      ['2026-11-01', 'implemented', false],
      ['2026-11-01', 'planned', true],
      ['2026-11-01', 'actions_planned', true],
    ];
    for (const [due, status, overdue] of cases) expect(isOverdue(due, status, today), `${due} ${status}`).toBe(overdue);
    expect(daysOverdue('2026-11-01', 'open', today)).toBe(31);
    expect(daysOverdue('2026-11-01', 'done', today)).toBe(0);
  });

  it('counts days open until closed, or until today, never below zero', () => {
    expect(daysOpen('2026-11-01', '2026-11-11T08:00:00Z', '2026-12-02')).toBe(10);
    expect(daysOpen('2026-11-01', null, '2026-12-02')).toBe(31);
    expect(daysOpen('2026-12-05', null, '2026-12-02')).toBe(0);
  });
});
