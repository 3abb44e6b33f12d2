import type { FastifyRequest } from 'fastify';
import { tokenUser } from '../auth/queries.js';
import type { Db } from '../db/connect.js';
import { toUser } from '../web/access.js';
import { translator } from '../web/i18n.js';

/**
 * A calendar app subscribing to the .ics feed cannot send an Authorization header, so that one route also accepts a
 * calendar token (scope 'calendar', made on the reports page) as `?token=`; an API token is refused there, and a
 * calendar token is refused everywhere else. This onRequest hook of the route identifies the caller by it; the usual
 * access check (membership, permission) then runs unchanged. A wrong token answers 401 even when a session cookie is present,
 * and so does a calendar token of another organisation (or one made before tokens named theirs).
 */
export function tokenFromQuery(db: Db) {
  return async (req: FastifyRequest) => {
    const token = (req.query as { token?: unknown } | undefined)?.token;
    if (typeof token !== 'string' || !token || req.headers.authorization) return;
    const found = await tokenUser(db, token, 'calendar');
    // It opens the feed of the organisation it was made for, nothing else (a link made for A once opened B's and C's).
    const orgId = Number((req.params as { orgId?: unknown } | undefined)?.orgId);
    const row = found && found.tokenOrganizationId === orgId ? found : undefined;
    req.user = row ? toUser(row) : null;
    req.authVia = row ? 'bearer' : null;
    req.sessionId = null;
    if (req.user?.locale) {
      req.locale = req.user.locale;
      req.t = translator(req.locale);
    }
  };
}
