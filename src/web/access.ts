import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Db } from '../db/connect.js';
import { MAX_ID } from '../db/ids.js';
import { can, isRole } from '../domain/permissions.js';
import { isTimeZone } from '../domain/time-zone.js';
import type { Access, CurrentUser } from './context.js';
import { forbidden, HttpError, notFound } from './errors.js';
import { DEFAULT_LOCALE, isLocale, negotiateLocale, translator } from './i18n.js';
import { hasNul } from './text-guard.js';

export const SESSION_COOKIE = 'sid';
export const LANG_COOKIE = 'lang';

/** Maps a resource id to the organisation that owns it, e.g. an audit id to its organisation. */
export type ResourceResolver = (db: Db, id: number) => Promise<number | undefined>;
const resolvers = new Map<string, ResourceResolver>();

/** Areas register how their ids map to an organisation; access checks then stay in this one file. */
export function registerResource(kind: string, resolve: ResourceResolver) {
  resolvers.set(kind, resolve);
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** A signed-in user's row, as the look-ups below return it. */
type UserRow = Parameters<typeof toUser>[0];

/** Who a request's credentials name. The auth area answers; buildApp hands its look-ups in (web imports no area). */
interface CredentialLookup {
  bearer(token: string): Promise<UserRow | undefined>;
  session(cookieValue: string): Promise<(UserRow & { sessionId: string; mustEnrolSecondFactor: boolean }) | undefined>;
}

export const accessPlugin = fp(async (app: FastifyInstance, opts: { db: Db; credentials: CredentialLookup }) => {
  const { db, credentials } = opts;
  app.decorateRequest('user', null);
  app.decorateRequest('authVia', null);
  app.decorateRequest('sessionId', null);
  app.decorateRequest('locale', DEFAULT_LOCALE);
  app.decorateRequest('t', null as never);
  app.decorateRequest('org', null);
  app.decorateRequest('csrfPending', false);

  app.addHook('onRequest', async (req) => {
    // A language before anything can fail (identifying the user reads the database): errors are always localised.
    req.locale = cookieLocale(req) ?? negotiateLocale(req.headers['accept-language']) ?? DEFAULT_LOCALE;
    req.t = translator(req.locale);
    await identify(credentials, req);
    req.locale =
      req.user?.locale ?? cookieLocale(req) ?? negotiateLocale(req.headers['accept-language']) ?? DEFAULT_LOCALE;
    req.t = translator(req.locale);
  });

  // No handler or query ever sees a NUL character: PostgreSQL cannot store one (see text-guard.ts).
  app.addHook('preValidation', async (req) => {
    // A post with no body at all is a form with no fields: handlers read fields, never a missing body (a 500).
    if (req.body === undefined && UNSAFE.has(req.method) && !req.isMultipart()) req.body = {};
    if (hasNul(req.body) || hasNul(req.query) || hasNul(req.params)) throw new HttpError(400, 'errors.badRequest');
  });

  // preValidation: after the body is parsed (form CSRF tokens live there) but before schema validation,
  // so a request that may not see a route learns nothing from its validation errors.
  app.addHook('preValidation', async (req, reply) => {
    const access: Access = req.routeOptions.config?.access ?? { kind: 'user' };
    await authorise(db, req, reply, access);
    const upload = req.routeOptions.config?.upload === true;
    if (needsCsrf(req)) {
      // A multipart body is not parsed yet: an upload route checks the form's _csrf field as it reads the body, before
      // the file (tokens never travel in the URL, where logs and Referer headers would keep them).
      if (upload && req.isMultipart() && !req.headers['x-csrf-token']) req.csrfPending = true;
      else await verifyCsrf(req);
    }
    // Only upload routes read a multipart body; anywhere else it would reach the handler as no body at all.
    if (!upload && req.isMultipart()) throw new HttpError(415, 'errors.unsupportedMediaType');
  });
});

/** Checks the request's CSRF token (form field _csrf or X-CSRF-Token header) against its signed secret: 403 otherwise. */
function verifyCsrf(req: FastifyRequest): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    // The plugin answers a failure through reply.send; only the cookie reading and that answer are needed here.
    const reply = {
      unsignCookie: (v: string) => req.unsignCookie(v),
      send: () => reject(new HttpError(403, 'errors.csrf')),
    } as unknown as FastifyReply;
    req.server.csrfProtection(req, reply, () => resolve());
  });
}

/** An upload's CSRF field, read before its file: 403 unless it matches (a no-op when the token was checked already). */
export async function settleUploadCsrf(req: FastifyRequest, token: string | undefined): Promise<void> {
  if (!req.csrfPending) return;
  req.csrfPending = false;
  const body = req.body;
  req.body = { _csrf: token ?? '' };
  try {
    await verifyCsrf(req);
  } finally {
    req.body = body;
  }
}

async function identify(credentials: CredentialLookup, req: FastifyRequest) {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) {
    const row = await credentials.bearer(auth.slice(7).trim());
    if (row) {
      req.user = toUser(row);
      req.authVia = 'bearer';
    }
    return;
  }
  const sid = req.cookies[SESSION_COOKIE];
  if (sid) {
    const row = await credentials.session(sid);
    if (row) {
      req.user = { ...toUser(row), mustEnrolSecondFactor: row.mustEnrolSecondFactor };
      req.authVia = 'session';
      req.sessionId = row.sessionId;
    }
  }
}

/** The signed-in user as the app knows it, from a session's or a token's row. */
export function toUser(row: {
  id: number;
  email: string;
  display_name: string;
  is_admin: number;
  must_change_password: number;
  locale: string | null;
  show_other_language?: number;
  time_zone?: string | null;
}): CurrentUser {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    isAdmin: row.is_admin === 1,
    mustChangePassword: row.must_change_password === 1,
    mustEnrolSecondFactor: false,
    locale: isLocale(row.locale) ? row.locale : null,
    showOtherLanguage: row.show_other_language === 1,
    timeZone: row.time_zone && isTimeZone(row.time_zone) ? row.time_zone : null,
  };
}

function cookieLocale(req: FastifyRequest) {
  const v = req.cookies[LANG_COOKIE];
  return isLocale(v) ? v : undefined;
}

// Bearer calls carry no ambient credential; everything else that changes state (a cookie, or a browser form) needs a token.
function needsCsrf(req: FastifyRequest): boolean {
  if (!UNSAFE.has(req.method) || req.authVia === 'bearer') return false;
  const ct = String(req.headers['content-type'] ?? '');
  const browserForm = ct.startsWith('application/x-www-form-urlencoded') || ct.startsWith('multipart/form-data');
  return Boolean(req.headers.cookie) || browserForm;
}

async function authorise(db: Db, req: FastifyRequest, reply: FastifyReply, access: Access) {
  if (access.kind === 'public') return;
  const user = req.user;
  if (!user) throw new HttpError(401, 'errors.unauthenticated');
  if (user.mustChangePassword && !(access.kind === 'user' && access.allowPasswordChange)) {
    if (req.authVia === 'session' && req.method === 'GET' && !req.url.startsWith('/api/')) {
      reply.redirect('/account/password');
      return reply;
    }
    throw new HttpError(403, 'errors.passwordChangeRequired');
  }
  if (
    user.mustEnrolSecondFactor &&
    !(access.kind === 'user' && (access.allowEnrolment || access.allowPasswordChange))
  ) {
    if (req.method === 'GET' && !req.url.startsWith('/api/')) {
      reply.redirect('/account/second-factor');
      return reply;
    }
    throw new HttpError(403, 'errors.secondFactorRequired');
  }
  if (access.kind === 'user') return;
  if (access.kind === 'sysadmin') {
    if (!user.isAdmin) throw forbidden();
    return;
  }
  const params = req.params as Record<string, string>;
  const raw = params[access.resource ? `${access.resource}Id` : 'orgId'];
  const id = Number(raw);
  if (!Number.isSafeInteger(id) || id <= 0 || id > MAX_ID) throw notFound();
  let orgId: number | undefined = id;
  if (access.resource) {
    const resolve = resolvers.get(access.resource);
    if (!resolve) throw new Error(`no resolver registered for resource "${access.resource}"`);
    orgId = await resolve(db, id);
  }
  if (orgId === undefined) throw notFound();
  const m = await db
    .selectFrom('membership')
    .innerJoin('organization', 'organization.id', 'membership.organization_id')
    .select(['organization.id', 'organization.name', 'organization.code', 'organization.time_zone', 'membership.role'])
    .where('membership.organization_id', '=', orgId)
    .where('membership.user_id', '=', user.id)
    .executeTakeFirst();
  // Not a member: the organisation does not exist as far as this user can tell.
  if (!m || !isRole(m.role)) throw notFound();
  req.org = { id: m.id, name: m.name, code: m.code, role: m.role, timeZone: m.time_zone };
  if (!can(m.role, access.permission)) throw forbidden();
}
