import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { deleteUserSessions, findUserByEmail, revokeUserTokens } from '../auth/queries.js';
import { removeSecondFactor } from '../auth/second-factor.js';
import { temporaryPassword } from '../domain/passwords.js';
import { notFound } from '../web/errors.js';
import { dbId, parseLocalised } from '../web/validation.js';
import { createUser, listUsers, revokeToken, setActive, setPassword, tokensOf } from './queries.js';

const UserInput = z.object({
  email: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.email({ error: 'errors.email' })),
  displayName: z.string().trim().min(1, { error: 'errors.required' }).max(200),
  isAdmin: z.literal('on').optional(),
});
const UserParams = z.object({ userId: dbId });
const TokenParams = z.object({ userId: dbId, tokenId: dbId });

/** System administration: user accounts. No mail server, so the admin hands over a temporary password. */
export async function userRoutes(app: FastifyInstance) {
  const { db } = app;
  const sysadmin = { access: { kind: 'sysadmin' } } as const;

  const page = async (req: FastifyRequest, reply: FastifyReply, extra: Record<string, unknown> = {}) => {
    const [users, tokens] = await Promise.all([listUsers(db), tokensOf(db)]);
    const tokensByUser = new Map<number, typeof tokens>();
    for (const tk of tokens) tokensByUser.set(tk.user_id, [...(tokensByUser.get(tk.user_id) ?? []), tk]);
    return reply.page('admin/users.eta', {
      title: req.t('users.title'),
      users,
      tokensByUser,
      mailFrom: app.config.mail?.from ?? null, // "mail is off" when SMTP_URL is not set
      ...extra,
    });
  };
  const findUser = async (userId: number) => {
    const u = await db
      .selectFrom('app_user')
      .select(['id', 'email', 'disabled_at'])
      .where('id', '=', userId)
      .executeTakeFirst();
    if (!u) throw notFound();
    return u;
  };

  app.get('/admin/users', { config: sysadmin }, async (req, reply) => page(req, reply));

  app.post('/admin/users', { config: sysadmin }, async (req, reply) => {
    const r = parseLocalised(UserInput, req.body, req.locale, req.t);
    if (!r.ok) return page(req, reply.code(422), { errors: r.fieldErrors, values: req.body });
    if (await findUserByEmail(db, r.data.email)) {
      return page(req, reply.code(422), { errors: { email: [req.t('errors.emailTaken')] }, values: req.body });
    }
    const password = temporaryPassword();
    await createUser(
      db,
      {
        email: r.data.email,
        displayName: r.data.displayName,
        password,
        isAdmin: r.data.isAdmin === 'on',
        mustChangePassword: true,
      },
      req.user!.id,
    );
    return page(req, reply, { temporary: { email: r.data.email, password } });
  });

  app.post('/admin/users/:userId/reset', { config: sysadmin }, async (req, reply) => {
    const { userId } = UserParams.parse(req.params);
    const u = await findUser(userId);
    const password = temporaryPassword();
    await setPassword(db, u.id, password, true);
    await deleteUserSessions(db, u.id);
    // A reset is for a password that may be known to someone else: what it made (API and calendar tokens) ends too.
    const revokedTokens = await revokeUserTokens(db, u.id);
    return page(req, reply, { temporary: { email: u.email, password, revokedTokens } });
  });

  for (const active of [false, true]) {
    app.post(
      `/admin/users/:userId/${active ? 'reactivate' : 'deactivate'}`,
      { config: sysadmin },
      async (req, reply) => {
        const u = await findUser(UserParams.parse(req.params).userId);
        if (!active && u.id === req.user!.id)
          return reply.flash({ kind: 'error', key: 'users.errors.deactivateSelf' }).redirect('/admin/users', 303);
        await setActive(db, u, active, req.user!.id);
        if (!active) await deleteUserSessions(db, u.id);
        const key = active ? 'users.reactivated' : 'users.deactivated';
        return reply.flash({ kind: 'ok', key, params: { email: u.email } }).redirect('/admin/users', 303);
      },
    );
  }

  app.post('/admin/users/:userId/tokens/:tokenId/revoke', { config: sysadmin }, async (req, reply) => {
    const { userId, tokenId } = TokenParams.parse(req.params);
    if (!(await revokeToken(db, userId, tokenId))) throw notFound();
    return reply.flash({ kind: 'ok', key: 'users.tokenRevoked' }).redirect('/admin/users', 303);
  });

  // A lost authenticator and no recovery code left: the administrator turns the second factor off; the user signs in
  // with the password alone and sets it up again (or is held to, under MFA_REQUIRED_FOR_ADMINS).
  app.post('/admin/users/:userId/second-factor/reset', { config: sysadmin }, async (req, reply) => {
    const u = await findUser(UserParams.parse(req.params).userId);
    await removeSecondFactor(db, u.id, req.user!.id, 'reset');
    return reply
      .flash({ kind: 'ok', key: 'users.secondFactorWasReset', params: { email: u.email } })
      .redirect('/admin/users', 303);
  });
}
