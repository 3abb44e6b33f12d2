import { describe, expect, it } from 'vitest';
import { dateIn, isTimeZone, timeZoneNames, wallClock } from '../../src/domain/time-zone.js';

describe('time zones (stored UTC, read in the organisation’s zone)', () => {
  it('gives the Shanghai date of an instant that is still the previous day in UTC', () => {
    // 2026-12-01 17:30 UTC is 2026-12-02 01:30 in Shanghai (UTC+8, no daylight saving).
    expect(wallClock('2026-12-01T17:30:00Z', 'Asia/Shanghai')).toEqual({ date: '2026-12-02', time: '01:30' });
    expect(dateIn('2026-12-01T17:30:00Z', 'UTC')).toBe('2026-12-01');
  });

  it('follows daylight saving where the zone has it', () => {
    expect(wallClock('2026-07-01T12:00:00Z', 'Europe/Berlin').time).toBe('14:00');
    expect(wallClock('2026-01-15T12:00:00Z', 'Europe/Berlin').time).toBe('13:00');
  });

  it('knows IANA names and refuses anything else', () => {
    expect(isTimeZone('Asia/Shanghai')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isTimeZone('')).toBe(false);
    expect(timeZoneNames()).toContain('Asia/Shanghai');
  });

  it('reads every minute around daylight-saving changes as the platform does, in whole, half and quarter-hour zones', () => {
    // The oracle is Intl itself, asked directly in another locale's format (sv-SE prints "YYYY-MM-DD HH:MM").
    const zones = ['Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'UTC'];
    const starts = ['2026-03-29T00:00:00Z', '2026-10-25T00:00:00Z', '2026-03-08T06:00:00Z', '2026-04-04T14:00:00Z'];
    for (const zone of zones) {
      const oracle = new Intl.DateTimeFormat('sv-SE', {
        timeZone: zone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      });
      for (const start of starts)
        for (let m = 0; m < 4 * 60; m += 7) {
          const at = new Date(Date.parse(start) + m * 60_000 + 13_000);
          const { date, time } = wallClock(at, zone);
          expect(`${date} ${time}`, `${zone} ${at.toISOString()}`).toBe(oracle.format(at));
        }
    }
  });
});
