import type { Db } from '../db/connect.js';
import { nowIso, toCount } from '../db/time.js';
import { isNotificationKind, type NotificationKind } from '../domain/notifications.js';

export interface StoredNotification {
  id: number;
  organizationId: number | null;
  organizationName: string | null;
  kind: NotificationKind;
  params: Record<string, string | number | null>;
  url: string;
  createdAt: string;
  readAt: string | null;
}

/** A page of the user's notifications, newest first (unread only when asked). */
export async function listNotifications(
  db: Db,
  userId: number,
  opts: { unreadOnly?: boolean; limit: number; offset?: number },
): Promise<StoredNotification[]> {
  let q = db
    .selectFrom('notification')
    .leftJoin('organization', 'organization.id', 'notification.organization_id')
    .select([
      'notification.id',
      'notification.organization_id',
      'organization.name as organization_name',
      'notification.kind',
      'notification.params_json',
      'notification.url',
      'notification.created_at',
      'notification.read_at',
    ])
    .where('notification.user_id', '=', userId);
  if (opts.unreadOnly) q = q.where('notification.read_at', 'is', null);
  const rows = await q
    .orderBy('notification.id', 'desc')
    .limit(opts.limit)
    .offset(opts.offset ?? 0)
    .execute();
  return rows
    .filter((r) => isNotificationKind(r.kind))
    .map((r) => ({
      id: r.id,
      organizationId: r.organization_id,
      organizationName: r.organization_name,
      kind: r.kind as NotificationKind,
      params: JSON.parse(r.params_json) as StoredNotification['params'],
      url: r.url,
      createdAt: r.created_at,
      readAt: r.read_at,
    }));
}

export async function countNotifications(db: Db, userId: number, unreadOnly: boolean): Promise<number> {
  let q = db
    .selectFrom('notification')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('user_id', '=', userId);
  if (unreadOnly) q = q.where('read_at', 'is', null);
  return toCount((await q.executeTakeFirstOrThrow()).n);
}

/** Marks one of the user's own notifications read; false when it is not theirs (or does not exist). */
export async function markRead(db: Db, userId: number, id: number): Promise<{ url: string } | undefined> {
  const row = await db
    .selectFrom('notification')
    .select(['url', 'read_at'])
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (!row) return undefined;
  if (!row.read_at)
    await db
      .updateTable('notification')
      .set({ read_at: nowIso() })
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .execute();
  return { url: row.url };
}

export async function markAllRead(db: Db, userId: number): Promise<number> {
  const res = await db
    .updateTable('notification')
    .set({ read_at: nowIso() })
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}
