import type { FastifyInstance, FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import { LOCALES } from './i18n.js';
import { presentChanges } from './trail-present.js';
import { revisionOrdinal } from '../domain/revision.js';
import { timeZoneNames } from '../domain/time-zone.js';
import { formatDay, formatWhen, readerZone } from './time.js';

export interface Flash {
  kind: 'ok' | 'warn' | 'error';
  key: string;
  params?: Record<string, unknown>;
}

declare module 'fastify' {
  interface FastifyReply {
    /** Renders a page inside the layout with what every page needs (user, t, CSRF token, flash). */
    page(template: string, data?: Record<string, unknown>): Promise<Buffer>;
    flash(flash: Flash): FastifyReply;
  }
}

const FLASH_COOKIE = 'flash';

/** The IANA zones for the time-zone pickers, computed once. */
let zones: string[] | undefined;
const zoneList = () => (zones ??= timeZoneNames());

/** The number on the header's bell: the notifications area answers; buildApp hands the look-up in. */
interface PageOptions {
  unreadCount(userId: number): Promise<number>;
  /** Whether the user is a member of more than one organisation (the header then links the consultant's table). */
  manyOrgs(userId: number): Promise<boolean>;
}

export const pagePlugin = fp(async (app: FastifyInstance, opts: PageOptions) => {
  app.decorateReply('flash', function (this: FastifyReply, flash: Flash) {
    return this.setCookie(FLASH_COOKIE, JSON.stringify(flash), {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      signed: true,
    });
  });

  app.decorateReply('page', async function (this: FastifyReply, template: string, data: Record<string, unknown> = {}) {
    const req = this.request;
    let flash: Flash | null = null;
    const raw = req.cookies[FLASH_COOKIE];
    if (raw) {
      const u = req.unsignCookie(raw);
      if (u.valid && u.value) {
        try {
          flash = JSON.parse(u.value) as Flash;
        } catch {
          flash = null;
        }
      }
      this.clearCookie(FLASH_COOKIE, { path: '/' });
    }
    this.header('cache-control', 'no-store');
    const tz = readerZone(req);
    const [unread, manyOrgs] = req.user
      ? await Promise.all([opts.unreadCount(req.user.id), opts.manyOrgs(req.user.id)])
      : [0, false];
    // Encoded once here: sent as a string, Fastify measures its byte length and the socket encodes it again.
    return Buffer.from(
      await this.viewAsync(template, {
        t: req.t,
        lang: req.locale,
        locales: LOCALES,
        user: req.user,
        org: req.org,
        url: req.url,
        csrfToken: this.generateCsrf(),
        // Bilingual data (checklist text, titles): the user's language first.
        pick: (zh: string, en: string) => (req.locale === 'zh-CN' ? zh : en),
        // The other language's text (the English paraphrase under Chinese, or the reverse) only for a user who asked
        // for it on their account page; empty otherwise, and views leave the line out.
        showOther: req.user?.showOtherLanguage === true,
        other: (zh: string, en: string) => (req.user?.showOtherLanguage ? (req.locale === 'zh-CN' ? en : zh) : ''),
        // A trail entry's changes as labels and values in the reader's language (views/partials/history.eta).
        changes: (entity: string, before: string | null, after: string | null) =>
          presentChanges(req.t, entity, before, after),
        // Every time a page shows is read in the reader's zone (stored times are UTC).
        tz,
        when: (iso: string | null | undefined) => formatWhen(iso, tz),
        day: (iso: string | null | undefined) => formatDay(iso, tz),
        // "第1版" / "revision 1" for the stored revision 0: never the internal number.
        revision: (stored: number) => req.t('audits.revision', { n: revisionOrdinal(stored) }),
        timeZones: zoneList,
        flash,
        unread,
        manyOrgs,
        errors: {},
        values: {},
        ...data,
      }),
    );
  });
});
