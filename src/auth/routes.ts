import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { verifyPassword } from '../domain/passwords.js';
import { HttpError } from '../web/errors.js';
import { parseLocalised } from '../web/validation.js';
import { clearFailures, createApiToken, findUserByEmail, recordFailure, tooManyFailures } from './queries.js';
import { LoginInput, safeNext } from './schemas.js';
import { endSession, startSession } from './session.js';

const publicAccess = { access: { kind: 'public' } } as const;

export type LoginOutcome =
  | { ok: true; userId: number }
  | { ok: false; key: 'errors.badCredentials' | 'errors.tooManyAttempts' };

export async function checkLogin(
  app: FastifyInstance,
  req: FastifyRequest,
  email: string,
  password: string,
): Promise<LoginOutcome> {
  const { db } = app;
  if (await tooManyFailures(db, email, req.ip)) return { ok: false, key: 'errors.tooManyAttempts' };
  const user = await findUserByEmail(db, email);
  // Hash even when the account does not exist so timing does not reveal which e-mails are registered.
  const ok = await verifyPassword(
    password,
    user?.password_hash ?? 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
  );
  if (!user || !ok || user.disabled_at) {
    await recordFailure(db, email, req.ip);
    return { ok: false, key: 'errors.badCredentials' };
  }
  await clearFailures(db, email);
  return { ok: true, userId: user.id };
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
      return reply
        .code(outcome.key === 'errors.tooManyAttempts' ? 429 : 401)
        .page('auth/login.eta', { title: req.t('auth.login'), errors: { _form: [req.t(outcome.key)] }, values });
    }
    await startSession(app.db, req, reply, outcome.userId);
    return reply.redirect(safeNext(r.data.next), 303);
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
      if (!outcome.ok) throw new HttpError(outcome.key === 'errors.tooManyAttempts' ? 429 : 401, outcome.key);
      const user = await findUserByEmail(app.db, req.body.email);
      if (user?.must_change_password) throw new HttpError(403, 'errors.passwordChangeRequired');
      const token = await createApiToken(app.db, outcome.userId, req.body.name ?? 'API');
      return reply.code(201).send({ token });
    },
  );
}
