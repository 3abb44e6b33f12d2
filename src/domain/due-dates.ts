// Due dates, overdue items and aging, computed from calendar dates (YYYY-MM-DD, UTC) — never in SQL.

export interface DueSettings {
  majorDueDays: number;
  minorDueDays: number;
  /** Days from raising a nonconformity within which its owner is expected to propose the correction and actions. */
  proposalDueDays: number;
}
export const DEFAULT_DUE_SETTINGS: DueSettings = { majorDueDays: 30, minorDueDays: 60, proposalDueDays: 14 };

const DAY = 86_400_000;
const toDay = (d: string): number => Date.parse(`${d.slice(0, 10)}T00:00:00Z`);

/** The calendar date (UTC) of an ISO timestamp or a Date. */
export const dateOf = (at: string | Date): string =>
  (typeof at === 'string' ? new Date(at) : at).toISOString().slice(0, 10);

export function addDays(date: string, days: number): string {
  return new Date(toDay(date) + days * DAY).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (both dates or timestamps); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((toDay(to) - toDay(from)) / DAY);
}

/** A nonconformity's default due date by grade; observations and OFIs have none. */
export function defaultDueDate(
  grade: 'major' | 'minor' | null,
  raisedOn: string,
  s: Pick<DueSettings, 'majorDueDays' | 'minorDueDays'>,
): string | null {
  if (grade === null) return null;
  return addDays(raisedOn, grade === 'major' ? s.majorDueDays : s.minorDueDays);
}

/** Statuses after which nothing is due any more (no overdue flag, no reminder). */
export const FINISHED = new Set(['closed', 'done', 'cancelled', 'rejected', 'implemented']);

/** Overdue: not finished and the due date is before today (due today is not yet overdue). */
export function isOverdue(dueDate: string | null, status: string, today: string): boolean {
  if (!dueDate || FINISHED.has(status)) return false;
  return toDay(dueDate) < toDay(today);
}

/** Days an item has been open: until it was closed, or until today. */
export function daysOpen(openedAt: string, closedAt: string | null, today: string): number {
  return Math.max(0, daysBetween(openedAt, closedAt ?? today));
}

/** Days past the due date (0 when not overdue). */
export function daysOverdue(dueDate: string | null, status: string, today: string): number {
  return isOverdue(dueDate, status, today) ? daysBetween(dueDate!, today) : 0;
}
