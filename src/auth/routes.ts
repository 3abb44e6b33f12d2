import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { verifyPassword } from '../domain/passwords.js';
import { HttpError } from '../web/errors.js';
import { parseLocalised } from '../web/validation.js';
import { countSignInAttempt, createApiToken, findUserByEmail, settleSignIn, throttleKeys } from './queries.js';
import { LoginInput, SecondStepInput, safeNext } from './schemas.js';
import {
  checkSecondFactor,
  confirmedFactor,
  endPendingSignIn,
  PENDING_MINUTES,
  pendingSignIn,
  startPendingSignIn,
} from './second-factor.js';
import { secretBox } from './secret-box.js';
import { endSession, startSession } from './session.js';

const publicAccess = { access: { kind: 'public' } } as const;
/** Names the half-done sign-in (password right, second factor to come) of this browser. */
const PENDING_COOKIE = 'signin2';

/** The sign-in page: the password form unless LOCAL_PASSWORDS=0, the single sign-on button when configured. */
export function loginPage(
  app: FastifyInstance,
  req: FastifyRequest,
  reply: FastifyReply,
  extra: { errors?: Record<string, string[]>; values?: Record<string, unknown> } = {},
) {
  const next = (req.query as { next?: string } | undefined)?.next;
  return reply.page('auth/login.eta', {
    title: req.t('auth.login'),
    values: { next: next ?? '' },
    localPasswords: app.config.localPasswords,
    sso: app.config.oidc ? { name: app.config.oidc.providerName } : null,
    ...extra,
  });
}

export type LoginOutcome =
  | { ok: true; userId: number }
  | { ok: false; key: 'errors.badCredentials' }
  | { ok: false; key: 'errors.tooManyAttempts'; retryAfter: number };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Counts the attempt (before anything is checked), then refuses it while its address, or this account from this
 * address, must wait; otherwise waits the account's short delay and checks `check()`. Right: the counters settle.
 */
export async function throttled(
  db: FastifyInstance['db'],
  email: string,
  ip: string,
  check: () => Promise<boolean>,
): Promise<{ ok: boolean; retryAfter?: number }> {
  const keys = throttleKeys(email, ip);
  const decision = await countSignInAttempt(db, keys);
  if (!decision.allowed) return { ok: false, retryAfter: Math.max(1, Math.ceil(decision.retryAfterMs / 1000)) };
  if (decision.waitMs > 0) await sleep(decision.waitMs);
  const ok = await check();
  if (ok) await settleSignIn(db, keys);
  return { ok };
}

export async function checkLogin(
  app: FastifyInstance,
  req: FastifyRequest,
  email: string,
  password: string,
): Promise<LoginOutcome> {
  const { db } = app;
  let userId = 0;
  const r = await throttled(db, email, req.ip, async () => {
    const user = await findUserByEmail(db, email);
    // Hash even when the account does not exist so timing does not reveal which e-mails are registered.
    const ok = await verifyPassword(
      password,
      user?.password_hash ?? 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
    );
    if (!user || !ok || user.disabled_at) return false;
    userId = user.id;
    return true;
  });
  if (r.retryAfter) return { ok: false, key: 'errors.tooManyAttempts', retryAfter: r.retryAfter };
  return r.ok ? { ok: true, userId } : { ok: false, key: 'errors.badCredentials' };
}

export async function authRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();

  const box = secretBox(app.config.sessionSecret);

  app.get('/login', { config: publicAccess }, async (req, reply) => loginPage(base, req, reply));

  app.post('/login', { config: publicAccess }, async (req, reply) => {
    if (!app.config.localPasswords)
      return loginPage(base, req, reply.code(403), { errors: { _form: [req.t('errors.localPasswordsOff')] } });
    const r = parseLocalised(LoginInput, req.body, req.locale, req.t);
    const values = { ...(req.body as object), password: '' };
    if (!r.ok) return loginPage(base, req, reply.code(422), { errors: r.fieldErrors, values });
    const outcome = await checkLogin(base, req, r.data.email, r.data.password);
    if (!outcome.ok) {
      const wait = outcome.key === 'errors.tooManyAttempts' ? outcome.retryAfter : 0;
      if (wait) reply.header('retry-after', String(wait));
      return loginPage(base, req, reply.code(wait ? 429 : 401), {
        errors: { _form: [req.t(outcome.key, { seconds: wait })] },
        values,
      });
    }
    const next = safeNext(r.data.next, app.config.publicOrigin);
    // A second factor: no session yet, only a short-lived half-done sign-in bound to this browser's cookie.
    if (await confirmedFactor(app.db, outcome.userId)) {
      const pending = await startPendingSignIn(app.db, outcome.userId, next);
      reply.setCookie(PENDING_COOKIE, pending, {
        path: '/login',
        httpOnly: true,
        sameSite: 'lax',
        secure: 'auto',
        maxAge: PENDING_MINUTES * 60,
      });
      return reply.redirect('/login/second-factor', 303);
    }
    await startSession(app.db, req, reply, outcome.userId);
    return reply.redirect(next, 303);
  });

  const secondStepPage = (req: FastifyRequest, reply: FastifyReply, errors?: Record<string, string[]>) =>
    reply.page('auth/second-factor.eta', { title: req.t('mfa.signInTitle'), errors });

  app.get('/login/second-factor', { config: publicAccess }, async (req, reply) => {
    if (!(await pendingSignIn(app.db, req.cookies[PENDING_COOKIE]))) return reply.redirect('/login', 303);
    return secondStepPage(req, reply);
  });

  app.post('/login/second-factor', { config: publicAccess }, async (req, reply) => {
    const pending = await pendingSignIn(app.db, req.cookies[PENDING_COOKIE]);
    if (!pending) {
      reply.clearCookie(PENDING_COOKIE, { path: '/login' });
      return loginPage(base, req, reply.code(401), { errors: { _form: [req.t('errors.signInExpired')] } });
    }
    const r = parseLocalised(SecondStepInput, req.body, req.locale, req.t);
    if (!r.ok) return secondStepPage(req, reply.code(422), r.fieldErrors);
    // Wrong codes count like wrong passwords, on the same counters (account, address, both).
    const checked = await throttled(app.db, pending.email, req.ip, () =>
      checkSecondFactor(app.db, box, pending.userId, r.data.code),
    );
    if (checked.retryAfter) {
      reply.header('retry-after', String(checked.retryAfter));
      return secondStepPage(req, reply.code(429), {
        code: [req.t('errors.tooManyAttempts', { seconds: checked.retryAfter })],
      });
    }
    if (!checked.ok) return secondStepPage(req, reply.code(401), { code: [req.t('errors.badCode')] });
    await endPendingSignIn(app.db, pending.id);
    reply.clearCookie(PENDING_COOKIE, { path: '/login' });
    await startSession(app.db, req, reply, pending.userId, 'password+totp');
    return reply.redirect(safeNext(pending.next, app.config.publicOrigin), 303);
  });

  app.post('/logout', { config: { access: { kind: 'user', allowPasswordChange: true } } }, async (req, reply) => {
    await endSession(app.db, req, reply);
    return reply.redirect('/login', 303);
  });

  app.post(
    '/api/v1/auth/token',
    {
      schema: {
        tags: ['auth'],
        summary: 'Exchange e-mail and password for a bearer token',
        security: [],
        body: z.object({
          email: z.string().trim().toLowerCase(),
          password: z.string().max(200),
          name: z.string().max(100).optional(),
          // The authenticator or a recovery code, for an account with two-step verification.
          code: z.string().max(40).optional(),
        }),
        response: { 201: z.object({ token: z.string().describe('Send as Authorization: Bearer <token>') }) },
      },
      config: publicAccess,
    },
    async (req, reply) => {
      if (!app.config.localPasswords) throw new HttpError(403, 'errors.localPasswordsOff');
      const outcome = await checkLogin(base, req, req.body.email, req.body.password);
      if (!outcome.ok) {
        if (outcome.key === 'errors.badCredentials') throw new HttpError(401, outcome.key);
        reply.header('retry-after', String(outcome.retryAfter));
        throw new HttpError(429, outcome.key, { seconds: outcome.retryAfter });
      }
      const user = await findUserByEmail(app.db, req.body.email);
      if (user?.must_change_password) throw new HttpError(403, 'errors.passwordChangeRequired');
      if (await confirmedFactor(app.db, outcome.userId)) {
        const code = req.body.code;
        if (!code) throw new HttpError(401, 'errors.secondFactorRequired');
        const checked = await throttled(app.db, req.body.email, req.ip, () =>
          checkSecondFactor(app.db, box, outcome.userId, code),
        );
        if (checked.retryAfter) {
          reply.header('retry-after', String(checked.retryAfter));
          throw new HttpError(429, 'errors.tooManyAttempts', { seconds: checked.retryAfter });
        }
        if (!checked.ok) throw new HttpError(401, 'errors.badCode');
      }
      const token = await createApiToken(app.db, outcome.userId, req.body.name ?? 'API');
      return reply.code(201).send({ token });
    },
  );
}
