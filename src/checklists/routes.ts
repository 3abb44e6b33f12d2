import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { notFound } from '../web/errors.js';
import {
  catalogueOf,
  clausesOf,
  currentVersion,
  listStandards,
  requirementDto,
  requirementsOf,
  searchRequirements,
} from './queries.js';

const CodeParams = z.object({ code: z.string().regex(/^[a-z0-9-]+$/) });
const ClauseParams = CodeParams.extend({ clauseId: z.string().regex(/^\d+(\.\d+)*$/) });
const SearchQuery = z.object({ q: z.string().max(200).default('') });
const tags = ['standards'];

// ---- Answers (the serializer checks them; the OpenAPI document shows them) ----
const Bi = z.object({ zh: z.string(), en: z.string() });
const StandardOut = z.object({ code: z.string(), edition: z.string(), title: Bi, versionId: z.number().int() });
const RequirementOut = z.object({
  id: z.string(),
  clause: z.string(),
  text: Bi,
  translatorNote: Bi.optional().describe("The translator's note on the Chinese text, where there is one"),
  documentedInformation: z.union([
    z.object({ type: z.literal('none') }),
    z.object({ type: z.string(), what: Bi, catalogue: z.string().nullable() }),
  ]),
  evidence: z.array(Bi),
  questions: z.array(Bi),
  references: z.array(z.string()),
  annexSL: z.boolean(),
});
const StandardDetailOut = z.object({
  code: z.string(),
  title: Bi,
  edition: z.string(),
  versionId: z.number().int(),
  exclusionRule: Bi,
  clauses: z.array(z.object({ id: z.string(), parent: z.string().nullable(), title: Bi, titleSource: z.string() })),
  requirements: z.array(RequirementOut),
  documentedInformationCatalogue: z.array(z.object({ key: z.string(), title: Bi, requirements: z.array(z.string()) })),
});

export async function checklistRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { db } = app;

  const version = async (code: string) => {
    const v = await currentVersion(db, code);
    if (!v) throw notFound();
    return v;
  };

  app.get('/standards', async (req, reply) =>
    reply.page('standards/list.eta', { title: req.t('standards.title'), standards: await listStandards(db) }),
  );

  app.get('/standards/:code', { schema: { params: CodeParams, querystring: SearchQuery } }, async (req, reply) => {
    const v = await version(req.params.code);
    const [clauses, requirements] = await Promise.all([clausesOf(db, v.id), requirementsOf(db, v.id)]);
    const counts = new Map<string, number>();
    for (const r of requirements) for (const c of ancestors(r.clause_id)) counts.set(c, (counts.get(c) ?? 0) + 1);
    const results = req.query.q ? await searchRequirements(db, v.id, req.query.q) : null;
    return reply.page('standards/tree.eta', {
      title: req.t('standards.title'),
      v,
      clauses,
      counts,
      total: requirements.length,
      q: req.query.q,
      results,
    });
  });

  app.get('/standards/:code/clauses/:clauseId', { schema: { params: ClauseParams } }, async (req, reply) => {
    const v = await version(req.params.code);
    const clauses = await clausesOf(db, v.id);
    const clause = clauses.find((c) => c.id === req.params.clauseId);
    if (!clause) throw notFound();
    const items = (await requirementsOf(db, v.id, clause.id)).map(requirementDto);
    const titles = new Map(clauses.map((c) => [c.id, c]));
    return reply.page('standards/clause.eta', { title: `${clause.id} ${clause.title_zh}`, v, clause, items, titles });
  });

  app.get('/standards/:code/documented-information', { schema: { params: CodeParams } }, async (req, reply) => {
    const v = await version(req.params.code);
    const [entries, requirements] = await Promise.all([catalogueOf(db, v.id), requirementsOf(db, v.id)]);
    const required = requirements.filter((r) => r.doc_type !== 'none').map(requirementDto);
    return reply.page('standards/documented-information.eta', {
      title: req.t('standards.docInfo'),
      v,
      entries,
      required,
    });
  });

  // ---- API ----
  app.get(
    '/api/v1/standards',
    { schema: { tags, summary: 'Standards available as checklists', response: { 200: z.array(StandardOut) } } },
    async () =>
      (await listStandards(db)).map((v) => ({
        code: v.standard_code,
        edition: v.edition,
        title: { zh: v.title_zh, en: v.title_en },
        versionId: v.id,
      })),
  );

  app.get(
    '/api/v1/standards/:code',
    {
      schema: {
        tags,
        params: CodeParams,
        summary: 'Clause tree and checklist items of a standard',
        response: { 200: StandardDetailOut },
      },
    },
    async (req) => {
      const v = await version(req.params.code);
      const [clauses, requirements, catalogue] = await Promise.all([
        clausesOf(db, v.id),
        requirementsOf(db, v.id),
        catalogueOf(db, v.id),
      ]);
      return {
        code: v.standard_code,
        title: { zh: v.title_zh, en: v.title_en },
        edition: v.edition,
        versionId: v.id,
        exclusionRule: { zh: v.exclusion_zh, en: v.exclusion_en },
        clauses: clauses.map((c) => ({
          id: c.id,
          parent: c.parent_id,
          title: { zh: c.title_zh, en: c.title_en },
          titleSource: c.title_source,
        })),
        requirements: requirements.map(requirementDto),
        documentedInformationCatalogue: catalogue.map((e) => ({
          key: e.key,
          title: { zh: e.title_zh, en: e.title_en },
          requirements: requirements.filter((r) => r.doc_catalogue === e.key).map((r) => r.id),
        })),
      };
    },
  );

  app.get(
    '/api/v1/standards/:code/search',
    {
      schema: {
        tags,
        params: CodeParams,
        querystring: SearchQuery,
        summary: 'Search the checklist items by text or id',
        response: { 200: z.array(RequirementOut) },
      },
    },
    async (req) => {
      const v = await version(req.params.code);
      return (await searchRequirements(db, v.id, req.query.q)).map(requirementDto);
    },
  );
}

/** "8.5.1.2" → ["8", "8.5", "8.5.1", "8.5.1.2"] */
export function ancestors(clauseId: string): string[] {
  const parts = clauseId.split('.');
  return parts.map((_, i) => parts.slice(0, i + 1).join('.'));
}
