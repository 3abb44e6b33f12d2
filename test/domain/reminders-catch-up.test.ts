import { describe, expect, it } from 'vitest';
import { remindersCatchUpDue } from '../../src/domain/notifications.js';
import { dateIn } from '../../src/domain/time-zone.js';

// When a started instance sends reminders at once instead of at its first scheduled run (interval: 5 minutes).
describe('remindersCatchUpDue', () => {
  const FIVE_MIN = 300_000;
  const zones = ['UTC', 'Asia/Shanghai', 'America/New_York'];
  const due = (last: string | null, now: string, z = zones) =>
    remindersCatchUpDue(last === null ? null : new Date(last), new Date(now), FIVE_MIN, z, dateIn);

  it.each([
    // last run finished           now                       due?   why
    [null, '2026-12-02T10:00:00Z', true], // never ran
    ['2026-12-02T09:58:00Z', '2026-12-02T10:00:00Z', false], // 2 minutes ago, same day everywhere
    ['2026-12-02T10:00:00Z', '2026-12-02T10:00:00Z', false], // this very moment
    ['2026-12-02T09:55:00.001Z', '2026-12-02T10:00:00Z', false], // just under an interval
    ['2026-12-02T09:55:00Z', '2026-12-02T10:00:00Z', true], // exactly an interval
    ['2026-12-01T10:00:00Z', '2026-12-02T10:00:00Z', true], // a day of downtime
    ['2026-12-02T10:01:00Z', '2026-12-02T10:00:00Z', true], // dated after now: the clock was set back
    ['2026-12-02T15:58:00Z', '2026-12-02T16:01:00Z', true], // midnight in Shanghai (UTC+8) in between
    ['2026-12-02T23:58:00Z', '2026-12-03T00:01:00Z', true], // midnight UTC in between
    ['2026-12-03T04:58:00Z', '2026-12-03T05:01:00Z', true], // midnight in New York (UTC−5) in between
  ] as const)('last %s, now %s → %s', (last, now, expected) => {
    expect(due(last, now)).toBe(expected);
  });

  it('looks only at the zones it is given', () => {
    // Midnight in Shanghai, but no organisation there.
    expect(due('2026-12-02T15:58:00Z', '2026-12-02T16:01:00Z', ['UTC', 'America/New_York'])).toBe(false);
    expect(due('2026-12-02T15:58:00Z', '2026-12-02T16:01:00Z', ['Asia/Shanghai'])).toBe(true);
  });
});
