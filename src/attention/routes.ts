import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { OrgParams } from '../organisations/schemas.js';
import type { OrgAccess } from '../web/context.js';
import { attentionDto, attentionItems } from './items.js';

const tags = ['attention'];
const AttentionOut = z.object({
  kind: z.string(),
  organizationId: z.number().int(),
  organizationName: z.string(),
  title: z.string(),
  due: z.string().nullable().describe('YYYY-MM-DD'),
  overdue: z.boolean(),
  url: z.string().describe('The page to act on it, relative to the instance'),
  note: z.string(),
  progress: z.number().optional().describe('Audits: percent of the items in scope examined'),
  blockers: z
    .array(z.object({ reason: z.enum(['unassessed', 'ncWithoutFinding']), count: z.number().int() }))
    .optional()
    .describe('Audits: what blocks the issue of the report'),
});
const org = (req: FastifyRequest): OrgAccess => req.org as OrgAccess;

/** "Needs attention" (需关注): a person's list across their organisations, and an organisation's own list. */
export async function attentionRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { db } = app;

  app.get(
    '/api/v1/me/attention',
    {
      schema: {
        tags,
        summary:
          "What needs the caller's attention across their organisations, overdue first: nonconformities and actions " +
          'they own, effectiveness reviews, audits they are on (progress, what blocks the issue), upcoming audits, ' +
          'management reviews and evidence past its review date where their role acts on them',
        response: { 200: z.array(AttentionOut) },
      },
      config: { access: { kind: 'user' } },
    },
    async (req) => (await attentionItems(db, { kind: 'user', userId: req.user!.id }, req.t)).map(attentionDto),
  );

  app.get(
    '/api/v1/organizations/:orgId/attention',
    {
      schema: {
        tags,
        summary: 'What needs attention in the organisation, overdue first',
        params: OrgParams,
        response: { 200: z.array(AttentionOut) },
      },
      config: { access: { kind: 'org', permission: 'org.read' } },
    },
    async (req) => (await attentionItems(db, { kind: 'org', orgId: org(req).id }, req.t)).map(attentionDto),
  );

  app.get('/attention', { config: { access: { kind: 'user' } } }, async (req, reply) => {
    const items = await attentionItems(db, { kind: 'user', userId: req.user!.id }, req.t);
    return reply.page('attention/page.eta', { title: req.t('attention.title'), items });
  });

  app.get(
    '/orgs/:orgId/attention',
    { config: { access: { kind: 'org', permission: 'org.read' } } },
    async (req, reply) => {
      const items = await attentionItems(db, { kind: 'org', orgId: org(req).id }, req.t);
      return reply.page('attention/page.eta', { title: req.t('attention.title'), items, orgPage: org(req) });
    },
  );
}
