// Notifications (issue 18): which events and reminders reach a person, and when a due date's reminders fall due.
// Pure rules: the kinds, and the one reminder step that applies on a given day (so a job that was down for days
// sends the step that applies now, once, instead of every step it missed).

import { daysBetween } from './due-dates.js';

export const NOTIFICATION_KINDS = [
  'audit_assigned', // made lead auditor or member of an audit team
  'nc_assigned', // made owner of a nonconformity (or another finding)
  'action_assigned', // made owner of an action
  'proposal_accepted', // an auditor accepted my proposal (10.1)
  'proposal_returned', // an auditor returned my proposal with a comment
  'evidence_requested', // an auditor asks me for evidence
  'evidence_answered', // my evidence request (or one on an audit I lead) was answered
  'evidence_returned', // an auditor asks again for evidence I sent, with a comment
  'evidence_accepted', // an auditor accepted the evidence I sent
  'due_soon', // a nonconformity or action I own is due in 7 days or 1 day
  'overdue', // a nonconformity or action I own is overdue (then weekly)
  'audit_issued', // an audit I am on, or whose nonconformities I own, was issued
  'review_scheduled', // a management review of my organisation was scheduled
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const isNotificationKind = (v: string): v is NotificationKind =>
  (NOTIFICATION_KINDS as readonly string[]).includes(v);

/** Reminders before the due date: 7 days and 1 day ahead (CISO Assistant's 7/1, which our users compare us with). */
export const REMINDER_DAYS_AHEAD = [7, 1] as const;
/** Once overdue, the reminder repeats every this many days. */
export const OVERDUE_REPEAT_DAYS = 7;

export type ReminderStep =
  | { kind: 'due_soon'; key: string; days: number }
  | { kind: 'overdue'; key: string; days: number };

/**
 * The reminder that applies on `today` for an item due on `due`, or null: 'd7' from 7 days ahead, 'd1' from the day
 * before, then 'o0' on the first overdue day, 'o1' a week later, and so on. Only the latest step is returned: sent
 * once per step (the key is part of a unique key), a late run catches up with one reminder, not a backlog.
 */
export function reminderStep(due: string, today: string): ReminderStep | null {
  const ahead = daysBetween(today, due); // > 0: still to come; 0: due today; < 0: overdue
  if (ahead < 0) {
    const over = -ahead;
    const week = Math.floor((over - 1) / OVERDUE_REPEAT_DAYS);
    return { kind: 'overdue', key: `o${week}`, days: over };
  }
  for (const d of [...REMINDER_DAYS_AHEAD].sort((a, b) => a - b))
    if (ahead <= d) return { kind: 'due_soon', key: `d${d}`, days: ahead };
  return null;
}

/** The unique key of one reminder for one recipient: subject, its due date (a new date starts afresh), the step. */
export const reminderKey = (subject: 'nonconformity' | 'action', id: number, due: string, step: string): string =>
  `${subject}:${id}:${due}:${step}`;

/**
 * Whether a (re)started instance must run the reminders at once, rather than at its first scheduled run: when no run
 * finished yet, when the last one finished an interval or more ago (or is dated after `now`: a clock set back), or
 * when the date has changed since in any of the given time zones (a new day can make a new reminder step apply).
 * Otherwise the last run already sent every reminder that applies today, and items changed since are picked up by the
 * next scheduled run, exactly as if the instance had kept running.
 */
export function remindersCatchUpDue(
  lastFinished: Date | null,
  now: Date,
  intervalMs: number,
  zones: readonly string[],
  dateIn: (at: Date, zone: string) => string,
): boolean {
  if (lastFinished === null) return true;
  const since = now.getTime() - lastFinished.getTime();
  if (!(since >= 0 && since < intervalMs)) return true;
  return zones.some((z) => dateIn(lastFinished, z) !== dateIn(now, z));
}
