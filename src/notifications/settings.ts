import { z } from 'zod';
import type { Db } from '../db/connect.js';
import { NOTIFICATION_KINDS, type NotificationKind } from '../domain/notifications.js';

export const MAIL_MODES = ['each', 'digest', 'off'] as const;
export type MailMode = (typeof MAIL_MODES)[number];

/** The settings form: a mode, and one checkbox per kind (ticked = receive it by e-mail). */
export const MailSettingsInput = z.looseObject({
  mode: z.enum(MAIL_MODES, { error: 'notifications.settings.modeRequired' }),
});

export interface MailSettings {
  mode: MailMode;
  unsubscribed: NotificationKind[];
}

export async function readMailSettings(db: Db, userId: number): Promise<MailSettings> {
  const [u, unsub] = await Promise.all([
    db.selectFrom('app_user').select('mail_mode').where('id', '=', userId).executeTakeFirstOrThrow(),
    db.selectFrom('mail_unsubscribe').select('kind').where('user_id', '=', userId).execute(),
  ]);
  const mode = (MAIL_MODES as readonly string[]).includes(u.mail_mode) ? (u.mail_mode as MailMode) : 'each';
  const off = new Set(unsub.map((x) => x.kind));
  return { mode, unsubscribed: NOTIFICATION_KINDS.filter((k) => off.has(k)) };
}

/** Replaces the user's choice in one transaction: the mode and the set of kinds not mailed. */
export async function saveMailSettings(db: Db, userId: number, s: MailSettings): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('app_user').set({ mail_mode: s.mode }).where('id', '=', userId).execute();
    await trx.deleteFrom('mail_unsubscribe').where('user_id', '=', userId).execute();
    if (s.unsubscribed.length)
      await trx
        .insertInto('mail_unsubscribe')
        .values(s.unsubscribed.map((kind) => ({ user_id: userId, kind })))
        .execute();
  });
}
