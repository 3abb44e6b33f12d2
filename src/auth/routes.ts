import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { verifyPassword } from '../domain/passwords.js';
import { HttpError } from '../web/errors.js';
import { parseLocalised } from '../web/validation.js';
import { countSignInAttempt, createApiToken, findUserByEmail, settleSignIn, throttleKeys } from './queries.js';
import { LoginInput, safeNext } from './schemas.js';
import { endSession, startSession } from './session.js';

const publicAccess = { access: { kind: 'public' } } as const;

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

  app.get('/login', { config: publicAccess }, async (req, reply) =>
    reply.page('auth/login.eta', {
      title: req.t('auth.login'),
      values: { next: (req.query as { next?: string }).next ?? '' },
    }),
  );

  app.post('/login', { config: publicAccess }, async (req, reply) => {
    const r = parseLocalised(LoginInput, req.body, req.locale, req.t);
    const values = { ...(req.body as object), password: '' };
    if (!r.ok)
      return reply.code(422).page('auth/login.eta', { title: req.t('auth.login'), errors: r.fieldErrors, values });
    const outcome = await checkLogin(base, req, r.data.email, r.data.password);
    if (!outcome.ok) {
      const wait = outcome.key === 'errors.tooManyAttempts' ? outcome.retryAfter : 0;
      if (wait) reply.header('retry-after', String(wait));
      return reply.code(wait ? 429 : 401).page('auth/login.eta', {
        title: req.t('auth.login'),
        errors: { _form: [req.t(outcome.key, { seconds: wait })] },
        values,
      });
    }
    await startSession(app.db, req, reply, outcome.userId);
    return reply.redirect(safeNext(r.data.next, app.config.publicOrigin), 303);
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
        }),
      },
      config: publicAccess,
    },
    async (req, reply) => {
      const outcome = await checkLogin(base, req, req.body.email, req.body.password);
      if (!outcome.ok) {
        if (outcome.key === 'errors.badCredentials') throw new HttpError(401, outcome.key);
        reply.header('retry-after', String(outcome.retryAfter));
        throw new HttpError(429, outcome.key, { seconds: outcome.retryAfter });
      }
      const user = await findUserByEmail(app.db, req.body.email);
      if (user?.must_change_password) throw new HttpError(403, 'errors.passwordChangeRequired');
      const token = await createApiToken(app.db, outcome.userId, req.body.name ?? 'API');
      return reply.code(201).send({ token });
    },
  );
}
