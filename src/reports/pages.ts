import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { createApiToken } from '../auth/queries.js';
import { OrgParams } from '../organisations/schemas.js';
import type { OrgAccess } from '../web/context.js';

/** The organisation's reports page: every download in one place, with the calendar subscription address. */
export async function reportPages(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { db } = app;
  const onOrg = { access: { kind: 'org', permission: 'report.export' } } as const;
  const reportsPage = async (req: FastifyRequest, reply: FastifyReply, calendarUrl?: string) => {
    const o = req.org as OrgAccess;
    const [audits, reviews, programmes] = await Promise.all([
      db
        .selectFrom('audit')
        .select(['id', 'title', 'type', 'status', 'revision', 'planned_start'])
        .where('organization_id', '=', o.id)
        .orderBy('id', 'desc')
        .execute(),
      db
        .selectFrom('management_review')
        .select(['id', 'ref', 'title', 'held_on'])
        .where('organization_id', '=', o.id)
        .orderBy('held_on', 'desc')
        .orderBy('id', 'desc')
        .execute(),
      db
        .selectFrom('audit_programme')
        .select(['id', 'title', 'period_start', 'period_end'])
        .where('organization_id', '=', o.id)
        .orderBy('period_start', 'desc')
        .execute(),
    ]);
    return reply.page('reports/index.eta', {
      title: req.t('reports.page.title'),
      audits,
      reviews,
      programmes,
      origin: app.config.publicUrl,
      calendarUrl,
    });
  };
  app.get('/orgs/:orgId/reports', { schema: { params: OrgParams }, config: onOrg }, async (req, reply) =>
    reportsPage(req, reply),
  );

  // A calendar token of the signed-in user, opening this feed only; its address is shown once (only the hash is kept)
  // and it is listed, and revocable, with the user's other tokens under Account.
  app.post(
    '/orgs/:orgId/reports/calendar-link',
    { schema: { params: OrgParams }, config: onOrg },
    async (req, reply) => {
      const o = req.org as OrgAccess;
      const token = await createApiToken(
        db,
        req.user!.id,
        req.t('reports.page.calendarTokenName', { code: o.code }),
        'calendar',
        o.id,
      );
      // PUBLIC_URL, never the request's Host header: the link carries a credential.
      const link = `${app.config.publicUrl}/api/v1/organizations/${o.id}/programme.ics?token=${token}`;
      return reportsPage(req, reply, link);
    },
  );
}
