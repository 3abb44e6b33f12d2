import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { keptSections } from '../attention/kept.js';
import type { Db } from '../db/connect.js';
import { TrailKept, trailNow } from '../db/trail-cache.js';
import { writeHealth } from '../db/sqlite-driver.js';
import { invitationsFor } from '../organisations/invitations.js';
import { myOrganisations } from '../organisations/queries.js';
import { countUsers } from '../users/queries.js';

/** Items of each kind of "needs attention" listed on the home page; the rest are one link away. */
const HOME_PER_KIND = 10;
/**
 * Organisations listed on the home page, by name; a consultant's others are in the consultant's table (/clients), one
 * link away (2,000 rows here made the page ten times its size and its rendering most of its cost).
 */
const HOME_ORGS = 50;

/**
 * The user's organisations, kept until the trail records a write of one of them or of the user's memberships
 * (src/db/trail-cache.ts): a consultant with 2,000 clients would read 2,000 rows on every visit.
 */
type MyOrgs = Awaited<ReturnType<typeof myOrganisations>>;
const keptOrgs = new WeakMap<Db, TrailKept<number, MyOrgs>>();
async function myOrgs(db: Db, userId: number): Promise<MyOrgs> {
  let cache = keptOrgs.get(db);
  if (!cache) {
    cache = new TrailKept(5 * 60_000, 1_000);
    keptOrgs.set(db, cache);
  }
  const asOf = await trailNow(db);
  const hit = cache.get(db, userId);
  if (hit) return hit;
  const orgs = await myOrganisations(db, userId);
  cache.set(userId, orgs, { userId, orgIds: new Set(orgs.map((o) => o.id)) }, asOf);
  return orgs;
}

/** The HTML of the organisations and needs-attention part of the home page, per sections, organisations and language. */
const fragments = new WeakMap<object, WeakMap<object, Map<string, string>>>();

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
      myOrgs(app.db, req.user.id),
      keptSections(app.db, req.user.id, req.t, req.locale, HOME_PER_KIND),
      invitationsFor(app.db, req.user.email),
    ]);
    // The same sections and organisations (kept, the same objects while nothing changed) give the same HTML.
    let bySections = fragments.get(sections);
    if (!bySections) {
      bySections = new WeakMap();
      fragments.set(sections, bySections);
    }
    let html = bySections.get(orgs);
    if (!html) {
      html = new Map();
      bySections.set(orgs, html);
    }
    const kept = html;
    return reply.page('home/dashboard.eta', {
      mineHtml: kept.get(req.locale),
      keepMine: (mine: string) => {
        kept.set(req.locale, mine);
        return mine;
      },
      orgs,
      orgsShown: HOME_ORGS,
      sections,
      invitations,
      title: req.t('dashboard.title'),
    });
  });
}
