import type { FastifyRequest } from 'fastify';
import { tokenUser } from '../auth/queries.js';
import type { Db } from '../db/connect.js';
import { toUser } from '../web/access.js';
import { translator } from '../web/i18n.js';

/**
 * A calendar app subscribing to the .ics feed cannot send an Authorization header, so that one route also accepts a
 * calendar token (scope 'calendar', made on the reports page) as `?token=`; an API token is refused there, and a
 * calendar token is refused everywhere else. This onRequest hook of the route identifies the caller by it; the usual
 * access check (membership, permission) then runs unchanged. A wrong token answers 401 even when a session cookie is present.
 */
export function tokenFromQuery(db: Db) {
  return async (req: FastifyRequest) => {
    const token = (req.query as { token?: unknown } | undefined)?.token;
    if (typeof token !== 'string' || !token || req.headers.authorization) return;
    const row = await tokenUser(db, token, 'calendar');
    req.user = row ? toUser(row) : null;
    req.authVia = row ? 'bearer' : null;
    req.sessionId = null;
    if (req.user?.locale) {
      req.locale = req.user.locale;
      req.t = translator(req.locale);
    }
  };
}
