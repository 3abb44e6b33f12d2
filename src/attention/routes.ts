import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { OrgParams } from '../organisations/schemas.js';
import type { OrgAccess } from '../web/context.js';
import { ATTENTION_KINDS, byUrgency } from '../domain/attention.js';
import { attentionDto, attentionItems, attentionSections } from './items.js';
import { keptSections } from './kept.js';
import type { AttentionScope } from './queries.js';

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

/** Added to the lists (issue 20): one kind only, and at most `limit` items of each kind, most urgent first. */
const ListQuery = z.object({
  kind: z.enum(ATTENTION_KINDS).optional().describe('Only items of this kind'),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .optional()
    .describe('At most this many items of each kind, the most urgent; every item when absent'),
});
const SummaryQuery = z.object({
  limit: z.coerce.number().int().min(0).max(100).default(20).describe('Items listed per kind (the count is exact)'),
});
const SectionOut = z.object({
  kind: z.enum(ATTENTION_KINDS),
  count: z.number().int().describe('How many items of this kind there are in all'),
  items: z.array(AttentionOut).describe('The most urgent of them, overdue first'),
});

/** A list: every item (the original answer), or the most urgent `limit` of each kind, of one kind or all. */
async function list(
  db: FastifyInstance['db'],
  scope: AttentionScope,
  t: FastifyRequest['t'],
  q: z.output<typeof ListQuery>,
) {
  if (q.kind === undefined && q.limit === undefined) return attentionItems(db, scope, t);
  const sections = await attentionSections(db, scope, t, {
    limit: q.limit,
    ...(q.kind && { kinds: [q.kind] }),
  });
  return sections.flatMap((s) => s.items).sort(byUrgency);
}

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
        querystring: ListQuery,
        response: { 200: z.array(AttentionOut) },
      },
      config: { access: { kind: 'user' } },
    },
    async (req) => (await list(db, { kind: 'user', userId: req.user!.id }, req.t, req.query)).map(attentionDto),
  );

  app.get(
    '/api/v1/me/attention/summary',
    {
      schema: {
        tags,
        summary:
          "What needs the caller's attention, by kind: the exact count of each kind and its most urgent items " +
          '(overdue first, then by due date); stays fast whatever the number of organisations',
        querystring: SummaryQuery,
        response: { 200: z.array(SectionOut) },
      },
      config: { access: { kind: 'user' } },
    },
    async (req) =>
      (await keptSections(db, req.user!.id, req.t, req.locale, req.query.limit)).map((s) => ({
        kind: s.kind,
        count: s.count,
        items: s.items.map(attentionDto),
      })),
  );

  app.get(
    '/api/v1/organizations/:orgId/attention',
    {
      schema: {
        tags,
        summary: 'What needs attention in the organisation, overdue first',
        params: OrgParams,
        querystring: ListQuery,
        response: { 200: z.array(AttentionOut) },
      },
      config: { access: { kind: 'org', permission: 'org.read' } },
    },
    async (req) => (await list(db, { kind: 'org', orgId: org(req).id }, req.t, req.query)).map(attentionDto),
  );

  // The full list: one kind when ?kind= names it (the "… more" links of the home page), else everything.
  app.get(
    '/attention',
    {
      schema: { querystring: z.object({ kind: z.enum(ATTENTION_KINDS).optional().catch(undefined) }) },
      config: { access: { kind: 'user' } },
    },
    async (req, reply) => {
      const scope = { kind: 'user', userId: req.user!.id } as const;
      const kind = req.query.kind;
      const items = kind
        ? (await attentionSections(db, scope, req.t, { kinds: [kind] }))[0]!.items
        : await attentionItems(db, scope, req.t);
      return reply.page('attention/page.eta', { title: req.t('attention.title'), items, kind });
    },
  );

  app.get(
    '/orgs/:orgId/attention',
    { config: { access: { kind: 'org', permission: 'org.read' } } },
    async (req, reply) => {
      const items = await attentionItems(db, { kind: 'org', orgId: org(req).id }, req.t);
      return reply.page('attention/page.eta', { title: req.t('attention.title'), items, orgPage: org(req) });
    },
  );
}
