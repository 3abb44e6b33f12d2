// The days an audit occupies in a calendar feed: the planned dates, or the actual ones for an audit never planned.
// One rule for the feed (reports/programme/ical.ts) and for the commands that tell whether a change moved the event
// (its SEQUENCE rises then, RFC 5545 3.8.7.4).

export interface AuditDates {
  plannedStart: string | null;
  plannedEnd: string | null;
  actualStart: string | null;
  actualEnd: string | null;
}

/** First and last day (inclusive, YYYY-MM-DD), or null for an audit with no date to show. */
export function calendarDays(a: AuditDates): { first: string; last: string } | null {
  const first = a.plannedStart ?? a.actualStart;
  if (!first) return null;
  const end = a.plannedStart ? a.plannedEnd : a.actualEnd;
  return { first, last: end && end >= first ? end : first };
}

/** Whether a change of dates moves the audit's calendar event (appears, disappears, or other days). */
export function calendarMoved(before: AuditDates, after: AuditDates): boolean {
  const b = calendarDays(before);
  const a = calendarDays(after);
  return b?.first !== a?.first || b?.last !== a?.last;
}
