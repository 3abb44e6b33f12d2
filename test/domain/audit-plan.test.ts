import { describe, expect, it } from 'vitest';
import {
  byDay,
  changedFields,
  instantIn,
  nameList,
  PLAN_FIELDS,
  SESSION_KINDS,
  timetableOrder,
} from '../../src/domain/audit-plan.js';

// The audit plan (ISO 19011 6.3.2): the timetable's order, what a change touched, wall-clock times in the
// organisation's zone, the names typed for auditees.
const s = (id: number, date: string, start: string, kind: 'opening' | 'session' | 'closing' = 'session') => ({
  id,
  date,
  start,
  kind,
});

describe('the audit plan timetable', () => {
  it('has opening, session and closing kinds, and ten fields a change is told by', () => {
    expect([...SESSION_KINDS]).toEqual(['opening', 'session', 'closing']);
    expect([...PLAN_FIELDS]).toEqual([
      'kind',
      'date',
      'start',
      'end',
      'place',
      'clauses',
      'processIds',
      'auditorIds',
      'auditees',
      'attendance',
    ]);
  });

  it('orders by date, then start, then opening before a session before the closing, then by id', () => {
    const sessions = [
      s(9, '2026-11-11', '09:00'),
      s(8, '2026-11-10', '16:00', 'closing'),
      s(7, '2026-11-10', '16:00'),
      s(6, '2026-11-10', '09:00', 'opening'),
      s(5, '2026-11-10', '09:00'),
      s(4, '2026-11-10', '09:00', 'closing'),
      s(3, '2026-11-10', '10:30'),
      s(2, '2026-11-10', '09:00'),
      s(1, '2026-11-09', '17:00'),
    ];
    expect(timetableOrder(sessions).map((x) => x.id)).toEqual([1, 6, 2, 5, 4, 3, 7, 8, 9]);
    expect(sessions.map((x) => x.id)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1]);
  });

  it('groups the timetable by day', () => {
    expect(
      byDay([s(3, '2026-11-12', '09:00'), s(1, '2026-11-10', '09:00'), s(2, '2026-11-10', '14:00')]).map((d) => [
        d.date,
        d.sessions.map((x) => x.id),
      ]),
    ).toEqual([
      ['2026-11-10', [1, 2]],
      ['2026-11-12', [3]],
    ]);
    expect(byDay([])).toEqual([]);
  });

  it('names the fields a change touched, lists compared in order, a missing field as empty', () => {
    const before = {
      kind: 'session' as const,
      date: '2026-11-10',
      start: '09:00',
      end: '10:00',
      place: 'Room 1',
      clauses: ['8.1', '8.2'],
      processIds: [1],
      auditorIds: [4, 5],
      auditees: ['王经理'],
      attendance: [],
    };
    expect(changedFields(before, { ...before })).toEqual([]);
    expect(
      changedFields(before, {
        ...before,
        kind: 'opening',
        date: '2026-11-11',
        end: '10:30',
        place: 'Room 2',
        clauses: ['8.2', '8.1'],
        processIds: [1, 2],
        auditorIds: [4],
        auditees: ['王经理', '李工'],
        attendance: ['王经理'],
      }),
    ).toEqual(['kind', 'date', 'end', 'place', 'clauses', 'processIds', 'auditorIds', 'auditees', 'attendance']);
    expect(changedFields({ start: '09:00' }, { start: '09:15' })).toEqual(['start']);
    expect(changedFields({ place: undefined }, {})).toEqual([]);
    expect(changedFields({}, { place: '' })).toEqual(['place']);
  });
});

describe('a wall-clock time in the organisation’s zone as a UTC instant', () => {
  it.each([
    ['2026-11-10', '09:00', 'Asia/Shanghai', '2026-11-10T01:00:00.000Z'],
    ['2026-11-10', '07:30', 'Asia/Shanghai', '2026-11-09T23:30:00.000Z'],
    ['2026-07-01', '09:30', 'Europe/Berlin', '2026-07-01T07:30:00.000Z'],
    ['2026-12-01', '09:30', 'Europe/Berlin', '2026-12-01T08:30:00.000Z'],
    ['2026-12-01', '09:30', 'UTC', '2026-12-01T09:30:00.000Z'],
    ['2026-12-01', '09:30', 'Asia/Kathmandu', '2026-12-01T03:45:00.000Z'],
    // New York moves to EDT at 2026-03-08 07:00 UTC: 03:30 that day is EDT (UTC−4), though 03:30 UTC is still EST
    ['2026-03-08', '03:30', 'America/New_York', '2026-03-08T07:30:00.000Z'],
    ['2026-03-08', '01:30', 'America/New_York', '2026-03-08T06:30:00.000Z'],
    // 02:30 does not exist in Berlin on 2026-03-29 (clocks jump 02:00 → 03:00): read as 03:30 CEST, one hour on
    ['2026-03-29', '02:30', 'Europe/Berlin', '2026-03-29T01:30:00.000Z'],
  ])('%s %s in %s is %s', (date, time, zone, utc) => {
    expect(instantIn(date, time, zone).toISOString()).toBe(utc);
  });
});

describe('names typed for auditees', () => {
  it.each([
    ['王经理\n李工，张三, ;赵四', ['王经理', '李工', '张三', '赵四']],
    ['王经理、李工；张三;赵四', ['王经理', '李工', '张三', '赵四']],
    ['  Li Wei  \n\n  Wang Fang ', ['Li Wei', 'Wang Fang']],
    ['', []],
    [' , ，\n', []],
  ])('%j → %j', (text, names) => {
    expect(nameList(text)).toEqual(names);
  });
});
