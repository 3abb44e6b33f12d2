import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { OrgAccess } from '../web/context.js';
import { OrgParams } from '../organisations/schemas.js';

/** The organisation's reports page: every download in one place, with the calendar subscription address. */
export async function reportPages(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { db } = app;
  app.get('/orgs/:orgId/reports', { schema: { params: OrgParams }, config: { access: { kind: 'org', permission: 'report.export' } } }, async (req, reply) => {
    const o = req.org as OrgAccess;
    const [audits, reviews, programmes] = await Promise.all([
      db.selectFrom('audit').select(['id', 'title', 'type', 'status', 'revision', 'planned_start']).where('organization_id', '=', o.id)
        .orderBy('id', 'desc').execute(),
      db.selectFrom('management_review').select(['id', 'ref', 'title', 'held_on']).where('organization_id', '=', o.id)
        .orderBy('held_on', 'desc').orderBy('id', 'desc').execute(),
      db.selectFrom('audit_programme').select(['id', 'title', 'period_start', 'period_end']).where('organization_id', '=', o.id)
        .orderBy('period_start', 'desc').execute(),
    ]);
    return reply.page('reports/index.eta', { title: req.t('reports.page.title'), audits, reviews, programmes, origin: origin(req) });
  });
}

/** The address a calendar app should subscribe to, as this request reached the server. */
const origin = (req: FastifyRequest) => `${req.protocol}://${req.host}`;
