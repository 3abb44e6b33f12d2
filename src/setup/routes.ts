import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { loadDemo } from '../../fixtures/demo.js';
import { startSession } from '../auth/session.js';
import { passwordProblem } from '../domain/passwords.js';
import { countUsers, createUser } from '../users/queries.js';
import { parseLocalised } from '../web/validation.js';

const SetupInput = z
  .object({
    email: z
      .string()
      .trim()
      .toLowerCase()
      .pipe(z.email({ error: 'errors.email' })),
    displayName: z.string().trim().min(1, { error: 'errors.required' }).max(200),
    password: z.string().max(200),
    confirm: z.string().max(200),
    demo: z.literal('on').optional(),
  })
  .refine((v) => v.password === v.confirm, { path: ['confirm'], error: 'errors.passwordMismatch' });

/** First run: the only page reachable while the database has no user. */
export async function setupRoutes(app: FastifyInstance) {
  const { db } = app;
  const open = { access: { kind: 'public' } } as const;

  app.get('/setup', { config: open }, async (req, reply) => {
    if ((await countUsers(db)) > 0) return reply.redirect('/login', 303);
    return reply.page('setup/setup.eta', { title: req.t('setup.title'), values: {} }); // the demo is opt-in: a real organisation's first screen stays empty
  });

  app.post('/setup', { config: open }, async (req, reply) => {
    if ((await countUsers(db)) > 0) return reply.redirect('/login', 303);
    const values = { ...(req.body as object), password: '', confirm: '' };
    const r = parseLocalised(SetupInput, req.body, req.locale, req.t);
    if (!r.ok)
      return reply.code(422).page('setup/setup.eta', { title: req.t('setup.title'), errors: r.fieldErrors, values });
    const problem = passwordProblem(r.data.password, r.data.email);
    if (problem)
      return reply
        .code(422)
        .page('setup/setup.eta', { title: req.t('setup.title'), errors: { password: [req.t(problem)] }, values });
    const userId = await createUser(db, {
      email: r.data.email,
      displayName: r.data.displayName,
      password: r.data.password,
      isAdmin: true,
      mustChangePassword: false,
      locale: req.locale,
    });
    if (r.data.demo) await loadDemo(db, userId, req.locale);
    await startSession(db, req, reply, userId);
    return reply.redirect('/', 303);
  });
}
