import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { recordTrail } from '../db/trail.js';
import { signOnVerdict } from '../domain/single-sign-on.js';
import { createUser } from '../users/queries.js';
import { notFound } from '../web/errors.js';
import { oidcClient, type SignOnAttempt } from './oidc-client.js';
import { findUserByEmail } from './queries.js';
import { loginPage } from './routes.js';
import { safeNext } from './schemas.js';
import { startSession } from './session.js';

const publicAccess = { access: { kind: 'public' } } as const;
/** The signed cookie that carries state, nonce and PKCE verifier to the callback: only this browser can finish. */
const ATTEMPT_COOKIE = 'oidc';
const ATTEMPT_PATH = '/login/oidc';

const Attempt = z.object({
  state: z.string().min(1),
  nonce: z.string().min(1),
  verifier: z.string().min(43),
  next: z.string(),
  expires: z.number(),
});

/** Single sign-on with the OpenID Connect provider of OIDC_ISSUER (issue 19). */
export async function ssoRoutes(app: FastifyInstance) {
  const cfg = app.config.oidc;
  const redirectUri = `${app.config.publicUrl}/login/oidc/callback`;
  const oidc = cfg && oidcClient(cfg, redirectUri);

  const refuse = (req: FastifyRequest, reply: FastifyReply, status: number, key: string, params = {}) =>
    loginPage(app, req, reply.code(status), { errors: { _form: [req.t(key, params)] } });

  app.get('/login/oidc', { config: publicAccess }, async (req, reply) => {
    if (!oidc) throw notFound();
    const next = safeNext((req.query as { next?: string }).next, app.config.publicOrigin);
    let started: Awaited<ReturnType<typeof oidc.start>>;
    try {
      started = await oidc.start(next);
    } catch (err) {
      req.log.error({ err }, 'OpenID provider discovery failed');
      return refuse(req, reply, 503, 'errors.sso.unavailable', { provider: cfg.providerName });
    }
    reply.setCookie(ATTEMPT_COOKIE, JSON.stringify(started.attempt), {
      path: ATTEMPT_PATH,
      signed: true,
      httpOnly: true,
      sameSite: 'lax', // sent on the provider's redirect back (a top-level navigation)
      secure: 'auto',
      maxAge: Math.ceil((started.attempt.expires - Date.now()) / 1000),
    });
    return reply.redirect(started.url, 303);
  });

  app.get('/login/oidc/callback', { config: publicAccess }, async (req, reply) => {
    if (!oidc) throw notFound();
    const attempt = readAttempt(req);
    reply.clearCookie(ATTEMPT_COOKIE, { path: ATTEMPT_PATH });
    if (!attempt) return refuse(req, reply, 400, 'errors.sso.expired');
    // The address the provider sent the browser to: PUBLIC_URL's, never the request's Host header.
    const callbackUrl = new URL(redirectUri);
    callbackUrl.search = new URL(req.url, 'http://x').search;
    let claims: Record<string, unknown>;
    try {
      claims = await oidc.finish(callbackUrl, attempt);
    } catch (err) {
      req.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'single sign-on refused');
      return refuse(req, reply, 401, 'errors.sso.failed', { provider: cfg.providerName });
    }
    const email = typeof claims.email === 'string' ? claims.email : '';
    const existing = email ? await findUserByEmail(app.db, email) : undefined;
    const verdict = signOnVerdict(claims, existing && { disabled: Boolean(existing.disabled_at) }, cfg.allowedDomains);
    if (verdict.kind === 'refused')
      return refuse(req, reply, 403, `errors.sso.${verdict.reason}`, {
        provider: cfg.providerName,
        domain: verdict.domain ?? '',
      });
    let userId = existing?.id;
    if (verdict.kind === 'create') {
      const name = typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim().slice(0, 200) : '';
      try {
        userId = await createUser(app.db, {
          email: verdict.email,
          displayName: name || verdict.email.split('@')[0]!,
          password: null,
          isAdmin: false,
          mustChangePassword: false,
          locale: req.locale,
        });
      } catch (err) {
        // The same person signing in twice at once: the other request made the account.
        userId = (await findUserByEmail(app.db, verdict.email))?.id;
        if (!userId) throw err;
      }
    }
    await recordTrail(app.db, {
      orgId: null,
      userId: userId!,
      action: 'create',
      entity: 'sign_in',
      entityId: userId!,
      after: { via: 'oidc', issuer: cfg.issuer },
    });
    await startSession(app.db, req, reply, userId!, 'oidc');
    return reply.redirect(safeNext(attempt.next, app.config.publicOrigin), 303);
  });
}

/** The attempt of this browser, if its cookie is there, signed by us and not yet expired. */
function readAttempt(req: FastifyRequest): SignOnAttempt | undefined {
  const raw = req.cookies[ATTEMPT_COOKIE];
  if (!raw) return undefined;
  const unsigned = req.unsignCookie(raw);
  if (!unsigned.valid || !unsigned.value) return undefined;
  try {
    const a = Attempt.safeParse(JSON.parse(unsigned.value));
    return a.success && a.data.expires > Date.now() ? a.data : undefined;
  } catch {
    return undefined;
  }
}
