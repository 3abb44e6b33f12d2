import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { notFound } from '../web/errors.js';
import { countNotifications, listNotifications, markAllRead, markRead, type StoredNotification } from './queries.js';
import { ListPageQuery, NotificationParams, NotificationQuery, PAGE_SIZE } from './schemas.js';
import { notificationText } from './text.js';
import { NOTIFICATION_KINDS } from '../domain/notifications.js';
import { parseLocalised } from '../web/validation.js';
import { MailSettingsInput, readMailSettings, saveMailSettings } from './settings.js';
import type { Translate } from '../web/i18n.js';
import { z } from 'zod';

const NotificationOut = z.object({
  id: z.number().int(),
  kind: z.enum(NOTIFICATION_KINDS),
  organizationId: z.number().int().nullable(),
  text: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.null()])),
  url: z.string(),
  createdAt: z.string(),
  read: z.boolean(),
});
const NotificationListOut = z.object({ unread: z.number().int(), items: z.array(NotificationOut) });
const UpdatedOut = z.object({ updated: z.number().int() });

const tags = ['notifications'];
const mine = { access: { kind: 'user' as const } };

const dto = (n: StoredNotification, t: Translate) => ({
  id: n.id,
  kind: n.kind,
  organizationId: n.organizationId,
  text: notificationText(t, n.kind, n.params),
  params: n.params,
  url: n.url,
  createdAt: n.createdAt,
  read: n.readAt !== null,
});

/** The bell: a person's own notifications (assignments, decisions, reminders), read and marked in their language. */
export async function notificationRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { db } = app;

  app.get(
    '/api/v1/me/notifications',
    {
      schema: {
        tags,
        summary: "The caller's notifications, newest first, with the number unread; text in the caller's language",
        querystring: NotificationQuery,
        response: { 200: NotificationListOut },
      },
      config: mine,
    },
    async (req) => {
      const userId = req.user!.id;
      const items = await listNotifications(db, userId, {
        unreadOnly: req.query.unread === '1',
        limit: req.query.limit,
        offset: req.query.offset,
      });
      return { unread: await countNotifications(db, userId, true), items: items.map((n) => dto(n, req.t)) };
    },
  );

  app.post(
    '/api/v1/me/notifications/:notificationId/read',
    {
      schema: { tags, summary: "Marks one of the caller's notifications read", params: NotificationParams },
      config: { ...mine, docs: { noContent: true } },
    },
    async (req, reply) => {
      if (!(await markRead(db, req.user!.id, req.params.notificationId))) throw notFound();
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/v1/me/notifications/read-all',
    {
      schema: { tags, summary: "Marks all the caller's notifications read", response: { 200: UpdatedOut } },
      config: mine,
    },
    async (req) => ({ updated: await markAllRead(db, req.user!.id) }),
  );

  app.get('/notifications', { schema: { querystring: ListPageQuery }, config: mine }, async (req, reply) => {
    const userId = req.user!.id;
    const unreadOnly = req.query.unread === '1';
    const page = req.query.page;
    const [items, total] = await Promise.all([
      listNotifications(db, userId, { unreadOnly, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }),
      countNotifications(db, userId, unreadOnly),
    ]);
    return reply.page('notifications/list.eta', {
      title: req.t('notifications.title'),
      items: items.map((n) => ({ ...n, text: notificationText(req.t, n.kind, n.params) })),
      unreadOnly,
      page,
      pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
    });
  });

  app.post(
    '/notifications/:notificationId/read',
    { schema: { params: NotificationParams }, config: mine },
    async (req, reply) => {
      const done = await markRead(db, req.user!.id, req.params.notificationId);
      if (!done) throw notFound();
      // "Open" marks it read and goes where it points; "Mark as read" stays on the list.
      const open = (req.body as Record<string, unknown> | undefined)?.open === '1';
      return reply.redirect(open ? done.url : '/notifications', 303);
    },
  );

  app.post('/notifications/read-all', { config: mine }, async (req, reply) => {
    await markAllRead(db, req.user!.id);
    return reply.flash({ kind: 'ok', key: 'notifications.allRead' }).redirect('/notifications', 303);
  });

  // Which notifications reach the user by e-mail, and how (one message each, a daily digest, none).
  const settingsPage = async (req: FastifyRequest, reply: FastifyReply, extra: Record<string, unknown> = {}) =>
    reply.page('notifications/settings.eta', {
      title: req.t('notifications.settings.title'),
      settings: await readMailSettings(db, req.user!.id),
      kinds: NOTIFICATION_KINDS,
      mailOn: Boolean(app.config.mail),
      ...extra,
    });

  app.get('/account/notifications', { config: mine }, async (req, reply) => settingsPage(req, reply));

  app.post('/account/notifications', { config: mine }, async (req, reply) => {
    const r = parseLocalised(MailSettingsInput, req.body ?? {}, req.locale, req.t);
    if (!r.ok) return settingsPage(req, reply.code(422), { errors: r.fieldErrors });
    const ticked = r.data as Record<string, unknown>;
    await saveMailSettings(db, req.user!.id, {
      mode: r.data.mode,
      unsubscribed: NOTIFICATION_KINDS.filter((k) => ticked[`kind_${k}`] !== 'on'),
    });
    return reply.flash({ kind: 'ok', key: 'notifications.settings.saved' }).redirect('/account/notifications', 303);
  });
}
