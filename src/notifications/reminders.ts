import type { Db } from '../db/connect.js';
import { addDays, FINISHED } from '../domain/due-dates.js';
import { type NotificationKind, reminderKey, reminderStep, REMINDER_DAYS_AHEAD } from '../domain/notifications.js';
import { dateIn } from '../domain/time-zone.js';
import { actionUrl, insertNotifications, type NotificationDraft } from './events.js';

interface DueItem {
  subject: 'nonconformity' | 'action';
  id: number;
  orgId: number;
  ownerId: number;
  ref: string;
  due: string;
  zone: string;
  url: string;
}

/**
 * Due-date reminders for every open nonconformity and action with an owner: the step that applies today in the
 * organisation's time zone (7 days, 1 day, overdue then weekly). Each is inserted under a key unique per owner, with
 * ON CONFLICT DO NOTHING: any number of instances may run this at once, and a run after days of downtime adds the one
 * reminder that applies now. Returns how many reminders were new.
 */
export async function sendReminders(db: Db, now: Date): Promise<number> {
  // Everything due within the reminder window of the earliest zone (UTC + 14 h is the furthest ahead).
  const horizon = addDays(now.toISOString().slice(0, 10), Math.max(...REMINDER_DAYS_AHEAD) + 1);
  const finished = [...FINISHED];
  const [ncs, actions] = await Promise.all([
    db
      .selectFrom('finding')
      .innerJoin('organization', 'organization.id', 'finding.organization_id')
      .select([
        'finding.id',
        'finding.organization_id',
        'finding.owner_user_id',
        'finding.ref',
        'finding.due_date',
        'organization.time_zone',
      ])
      .where('finding.kind', '=', 'nonconformity')
      .where('finding.owner_user_id', 'is not', null)
      .where('finding.due_date', 'is not', null)
      .where('finding.due_date', '<=', horizon)
      .where('finding.status', 'not in', finished)
      .execute(),
    db
      .selectFrom('action_item')
      .innerJoin('organization', 'organization.id', 'action_item.organization_id')
      .select([
        'action_item.id',
        'action_item.organization_id',
        'action_item.owner_user_id',
        'action_item.ref',
        'action_item.due_date',
        'action_item.finding_id',
        'action_item.review_id',
        'organization.time_zone',
      ])
      .where('action_item.owner_user_id', 'is not', null)
      .where('action_item.due_date', 'is not', null)
      .where('action_item.due_date', '<=', horizon)
      .where('action_item.status', 'not in', finished)
      .execute(),
  ]);
  const items: DueItem[] = [
    ...ncs.map((f) => ({
      subject: 'nonconformity' as const,
      id: f.id,
      orgId: f.organization_id,
      ownerId: f.owner_user_id!,
      ref: f.ref,
      due: f.due_date!,
      zone: f.time_zone,
      url: `/findings/${f.id}`,
    })),
    ...actions.map((a) => ({
      subject: 'action' as const,
      id: a.id,
      orgId: a.organization_id,
      ownerId: a.owner_user_id!,
      ref: a.ref,
      due: a.due_date!,
      zone: a.time_zone,
      url: actionUrl(a.id, a.finding_id, a.review_id),
    })),
  ];
  const drafts: NotificationDraft[] = [];
  for (const it of items) {
    const step = reminderStep(it.due, dateIn(now, it.zone));
    if (!step) continue;
    drafts.push({
      userId: it.ownerId,
      orgId: it.orgId,
      kind: step.kind satisfies NotificationKind,
      params: { subject: it.subject, ref: it.ref, due: it.due, days: step.days },
      url: it.url,
      dedupeKey: reminderKey(it.subject, it.id, it.due, step.key),
    });
  }
  let added = 0;
  for (let i = 0; i < drafts.length; i += 200) added += await insertNotifications(db, drafts.slice(i, i + 200));
  return added;
}
