import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { OrgParams } from '../organisations/schemas.js';
import type { OrgAccess } from '../web/context.js';
import { readerZone } from '../web/time.js';
import { trailCsv } from './csv.js';
import { withRecordNames } from './names.js';
import { orgTrail, withChanges } from './queries.js';

const org = (req: FastifyRequest) => req.org as OrgAccess;
const blankToUndefined = <T extends z.ZodType>(s: T) => z.preprocess((v) => (v === '' ? undefined : v), s.optional());
const TrailQuery = z.object({
  entity: blankToUndefined(z.string().regex(/^[a-z_]{1,40}$/)),
  from: blankToUndefined(z.iso.date()),
  to: blankToUndefined(z.iso.date()),
});

/** The append-only audit trail of an organisation: who changed what and when (7.5.3), viewable and exportable. */
export async function trailRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { db } = app;
  const read = { access: { kind: 'org', permission: 'org.read' } } as const;
  const exportable = { access: { kind: 'org', permission: 'report.export' } } as const;

  app.get(
    '/orgs/:orgId/trail',
    { schema: { params: OrgParams, querystring: TrailQuery }, config: read },
    async (req, reply) => {
      const rows = await orgTrail(db, org(req).id, req.query);
      const entities = await db
        .selectFrom('audit_trail')
        .select('entity')
        .distinct()
        .where('organization_id', '=', org(req).id)
        .execute();
      return reply.page('trail/list.eta', {
        title: req.t('trail.title'),
        rows: await withRecordNames(db, org(req).id, withChanges(rows)),
        f: req.query,
        entities: entities.map((e) => e.entity).sort(),
      });
    },
  );

  app.get(
    '/orgs/:orgId/trail.csv',
    { schema: { params: OrgParams, querystring: TrailQuery }, config: exportable },
    async (req, reply) => {
      const rows = await orgTrail(db, org(req).id, { ...req.query, limit: 100_000 });
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${org(req).code}-audit-trail.csv"`)
        .send(trailCsv(await withRecordNames(db, org(req).id, rows), { t: req.t, zone: readerZone(req) }));
    },
  );

  app.get(
    '/api/v1/organizations/:orgId/trail',
    {
      schema: {
        tags: ['trail'],
        params: OrgParams,
        querystring: TrailQuery,
        summary: 'The audit trail: who changed what, when',
        response: {
          200: z.array(
            z.object({
              id: z.number().int(),
              at: z.string().describe('ISO 8601 date-time (UTC)'),
              user: z.string().nullable().describe("The user's e-mail"),
              action: z.string(),
              entity: z.string(),
              entityId: z.union([z.number(), z.string()]).nullable(),
              before: z.unknown().describe('The recorded fields before the change (null on create)'),
              after: z.unknown().describe('The recorded fields after the change (null on delete)'),
            }),
          ),
        },
      },
      config: read,
    },
    async (req) =>
      (await orgTrail(db, org(req).id, req.query)).map((r) => ({
        id: r.id,
        at: r.at,
        user: r.email,
        action: r.action,
        entity: r.entity,
        entityId: r.entity_id,
        before: r.before_json ? JSON.parse(r.before_json) : null,
        after: r.after_json ? JSON.parse(r.after_json) : null,
      })),
  );
}
