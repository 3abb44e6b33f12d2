import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  createApiToken,
  deleteUserSessions,
  listApiTokens,
  revokeApiToken,
  revokeUserTokens,
} from '../auth/queries.js';
import { throttled } from '../auth/routes.js';
import { confirmedFactor } from '../auth/second-factor.js';
import { safeNext } from '../auth/schemas.js';
import { startSession } from '../auth/session.js';
import { passwordProblem, verifyPassword } from '../domain/passwords.js';
import { isListedTimeZone } from '../domain/time-zone.js';
import { hasLocalPassword, setPassword } from '../users/queries.js';
import { LANG_COOKIE } from '../web/access.js';
import type { CurrentUser } from '../web/context.js';
import { notFound } from '../web/errors.js';
import { LOCALES } from '../web/i18n.js';
import { dbId, parseLocalised } from '../web/validation.js';

const me = (req: FastifyRequest) => req.user as CurrentUser;
const LocaleInput = z.object({ locale: z.enum(LOCALES), next: z.string().optional() });
const PasswordInput = z
  .object({
    current: z.string().min(1, { error: 'errors.required' }).max(200),
    password: z.string().max(200),
    confirm: z.string().max(200),
  })
  .refine((v) => v.password === v.confirm, { path: ['confirm'], error: 'errors.passwordMismatch' });
const TokenInput = z.object({ name: z.string().trim().min(1, { error: 'errors.required' }).max(100) });
const TokenParams = z.object({ tokenId: dbId });
// A checkbox: present ("on") when ticked, absent when not.
const PreferencesInput = z.object({ showOtherLanguage: z.literal('on').optional() });
// Empty: read times in the organisation's zone.
const ZoneInput = z.object({
  timeZone: z.union([z.literal(''), z.string().trim().refine(isListedTimeZone, { error: 'errors.timeZone' })]),
});

export async function accountRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { db } = app;
  const user = { access: { kind: 'user' } } as const;
  const passwordChange = { access: { kind: 'user', allowPasswordChange: true } } as const;

  const accountPage = async (req: FastifyRequest, reply: FastifyReply, extra: Record<string, unknown> = {}) =>
    reply.page('account/profile.eta', {
      title: req.t('account.title'),
      tokens: await listApiTokens(db, me(req).id),
      secondFactor: await confirmedFactor(db, me(req).id),
      // No password of its own (made by single sign-on): nothing to change here; say where the sign-in comes from.
      localPassword: await hasLocalPassword(db, me(req).id),
      signInProvider: app.config.oidc?.providerName ?? null,
      values: { timeZone: me(req).timeZone ?? '' },
      ...extra,
    });

  app.get('/account', { config: user }, async (req, reply) => accountPage(req, reply));

  // The zone this user reads times in; stored times stay UTC, due dates stay the organisation's.
  app.get('/account/time-zone', { config: user }, async (_req, reply) => reply.redirect('/account', 303));
  app.post('/account/time-zone', { config: user }, async (req, reply) => {
    const r = parseLocalised(ZoneInput, req.body, req.locale, req.t);
    if (!r.ok) return accountPage(req, reply.code(422), { errors: r.fieldErrors, values: req.body });
    await db
      .updateTable('app_user')
      .set({ time_zone: r.data.timeZone || null })
      .where('id', '=', me(req).id)
      .execute();
    return reply.flash({ kind: 'ok', key: 'time.zoneSaved' }).redirect('/account', 303);
  });

  // Language switch: kept on the user when signed in, in a cookie otherwise.
  app.post('/lang', { config: { access: { kind: 'public' } } }, async (req, reply) => {
    const r = LocaleInput.safeParse(req.body);
    if (!r.success) return reply.redirect('/', 303);
    if (req.user)
      await db.updateTable('app_user').set({ locale: r.data.locale }).where('id', '=', req.user.id).execute();
    reply.setCookie(LANG_COOKIE, r.data.locale, { path: '/', sameSite: 'lax', maxAge: 365 * 86400 });
    return reply.redirect(safeNext(r.data.next, app.config.publicOrigin), 303);
  });

  /** An account without a password of its own has none to change: back to the account page, which says why. */
  const noPassword = async (req: FastifyRequest, reply: FastifyReply) =>
    (await hasLocalPassword(db, me(req).id))
      ? null
      : reply.flash({ kind: 'warn', key: 'account.noPasswordToChange' }).redirect('/account', 303);

  app.get(
    '/account/password',
    { config: passwordChange },
    async (req, reply) =>
      (await noPassword(req, reply)) ?? reply.page('account/password.eta', { title: req.t('account.changePassword') }),
  );

  app.post('/account/password', { config: passwordChange }, async (req, reply) => {
    const none = await noPassword(req, reply);
    if (none) return none;
    const render = (errors: Record<string, string[]>, status = 422) =>
      reply.code(status).page('account/password.eta', { title: req.t('account.changePassword'), errors });
    const r = parseLocalised(PasswordInput, req.body, req.locale, req.t);
    if (!r.ok) return render(r.fieldErrors);
    const row = await db
      .selectFrom('app_user')
      .select('password_hash')
      .where('id', '=', me(req).id)
      .executeTakeFirstOrThrow();
    // The same throttle as sign-in: a stolen session must not be a way to guess the password without limit.
    const checked = await throttled(db, me(req).email, req.ip, () => verifyPassword(r.data.current, row.password_hash));
    if (checked.retryAfter) {
      reply.header('retry-after', String(checked.retryAfter));
      return render({ current: [req.t('errors.tooManyAttempts', { seconds: checked.retryAfter })] }, 429);
    }
    if (!checked.ok) return render({ current: [req.t('errors.badCurrentPassword')] });
    const problem = passwordProblem(r.data.password, me(req).email);
    if (problem) return render({ password: [req.t(problem)] });
    if (r.data.password === r.data.current) return render({ password: [req.t('errors.passwordUnchanged')] });
    await setPassword(db, me(req).id, r.data.password, false);
    // Other sessions end with the old password, and so do the API and calendar tokens (the user is told); this session
    // is replaced by a fresh id.
    await deleteUserSessions(db, me(req).id);
    const revoked = await revokeUserTokens(db, me(req).id);
    req.sessionId = null;
    await startSession(db, req, reply, me(req).id);
    return reply
      .flash(
        revoked
          ? { kind: 'ok', key: 'account.passwordChangedTokensRevoked', params: { count: revoked } }
          : { kind: 'ok', key: 'account.passwordChanged' },
      )
      .redirect('/', 303);
  });

  app.post('/account/tokens', { config: user }, async (req, reply) => {
    const r = parseLocalised(TokenInput, req.body, req.locale, req.t);
    if (!r.ok) return accountPage(req, reply.code(422), { errors: r.fieldErrors });
    const token = await createApiToken(db, me(req).id, r.data.name);
    // Shown once: only its hash is kept.
    return accountPage(req, reply, { newToken: token });
  });

  // The other language's text under each requirement: hidden unless the user asks for it (migration 018).
  app.post('/account/preferences', { config: user }, async (req, reply) => {
    const r = PreferencesInput.safeParse(req.body ?? {});
    const show = r.success && r.data.showOtherLanguage === 'on';
    await db
      .updateTable('app_user')
      .set({ show_other_language: show ? 1 : 0 })
      .where('id', '=', me(req).id)
      .execute();
    return reply.flash({ kind: 'ok', key: 'account.preferencesSaved' }).redirect('/account', 303);
  });

  app.post('/account/tokens/:tokenId/revoke', { config: user }, async (req, reply) => {
    const { tokenId } = TokenParams.parse(req.params);
    if (!(await revokeApiToken(db, me(req).id, tokenId))) throw notFound();
    return reply.flash({ kind: 'ok', key: 'account.tokenRevoked' }).redirect('/account', 303);
  });

  app.get(
    '/api/v1/auth/tokens',
    {
      schema: {
        tags: ['auth'],
        summary: "The caller's API tokens (never the secret)",
        response: {
          200: z.array(
            z.object({
              id: z.number().int(),
              name: z.string(),
              scope: z.string().describe('api | calendar'),
              createdAt: z.string(),
              lastUsedAt: z.string().nullable(),
              revokedAt: z.string().nullable(),
            }),
          ),
        },
      },
      config: user,
    },
    async (req) =>
      (await listApiTokens(db, me(req).id)).map((t) => ({
        id: t.id,
        name: t.name,
        scope: t.scope,
        createdAt: t.created_at,
        lastUsedAt: t.last_used_at,
        revokedAt: t.revoked_at,
      })),
  );

  app.delete(
    '/api/v1/auth/tokens/:tokenId',
    {
      schema: { tags: ['auth'], params: TokenParams, summary: 'Revoke one of your tokens' },
      config: { ...user, docs: { noContent: true } },
    },
    async (req, reply) => {
      if (!(await revokeApiToken(db, me(req).id, req.params.tokenId))) throw notFound();
      return reply.code(204).send();
    },
  );
}
