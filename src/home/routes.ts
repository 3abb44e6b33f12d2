import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { attentionSections } from '../attention/items.js';
import { writeHealth } from '../db/sqlite-driver.js';
import { invitationsFor } from '../organisations/invitations.js';
import { myOrganisations } from '../organisations/queries.js';
import { countUsers } from '../users/queries.js';

/** Items of each kind of "needs attention" listed on the home page; the rest are one link away. */
const HOME_PER_KIND = 10;

export async function homeRoutes(app: FastifyInstance) {
  app.get('/healthz', { config: { access: { kind: 'public' } } }, async (_req, reply) => {
    try {
      await sql`select 1`.execute(app.db);
      // A database that answers reads but takes no writes (read-only file, full disk) is not healthy either.
      const writes = writeHealth(app.db);
      if (writes !== 'ok') return reply.code(503).send({ status: 'unavailable', database: writes });
      return { status: 'ok' };
    } catch {
      return reply.code(503).send({ status: 'unavailable' });
    }
  });

  app.get('/', { config: { access: { kind: 'public' } } }, async (req, reply) => {
    if (!req.user) {
      return reply.redirect((await countUsers(app.db)) === 0 ? '/setup' : '/login', 303);
    }
    if (req.user.mustChangePassword) return reply.redirect('/account/password', 303);
    if (req.user.mustEnrolSecondFactor) return reply.redirect('/account/second-factor', 303);
    // Needs attention, at any number of organisations: the most urgent items of each kind, with each kind's exact
    // count and a link to the rest (issue 20).
    const [orgs, sections, invitations] = await Promise.all([
      myOrganisations(app.db, req.user.id),
      attentionSections(app.db, { kind: 'user', userId: req.user.id }, req.t, { limit: HOME_PER_KIND }),
      invitationsFor(app.db, req.user.email),
    ]);
    return reply.page('home/dashboard.eta', { orgs, sections, invitations, title: req.t('dashboard.title') });
  });
}
