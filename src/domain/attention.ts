// "Needs attention" (需关注): what is waiting for a person or an organisation, as one list ordered by urgency.
// Pure rules: which dates are due, which are overdue, and the order. Dates are calendar dates (YYYY-MM-DD) and
// "today" is the organisation's own date (its time zone), so an item falls due at the organisation's midnight.

import { addDays } from './due-dates.js';

export const ATTENTION_KINDS = [
  'nonconformity', // a nonconformity I own (10.1), not closed
  'action', // a corrective action or review output I own, not done
  'proposal', // an auditee's proposal waiting for my review (10.1)
  'effectiveness_review', // a nonconformity whose actions are done, waiting for the effectiveness review
  'audit', // an audit I am on (or, for the organisation, every audit under way): progress and what blocks its issue
  'planned_audit', // an audit of the programme that starts soon (9.2.2)
  'management_review', // a management review scheduled, due, or never held (9.3)
  'evidence_review', // documented information past its next review date (7.5.3)
  'evidence_request', // an evidence request I am asked to answer (open or asked again)
  'evidence_request_review', // an answer to an evidence request I asked (or on an audit I lead), waiting for review
] as const;
export type AttentionKind = (typeof ATTENTION_KINDS)[number];

export interface AttentionItem {
  kind: AttentionKind;
  organizationId: number;
  title: string;
  due: string | null;
  overdue: boolean;
  url: string;
}

/** How far ahead upcoming audits and reviews are listed. */
export const HORIZON_DAYS = 30;
/** Management reviews are held at planned intervals (9.3); without a plan of its own the tool expects one a year. */
export const REVIEW_INTERVAL_DAYS = 365;

/** Due date strictly before the organisation's today (due today is not yet overdue). */
export const pastDue = (due: string | null, today: string): boolean => due !== null && due < today;

/** Within the horizon: due on or before today + HORIZON_DAYS (past dates included). */
export const withinHorizon = (due: string | null, today: string): boolean =>
  due !== null && due <= addDays(today, HORIZON_DAYS);

/**
 * When the next management review is due: a year after the last one held; none held yet means due now (null due
 * date, shown first among the undated). `scheduled` is a review already entered with a date still to come.
 */
export function managementReviewDue(
  lastHeldOn: string | null,
  scheduledOn: string | null,
  today: string,
): { due: string | null; state: 'scheduled' | 'due' | 'never' } | null {
  if (scheduledOn && scheduledOn >= today)
    return withinHorizon(scheduledOn, today) ? { due: scheduledOn, state: 'scheduled' } : null;
  if (!lastHeldOn) return { due: null, state: 'never' };
  const due = addDays(lastHeldOn, REVIEW_INTERVAL_DAYS);
  return withinHorizon(due, today) ? { due, state: 'due' } : null;
}

/** Overdue first; then by due date, soonest first; undated last; ties by title. */
export function byUrgency<T extends Pick<AttentionItem, 'overdue' | 'due' | 'title'>>(a: T, b: T): number {
  if (a.overdue !== b.overdue) return a.overdue ? -1 : 1;
  if (a.due !== b.due) {
    if (a.due === null) return 1;
    if (b.due === null) return -1;
    return a.due < b.due ? -1 : 1;
  }
  return a.title.localeCompare(b.title);
}
