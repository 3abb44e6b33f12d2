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
});
