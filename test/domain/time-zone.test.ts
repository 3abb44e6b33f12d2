import { describe, expect, it } from 'vitest';
import {
  DEFAULT_TIME_ZONE,
  dateIn,
  isListedTimeZone,
  isTimeZone,
  timeZoneNames,
  wallClock,
} from '../../src/domain/time-zone.js';

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

  it('offers the IANA names in alphabetical order, UTC once, and Shanghai by default', () => {
    const names = timeZoneNames();
    expect(names).toEqual([...names].sort());
    expect(names.filter((n) => n === 'UTC')).toEqual(['UTC']);
    expect(names.slice(0, 2)).toEqual(['Africa/Abidjan', 'Africa/Accra']);
    expect(names).toContain('Europe/Berlin');
    expect(DEFAULT_TIME_ZONE).toBe('Asia/Shanghai');
  });

  it('accepts only listed zones where a zone is chosen: not "CST", which China, the US and Cuba read differently', () => {
    expect(['Asia/Shanghai', 'UTC', 'America/Havana'].map(isListedTimeZone)).toEqual([true, true, true]);
    // the runtime computes with these, the pickers do not offer them
    expect(['CST6CDT', 'EST5EDT'].map(isTimeZone)).toEqual([true, true]);
    expect(['CST6CDT', 'EST5EDT', 'Mars/Olympus_Mons', ''].map(isListedTimeZone)).toEqual([false, false, false, false]);
  });

  it('takes an instant as text or as a Date, and refuses one that is not a time', () => {
    expect(wallClock(new Date(Date.UTC(2026, 11, 31, 16, 5)), 'Asia/Shanghai')).toEqual({
      date: '2027-01-01',
      time: '00:05',
    });
    expect(() => wallClock('not a time', 'UTC')).toThrow(RangeError);
    expect(() => wallClock(new Date(Number.NaN), 'UTC')).toThrow('Invalid time value');
  });

  it('writes the year with four digits and the month, day, hour and minute with two', () => {
    expect(wallClock('0999-02-03T04:05:00Z', 'UTC')).toEqual({ date: '0999-02-03', time: '04:05' });
    expect(dateIn('2026-06-30T23:59:59Z', 'America/New_York')).toBe('2026-06-30');
  });
});
