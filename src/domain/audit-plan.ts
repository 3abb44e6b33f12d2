import { wallClock } from './time-zone.js';

// The audit plan (ISO 19011 6.3.2): sessions with date, times and place, what they cover and who takes part; the
// opening and closing meetings are sessions of their own kind whose attendance is recorded. Pure rules.

export const SESSION_KINDS = ['opening', 'session', 'closing'] as const;
export type SessionKind = (typeof SESSION_KINDS)[number];

export interface PlanSession {
  id: number;
  kind: SessionKind;
  date: string;
  start: string;
  end: string;
  place: string;
  clauses: string[];
  processIds: number[];
  auditorIds: number[];
  auditees: string[];
  attendance: string[];
}

/** The fields a change to a session is told by (what a deviation from the plan names). */
export const PLAN_FIELDS = [
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
] as const;
export type PlanField = (typeof PLAN_FIELDS)[number];

/** Sessions in the order of the timetable: by date and start time, the opening meeting first at equal times. */
export function timetableOrder<T extends Pick<PlanSession, 'date' | 'start' | 'kind' | 'id'>>(
  sessions: readonly T[],
): T[] {
  const rank = (k: string) => (k === 'opening' ? 0 : k === 'closing' ? 2 : 1);
  return [...sessions].sort(
    (a, b) =>
      a.date.localeCompare(b.date) || a.start.localeCompare(b.start) || rank(a.kind) - rank(b.kind) || a.id - b.id,
  );
}

/** The timetable by day. */
export function byDay<T extends Pick<PlanSession, 'date' | 'start' | 'kind' | 'id'>>(
  sessions: readonly T[],
): { date: string; sessions: T[] }[] {
  const days: { date: string; sessions: T[] }[] = [];
  for (const s of timetableOrder(sessions)) {
    const last = days[days.length - 1];
    if (last && last.date === s.date) last.sessions.push(s);
    else days.push({ date: s.date, sessions: [s] });
  }
  return days;
}

/** Which fields differ between two states of a session (arrays compared as sets in order). */
export function changedFields(before: Partial<PlanSession>, after: Partial<PlanSession>): PlanField[] {
  return PLAN_FIELDS.filter((f) => JSON.stringify(before[f] ?? null) !== JSON.stringify(after[f] ?? null));
}

/** The UTC instant of a wall-clock date and time ('YYYY-MM-DD', 'HH:MM') in a time zone. */
export function instantIn(date: string, time: string, zone: string): Date {
  const want = Date.parse(`${date}T${time}:00Z`);
  let t = want;
  // Two corrections reach the zone's offset at that moment, also across a change of offset.
  for (let i = 0; i < 2; i++) {
    const w = wallClock(new Date(t), zone);
    t += want - Date.parse(`${w.date}T${w.time}:00Z`);
  }
  return new Date(t);
}

/** Names typed one per line or separated by commas (either width), trimmed, empty ones left out. */
export function nameList(text: string): string[] {
  return text
    .split(/[\n,，、;；]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}
