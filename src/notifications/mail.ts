import type { ExpressionBuilder } from 'kysely';
import nodemailer from 'nodemailer';
import type { Db } from '../db/connect.js';
import { isPostgres } from '../db/connect.js';
import type { Database } from '../db/schema.js';
import { isNotificationKind, type NotificationKind } from '../domain/notifications.js';
import { DEFAULT_TIME_ZONE, wallClock } from '../domain/time-zone.js';
import { isLocale, type Locale, translator } from '../web/i18n.js';
import { notificationText } from './text.js';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/** Where mail goes: SMTP through nodemailer in the app, anything that records messages in a test. */
export interface Mailer {
  send(m: MailMessage): Promise<void>;
  close(): void;
}

export function smtpMailer(cfg: { smtpUrl: string; from: string }): Mailer {
  const transport = nodemailer.createTransport(cfg.smtpUrl);
  return {
    send: async (m) => {
      await transport.sendMail({ from: cfg.from, to: m.to, subject: m.subject, text: m.text });
    },
    close: () => transport.close(),
  };
}

/** A notification older than this when the job first sees it is not mailed (mail was off, or the job was down long). */
const STALE_MS = 2 * 86_400_000;
/** Digests go out from this hour of the reader's day. */
const DIGEST_HOUR = '08:00';
const BATCH = 100;
/**
 * A claim an instance took and never settled (it died between claiming and sending): after this long, another run
 * takes it again. The message then goes out at least once — twice only if the process died after the SMTP server
 * accepted it and before it was marked sent — rather than never.
 */
const CLAIM_LEASE_MS = 15 * 60_000;

interface Recipient {
  id: number;
  email: string;
  locale: Locale;
  zone: string;
  mode: string;
  disabled: boolean;
  unsubscribed: Set<string>;
}

interface Claimed {
  id: number;
  user_id: number;
  kind: string;
  params_json: string;
  url: string;
  created_at: string;
}

/**
 * Mails what the app notified: each new notification is claimed by one instance (an UPDATE of rows still 'new',
 * skipping rows another instance holds locked on PostgreSQL; SQLite has one writer), then sent, held for the daily
 * digest, or skipped (the person chose no mail, unsubscribed from the kind, or it is stale). Digests: the first
 * instance to move a person's digest day to today sends it.
 */
export async function deliverMail(db: Db, mailer: Mailer, publicUrl: string, now: Date): Promise<number> {
  let sent = 0;
  for (;;) {
    const batch = await claimNew(db, now);
    if (batch.length === 0) break;
    const people = await recipients(
      db,
      batch.map((n) => n.user_id),
    );
    for (const n of batch) {
      const who = people.get(n.user_id);
      const kind = n.kind;
      const skip =
        !who ||
        who.disabled ||
        who.mode === 'off' ||
        !isNotificationKind(kind) ||
        who.unsubscribed.has(kind) ||
        now.getTime() - Date.parse(n.created_at) > STALE_MS;
      if (skip || !who || !isNotificationKind(kind)) {
        await setState(db, [n.id], 'skipped');
        continue;
      }
      if (who.mode === 'digest') {
        await setState(db, [n.id], 'digest');
        continue;
      }
      try {
        await mailer.send(eventMessage(who, kind, n, publicUrl));
        await setState(db, [n.id], 'sent');
        sent++;
      } catch (err) {
        // Back in the queue for the next run (the SMTP server may be down for a while).
        await setState(db, [n.id], 'new');
        throw err;
      }
    }
  }
  return sent + (await sendDigests(db, mailer, publicUrl, now));
}

async function claimNew(db: Db, now: Date): Promise<Claimed[]> {
  const pg = isPostgres(db);
  const expired = new Date(now.getTime() - CLAIM_LEASE_MS).toISOString();
  const claimable = (eb: ExpressionBuilder<Database, 'notification'>) =>
    eb.or([
      eb('mail_state', '=', 'new'),
      eb.and([eb('mail_state', '=', 'sending'), eb('mail_claimed_at', '<', expired)]),
    ]);
  return db
    .updateTable('notification')
    .set({ mail_state: 'sending', mail_claimed_at: now.toISOString() })
    .where(claimable)
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('notification')
        .select('id')
        .where(claimable)
        .orderBy('id')
        .limit(BATCH)
        .$if(pg, (q) => q.forUpdate().skipLocked()),
    )
    .returning(['id', 'user_id', 'kind', 'params_json', 'url', 'created_at'])
    .execute();
}

async function setState(db: Db, ids: number[], state: string): Promise<void> {
  if (ids.length) await db.updateTable('notification').set({ mail_state: state }).where('id', 'in', ids).execute();
}

async function recipients(db: Db, ids: number[]): Promise<Map<number, Recipient>> {
  const unique = [...new Set(ids)];
  const [users, unsub] = await Promise.all([
    db
      .selectFrom('app_user')
      .select(['id', 'email', 'locale', 'time_zone', 'mail_mode', 'disabled_at'])
      .where('id', 'in', unique)
      .execute(),
    db.selectFrom('mail_unsubscribe').select(['user_id', 'kind']).where('user_id', 'in', unique).execute(),
  ]);
  return new Map(
    users.map((u) => [
      u.id,
      {
        id: u.id,
        email: u.email,
        locale: u.locale && isLocale(u.locale) ? u.locale : 'zh-CN',
        zone: u.time_zone ?? DEFAULT_TIME_ZONE,
        mode: u.mail_mode,
        disabled: u.disabled_at !== null,
        unsubscribed: new Set(unsub.filter((x) => x.user_id === u.id).map((x) => x.kind)),
      },
    ]),
  );
}

const settingsLink = (publicUrl: string) => `${publicUrl}/account/notifications`;

function eventMessage(who: Recipient, kind: NotificationKind, n: Claimed, publicUrl: string): MailMessage {
  const t = translator(who.locale);
  const text = notificationText(t, kind, JSON.parse(n.params_json) as Record<string, string | number | null>);
  return {
    to: who.email,
    subject: t('notifications.mail.subject', {
      app: t('app.name'),
      text: text.length > 120 ? `${text.slice(0, 117)}…` : text,
    }),
    text: [
      text,
      '',
      `${t('notifications.mail.open')} ${publicUrl}${n.url}`,
      '',
      '--',
      t('notifications.mail.footer', { kind: t(`notifications.kindNames.${kind}`), url: settingsLink(publicUrl) }),
    ].join('\n'),
  };
}

/** One message a day per person who chose the digest, from 08:00 of their day, listing what waited for it. */
async function sendDigests(db: Db, mailer: Mailer, publicUrl: string, now: Date): Promise<number> {
  const waiting = await db
    .selectFrom('notification')
    .select('user_id')
    .distinct()
    .where('mail_state', '=', 'digest')
    .execute();
  if (waiting.length === 0) return 0;
  const people = await recipients(
    db,
    waiting.map((w) => w.user_id),
  );
  let sent = 0;
  for (const who of people.values()) {
    const { date, time } = wallClock(now, who.zone);
    if (time < DIGEST_HOUR) continue;
    // The claim: only the instance whose update moves the day forward sends today's digest.
    const claimed = await db
      .updateTable('app_user')
      .set({ mail_digest_on: date })
      .where('id', '=', who.id)
      .where((eb) => eb.or([eb('mail_digest_on', 'is', null), eb('mail_digest_on', '<', date)]))
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) continue;
    const rows = await db
      .updateTable('notification')
      .set({ mail_state: 'sending', mail_claimed_at: now.toISOString() })
      .where('user_id', '=', who.id)
      .where('mail_state', '=', 'digest')
      .returning(['id', 'user_id', 'kind', 'params_json', 'url', 'created_at'])
      .execute();
    const items = rows.filter((r) => isNotificationKind(r.kind) && !who.unsubscribed.has(r.kind));
    if (items.length === 0) {
      await setState(
        db,
        rows.map((r) => r.id),
        'skipped',
      );
      continue;
    }
    const t = translator(who.locale);
    const lines = items
      .sort((a, b) => a.id - b.id)
      .map(
        (r) =>
          `- ${notificationText(t, r.kind as NotificationKind, JSON.parse(r.params_json) as Record<string, string | number | null>)}\n  ${publicUrl}${r.url}`,
      );
    try {
      await mailer.send({
        to: who.email,
        subject: t('notifications.mail.subject', {
          app: t('app.name'),
          text: t('notifications.mail.digestSubject', { count: items.length, date }),
        }),
        text: [
          t('notifications.mail.digestIntro', { date }),
          '',
          ...lines,
          '',
          '--',
          t('notifications.mail.digestFooter', { url: settingsLink(publicUrl) }),
        ].join('\n'),
      });
    } catch (err) {
      // Not sent: the rows wait for the next run, which may send today's digest again.
      await setState(
        db,
        rows.map((r) => r.id),
        'digest',
      );
      await db.updateTable('app_user').set({ mail_digest_on: null }).where('id', '=', who.id).execute();
      throw err;
    }
    await setState(
      db,
      rows.map((r) => r.id),
      'sent',
    );
    sent++;
  }
  return sent;
}
