import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { clausesOf } from '../checklists/queries.js';
import { checklistPages, nextOpen, onPage, pageOf, subClauseOf, within } from '../domain/checklist-pages.js';
import { can } from '../domain/permissions.js';
import { FINDING_VERDICTS, NONCONFORMING, VERDICTS } from '../domain/verdicts.js';
import { evidenceForAudit } from '../evidence/queries.js';
import type { OrgAccess } from '../web/context.js';
import { HttpError } from '../web/errors.js';
import { wantsJson } from '../web/error-handler.js';
import { parseLocalised } from '../web/validation.js';
import { saveResponse } from './commands.js';
import {
  assignments,
  auditProcesses,
  auditReadiness,
  auditResponses,
  auditTeam,
  baselineAnswers,
  getAudit,
  type ResponseRow,
} from './queries.js';
import { AuditParams, ChecklistQuery, NextQuery, ResponseInput, ResponseParams, sampleFromForm } from './schemas.js';

// The checklist as an auditor works through it: one clause (or sub-clause of clause 8) per page with the clause
// navigator and its counters, save-and-next across pages, drafts kept by static/app.js, and a conflict shown beside
// the auditor's own answer with the ways out (keep mine, take theirs, merge the notes).

const org = (req: FastifyRequest) => req.org as OrgAccess;
const actor = (req: FastifyRequest) => ({ orgId: org(req).id, userId: req.user!.id });
const onAudit = (permission: 'org.read' | 'audit.respond') =>
  ({ access: { kind: 'org', permission, resource: 'audit' } }) as const;
type Query = z.infer<typeof ChecklistQuery>;

/** What was typed into an item's form, as it is shown again after a failed save. */
export interface Submitted {
  verdict: string;
  notes: string;
  samples: string;
  interviewees: string;
  level: string;
  evidenceIds: string[];
  /** The version the form was opened at. */
  version: string;
}

export interface Theirs {
  verdict: string;
  notes: string;
  samples: string;
  interviewees: string;
  level: number | null;
  version: number;
  answeredBy: string | null;
  answeredAt: string | null;
  evidence: { id: number; title: string }[];
}

interface Trouble {
  requirementId: string;
  mine: Submitted;
  /** A save refused because of invalid input (422): the message, and the fields at fault. */
  invalid?: { message: string; fields: Record<string, string[]> };
  /** A save refused because someone else saved first (409): their answer. */
  theirs?: Theirs;
  message?: string;
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');
function submittedOf(body: unknown): Submitted {
  const b = (body ?? {}) as Record<string, unknown>;
  const ids = Array.isArray(b.evidenceIds) ? b.evidenceIds : b.evidenceIds === undefined ? [] : [b.evidenceIds];
  return {
    verdict: str(b.verdict),
    notes: str(b.notes),
    samples: str(b.samples),
    interviewees: str(b.interviewees),
    level: str(b.level),
    evidenceIds: ids.map(String),
    version: str(b.version),
  };
}

/** Their notes and mine in one text: one of them alone when it already holds the other. */
export function mergeNotes(theirs: string, mine: string): string {
  const a = theirs.trim();
  const b = mine.trim();
  if (!a || b.includes(a)) return b;
  if (!b || a.includes(b)) return a;
  return `${a}\n\n${b}`;
}

function matchesFilter(r: ResponseRow, filter: string, me: number, myClauses: string[]): boolean {
  switch (filter) {
    case 'open':
      return r.verdict === 'not_assessed';
    case 'nonconforming':
      return (NONCONFORMING as readonly string[]).includes(r.verdict);
    case 'mine':
      return r.answered_by === me || myClauses.some((c) => within(r.clause_id, c));
    default:
      return true;
  }
}

/** The query string of a checklist page (filter, page, process, auditor), '' when all are defaults. */
export function checklistQuery(q: Partial<Query>): string {
  const p = new URLSearchParams();
  if (q.filter && q.filter !== 'all') p.set('filter', q.filter);
  if (q.clause) p.set('clause', q.clause);
  if (q.process) p.set('process', String(q.process));
  if (q.auditor) p.set('auditor', String(q.auditor));
  if (q.item) p.set('item', q.item);
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** The page settings a form carries back (hidden fields), read leniently: a bad value is dropped. */
function returnedQuery(body: unknown): Partial<Query> {
  const r = ChecklistQuery.safeParse(body ?? {});
  return r.success ? r.data : {};
}

export async function checklistRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { db } = app;
  // A checklist version's clauses never change once loaded (see ./items.ts): read once per version.
  const titlesOf = new Map<number, Promise<Map<string, { title_zh: string; title_en: string }>>>();
  const clauseTitles = (versionId: number) => {
    let titles = titlesOf.get(versionId);
    if (!titles) {
      titles = clausesOf(db, versionId).then((cs) => new Map(cs.map((c) => [c.id, c])));
      titles.then(
        (m) => {
          if (m.size === 0) titlesOf.delete(versionId);
        },
        () => titlesOf.delete(versionId),
      );
      titlesOf.set(versionId, titles);
    }
    return titles;
  };

  const checklistPage = async (req: FastifyRequest, reply: FastifyReply, q: Query, trouble?: Trouble) => {
    const a = await getAudit(db, org(req).id, (req.params as { auditId: number }).auditId);
    const [responses, baseline, titles, assigned, evidence, processes, team] = await Promise.all([
      auditResponses(db, a),
      baselineAnswers(db, a),
      clauseTitles(a.checklist_version_id),
      assignments(db, a.id),
      evidenceForAudit(db, a.id),
      auditProcesses(db, a.organization_id),
      auditTeam(db, a.id),
    ]);
    const me = req.user!.id;
    const pages = checklistPages(responses);
    const troubleAt = trouble ? responses.find((r) => r.requirement_id === trouble.requirementId) : undefined;
    // No page asked for: the one where work remains (or where the failed save is), else the first.
    const itemAt = q.item ? responses.find((r) => r.requirement_id === q.item) : undefined;
    const key =
      q.clause ??
      (troubleAt && pageOf(pages, troubleAt.clause_id)) ??
      (itemAt && pageOf(pages, itemAt.clause_id)) ??
      pageOf(pages, nextOpen(responses, undefined)?.clause_id ?? '') ??
      pages[0]?.key ??
      'all';
    const myClauses = assigned.filter((x) => x.auditor_id === me && x.clause_id).map((x) => x.clause_id!);
    const processClause = q.process ? processes.find((p) => p.id === q.process)?.clause_id : undefined;
    const auditorClauses = q.auditor
      ? assigned.filter((x) => x.auditor_id === q.auditor && x.clause_id).map((x) => x.clause_id!)
      : [];
    const visible = onPage(responses, key).filter(
      (r) =>
        matchesFilter(r, q.filter, me, myClauses) &&
        (!q.process || (processClause != null && within(r.clause_id, processClause))) &&
        (!q.auditor || auditorClauses.some((c) => within(r.clause_id, c))),
    );
    // Sub-clause headings: consecutive items under the same clause one level below the page's.
    const sections: { clause: string; items: ResponseRow[] }[] = [];
    for (const r of visible) {
      const c = subClauseOf(r.clause_id, key);
      const last = sections[sections.length - 1];
      if (last && last.clause === c) last.items.push(r);
      else sections.push({ clause: c, items: [r] });
    }
    const at = pages.findIndex((p) => p.key === key);
    const overall = auditReadiness(a, responses);
    return reply.page('audits/checklist.eta', {
      title: `${a.title} — ${req.t('nav.checklist')}`,
      a,
      pages,
      page: { key, at, prev: pages[at - 1]?.key, next: pages[at + 1]?.key },
      sections,
      evidence,
      baseline,
      titles,
      q: { ...q, clause: key },
      query: (over: Partial<Query>) => checklistQuery({ ...q, item: undefined, clause: key, ...over }),
      processes: processes.filter((p) => p.clause_id),
      team,
      trouble,
      merged: trouble?.theirs ? mergeNotes(trouble.theirs.notes, trouble.mine.notes) : '',
      overall,
      verdicts: VERDICTS,
      findingVerdicts: FINDING_VERDICTS,
      editable: ['planned', 'in_progress', 'reporting'].includes(a.status) && can(org(req).role, 'audit.respond'),
      selfAssessment: a.type === 'self_assessment',
      total: responses.length,
      shown: visible.length,
    });
  };

  app.get(
    '/audits/:auditId/checklist',
    { schema: { params: AuditParams, querystring: ChecklistQuery }, config: onAudit('org.read') },
    async (req, reply) => checklistPage(req, reply, req.query),
  );

  /** Save-and-next: the page and anchor of the next item still to assess after `after` (crossing pages). */
  const nextUrl = async (req: FastifyRequest, auditId: number, after: string | undefined, q: Partial<Query>) => {
    const a = await getAudit(db, org(req).id, auditId);
    const responses = await auditResponses(db, a);
    const next = nextOpen(responses, after);
    const pages = checklistPages(responses);
    if (!next) return `/audits/${a.id}/checklist${checklistQuery({ ...q, clause: undefined })}`;
    // The page the auditor is on stays when it holds the next item ("all" or a whole clause 8).
    const keep = q.clause && (q.clause === 'all' || within(next.clause_id, q.clause));
    const clause = keep ? q.clause : pageOf(pages, next.clause_id);
    return `/audits/${a.id}/checklist${checklistQuery({ ...q, filter: q.filter === 'open' ? 'open' : 'all', clause })}#req-${next.requirement_id}`;
  };

  app.get(
    '/audits/:auditId/checklist/next',
    { schema: { params: AuditParams, querystring: NextQuery }, config: onAudit('org.read') },
    async (req, reply) => {
      const { after, ...q } = req.query;
      return reply.redirect(await nextUrl(req, req.params.auditId, after, q), 303);
    },
  );

  app.post(
    '/audits/:auditId/responses/:requirementId',
    { schema: { params: ResponseParams }, config: onAudit('audit.respond') },
    async (req, reply) => {
      const json = wantsJson(req);
      const q = returnedQuery(req.body);
      // Back to the item: on the page the form came from, or else on the page that holds it.
      const back = `/audits/${req.params.auditId}/checklist${checklistQuery(q.clause ? q : { ...q, item: req.params.requirementId })}#req-${req.params.requirementId}`;
      const page = { filter: q.filter ?? 'all', clause: q.clause, process: q.process, auditor: q.auditor } as Query;
      const r = parseLocalised(ResponseInput, sampleFromForm(req.body ?? {}), req.locale, req.t);
      if (!r.ok) {
        if (json) return reply.code(422).send({ error: 'validation', message: r.message, fields: r.fieldErrors });
        // Without JavaScript: the page again, with what was typed and the fields at fault.
        return checklistPage(req, reply.code(422), page, {
          requirementId: req.params.requirementId,
          mine: submittedOf(req.body),
          invalid: {
            message: req.t('audits.errors.invalidSave', { id: req.params.requirementId, message: r.message }),
            fields: r.fieldErrors,
          },
        });
      }
      const audit = await getAudit(db, org(req).id, req.params.auditId);
      try {
        const saved = await saveResponse(db, actor(req), audit, req.params.requirementId, r.data);
        if (json)
          return {
            requirementId: saved.requirementId,
            verdict: saved.verdict,
            version: saved.version,
            answeredAt: saved.answered_at,
          };
        const andNext = (req.body as Record<string, unknown> | undefined)?.next === '1';
        return reply
          .flash({ kind: 'ok', key: 'audits.savedItem', params: { id: req.params.requirementId } })
          .redirect(andNext ? await nextUrl(req, audit.id, req.params.requirementId, q) : back, 303);
      } catch (e) {
        if (!(e instanceof HttpError) || e.statusCode !== 409 || json) throw e;
        const theirs = (e.details as { current?: Theirs } | undefined)?.current;
        if (!theirs) throw e;
        // Without JavaScript: the page again with their answer beside mine and the ways out.
        return checklistPage(req, reply.code(409), page, {
          requirementId: req.params.requirementId,
          mine: submittedOf(req.body),
          theirs,
          message: req.t(e.key, e.params),
        });
      }
    },
  );
}
