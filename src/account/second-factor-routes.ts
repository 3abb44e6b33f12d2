import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { throttled } from '../auth/routes.js';
import {
  confirmedFactor,
  confirmEnrolment,
  enrolment,
  removeSecondFactor,
  unusedRecoveryCodes,
} from '../auth/second-factor.js';
import { secretBox } from '../auth/secret-box.js';
import { verifyPassword } from '../domain/passwords.js';
import type { CurrentUser } from '../web/context.js';
import { parseLocalised } from '../web/validation.js';

const me = (req: FastifyRequest) => req.user as CurrentUser;
const CodeInput = z.object({ code: z.string().trim().min(1, { error: 'errors.required' }).max(40) });
const PasswordInput = z.object({ password: z.string().min(1, { error: 'errors.required' }).max(200) });

/** Two-step verification on the account page (issue 19): set up with a QR code, turn off with the password. */
export async function secondFactorRoutes(app: FastifyInstance) {
  const { db } = app;
  const box = secretBox(app.config.sessionSecret);
  // Reachable while an administrator is held to set it up (MFA_REQUIRED_FOR_ADMINS).
  const enrol = { access: { kind: 'user', allowEnrolment: true } } as const;
  const issuer = new URL(app.config.publicUrl).host;

  const page = async (req: FastifyRequest, reply: FastifyReply, extra: Record<string, unknown> = {}) => {
    const user = me(req);
    const on = await confirmedFactor(db, user.id);
    return reply.page('account/second-factor.eta', {
      title: req.t('mfa.title'),
      on,
      left: on ? await unusedRecoveryCodes(db, user.id) : 0,
      enrolment: on ? undefined : await enrolment(db, box, user, issuer),
      ...extra,
    });
  };

  app.get('/account/second-factor', { config: enrol }, async (req, reply) => page(req, reply));

  app.post('/account/second-factor', { config: enrol }, async (req, reply) => {
    const r = parseLocalised(CodeInput, req.body, req.locale, req.t);
    if (!r.ok) return page(req, reply.code(422), { errors: r.fieldErrors });
    let codes: string[] | undefined;
    const checked = await throttled(db, me(req).email, req.ip, async () => {
      codes = await confirmEnrolment(db, box, me(req).id, r.data.code);
      return codes !== undefined;
    });
    if (checked.retryAfter) {
      reply.header('retry-after', String(checked.retryAfter));
      const wait = req.t('errors.tooManyAttempts', { seconds: checked.retryAfter });
      return page(req, reply.code(429), { errors: { code: [wait] } });
    }
    if (!codes) return page(req, reply.code(422), { errors: { code: [req.t('errors.badCode')] } });
    // Shown this once: only their hashes are kept.
    return page(req, reply, { recoveryCodes: codes, justEnrolled: true });
  });

  app.post('/account/second-factor/disable', { config: { access: { kind: 'user' } } }, async (req, reply) => {
    const r = parseLocalised(PasswordInput, req.body, req.locale, req.t);
    if (!r.ok) return page(req, reply.code(422), { errors: r.fieldErrors });
    const row = await db
      .selectFrom('app_user')
      .select('password_hash')
      .where('id', '=', me(req).id)
      .executeTakeFirstOrThrow();
    const checked = await throttled(db, me(req).email, req.ip, () =>
      verifyPassword(r.data.password, row.password_hash),
    );
    if (checked.retryAfter) {
      reply.header('retry-after', String(checked.retryAfter));
      const wait = req.t('errors.tooManyAttempts', { seconds: checked.retryAfter });
      return page(req, reply.code(429), { errors: { password: [wait] } });
    }
    if (!checked.ok) return page(req, reply.code(422), { errors: { password: [req.t('errors.badCurrentPassword')] } });
    await removeSecondFactor(db, me(req).id, me(req).id, 'removed');
    return reply.flash({ kind: 'ok', key: 'mfa.disabled' }).redirect('/account', 303);
  });
}
