import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { deleteUserSessions, findUserByEmail, revokeUserTokens } from '../auth/queries.js';
import { temporaryPassword } from '../domain/passwords.js';
import { notFound } from '../web/errors.js';
import { dbId, parseLocalised } from '../web/validation.js';
import { createUser, listUsers, setPassword } from './queries.js';

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

/** System administration: user accounts. No mail server, so the admin hands over a temporary password. */
export async function userRoutes(app: FastifyInstance) {
  const { db } = app;
  const sysadmin = { access: { kind: 'sysadmin' } } as const;

  const page = async (req: FastifyRequest, reply: FastifyReply, extra: Record<string, unknown> = {}) =>
    reply.page('admin/users.eta', { title: req.t('users.title'), users: await listUsers(db), ...extra });

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
    const u = await db.selectFrom('app_user').select(['id', 'email']).where('id', '=', userId).executeTakeFirst();
    if (!u) throw notFound();
    const password = temporaryPassword();
    await setPassword(db, u.id, password, true);
    await deleteUserSessions(db, u.id);
    // A reset is for a password that may be known to someone else: what it made (API and calendar tokens) ends too.
    const revokedTokens = await revokeUserTokens(db, u.id);
    return page(req, reply, { temporary: { email: u.email, password, revokedTokens } });
  });
}
