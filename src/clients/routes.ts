import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ClientsWorkbookModel } from '../../reports/clients/xlsx.js';
import { nowIso } from '../db/time.js';
import { CLIENT_PAGE_SIZE, type ClientRow, filterClients, pageOf, sortClients } from '../domain/clients.js';
import { sendFile } from '../reports/http.js';
import type { RenderPool } from '../reports/render-pool.js';
import { translator, type Translate } from '../web/i18n.js';
import { clientRows } from './queries.js';
import { ClientsFileQuery, ClientsOut, ClientsQuery, type ClientsQuery as Query } from './schemas.js';

const tags = ['clients'];
const access = { access: { kind: 'user' } } as const;

/**
 * The filtered, sorted orders of a user's rows, kept beside the rows they were made from: clientRows returns the same
 * array while none of its rows changed, and a new one (a new key here) when any did. At 2,000 clients, filtering and
 * sorting is most of a warm request; paging a kept order is a slice.
 */
const orders = new WeakMap<readonly ClientRow[], Map<string, readonly ClientRow[]>>();

/**
 * The HTML of the table and pager of a page, kept beside the order it shows (a new order, a new key) per page and
 * language: the same rows give the same cells, and rendering 50 rows of 11 cells was most of a warm page's CPU.
 */
const fragments = new WeakMap<readonly ClientRow[], Map<string, string>>();

async function table(req: FastifyRequest, q: Omit<Query, 'page'>): Promise<readonly ClientRow[]> {
  const rows = await clientRows(req.server.db, req.user!.id);
  let kept = orders.get(rows);
  if (!kept) {
    kept = new Map();
    orders.set(rows, kept);
  }
  const key = JSON.stringify([q.q ?? '', q.overdue ?? false, q.majors ?? false, q.ready ?? false, q.sort, q.dir]);
  let sorted = kept.get(key);
  if (!sorted) {
    sorted = sortClients(
      filterClients(rows, { q: q.q, hasOverdue: q.overdue, hasOpenMajors: q.majors, readyToApply: q.ready }),
      q.sort,
      q.dir,
    );
    if (kept.size >= 100) kept.clear();
    kept.set(key, sorted);
  }
  return sorted;
}

/** Certification readiness in a few words: ready (since when), the date it can apply from, or what is missing. */
export function certificationText(r: ClientRow, t: Translate): string {
  const c = r.certification;
  if (c.ready) return t('clients.cert.ready', { date: c.canApplyFrom ?? '' });
  if (c.canApplyFrom) return t('clients.cert.from', { date: c.canApplyFrom });
  return c.conditions
    .filter((x) => !x.met)
    .map((x) =>
      x.code === 'internalAudit' && x.audit
        ? t('clients.cert.missing.auditClauses', { clauses: x.missingClauses.join(t('common.enumSeparator')) })
        : t(`clients.cert.missing.${x.code}`),
    )
    .join(t('common.listSeparator'));
}

/**
 * Wordings kept per language (t is one function per language): the table words a handful of states and day counts
 * over and over, and i18next's interpolation and plural rules were a fifth of a page's CPU.
 */
const wordings = new WeakMap<Translate, Map<string, string>>();
const wordingsOf = (t: Translate) => {
  let m = wordings.get(t);
  if (!m || m.size > 20_000) {
    m = new Map();
    wordings.set(t, m);
  }
  return m;
};

/** t with values, remembered per language for the same key and values. */
function keptT(t: Translate) {
  const memo = wordingsOf(t);
  return (key: string, values: Record<string, unknown>) => {
    const k = `${key}|${JSON.stringify(values)}`;
    let s = memo.get(k);
    if (s === undefined) {
      s = t(key, values);
      memo.set(k, s);
    }
    return s;
  };
}

/** The same wording for the same state: most rows share a handful. */
function memoCertText(t: Translate) {
  const memo = wordingsOf(t);
  return (r: ClientRow) => {
    const c = r.certification;
    const key = `cert|${c.ready}|${c.canApplyFrom}|${c.conditions.map((x) => (x.met ? '' : x.code === 'internalAudit' && x.audit ? x.missingClauses.join(',') : x.code)).join('|')}`;
    let s = memo.get(key);
    if (s === undefined) {
      s = certificationText(r, t);
      memo.set(key, s);
    }
    return s;
  };
}

export const clientDto = (r: ClientRow) => ({
  organizationId: r.id,
  code: r.code,
  name: r.name,
  today: r.today,
  readiness: r.readiness,
  programmeCoverage: r.programmeCoverage,
  openMajors: r.openMajors,
  openMinors: r.openMinors,
  overdueActions: r.overdueActions,
  lastInternalAudit: r.lastInternalAudit,
  daysSinceInternalAudit: r.daysSinceInternalAudit,
  lastManagementReview: r.lastManagementReview,
  daysSinceManagementReview: r.daysSinceManagementReview,
  nextAudit: r.nextAudit,
  certification: {
    ready: r.certification.ready,
    canApplyFrom: r.certification.canApplyFrom,
    missing: r.certification.conditions.filter((c) => !c.met).map((c) => c.code),
    missingClauses: r.certification.conditions.flatMap((c) => (c.code === 'internalAudit' ? c.missingClauses : [])),
  },
});

function workbookModel(rows: readonly ClientRow[], t: Translate): ClientsWorkbookModel {
  const h = (k: string) => t(`clients.columns.${k}`);
  const frac = (p: number | null | undefined) => (p === null || p === undefined ? null : Math.round(p * 10) / 1000);
  return {
    generatedAt: nowIso(),
    sheet: t('clients.sheet'),
    headers: {
      code: h('code'),
      name: h('name'),
      readiness: h('readiness'),
      readinessCoverage: h('readinessCoverage'),
      readinessAudit: h('readinessAudit'),
      programmeCoverage: h('programmeCoverage'),
      majors: h('majors'),
      minors: h('minors'),
      overdue: h('overdue'),
      lastAudit: h('lastAudit'),
      sinceAudit: h('sinceAudit'),
      lastReview: h('lastReview'),
      sinceReview: h('sinceReview'),
      nextAudit: h('nextAudit'),
      certification: h('certification'),
    },
    rows: rows.map((r) => ({
      code: r.code,
      name: r.name,
      readiness: frac(r.readiness?.readiness),
      readinessCoverage: frac(r.readiness?.coverage),
      readinessAudit: r.readiness ? `${r.readiness.auditTitle} (${r.readiness.issuedOn})` : '',
      programmeCoverage: frac(r.programmeCoverage?.percent),
      majors: r.openMajors,
      minors: r.openMinors,
      overdue: r.overdueActions,
      lastAudit: r.lastInternalAudit,
      sinceAudit: r.daysSinceInternalAudit,
      lastReview: r.lastManagementReview,
      sinceReview: r.daysSinceManagementReview,
      nextAudit: r.nextAudit
        ? `${r.nextAudit.plannedStart} ${r.nextAudit.title}${r.nextAudit.late ? ` (${t('clients.late')})` : ''}`
        : '',
      certification: certificationText(r, t),
    })),
  };
}

/** The consultant's table (issue 18): one row per organisation the user is a member of. */
export async function clientRoutes(base: FastifyInstance, { renderer }: { renderer: RenderPool }) {
  const app = base.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/api/v1/me/clients',
    {
      schema: {
        tags,
        summary:
          "The caller's client organisations, one row each: readiness of the latest audit, programme coverage this " +
          'cycle, open majors and minors, overdue actions, days since the last internal audit and management review, ' +
          'the next planned audit and certification readiness; filtered, sorted and paged (50 a page)',
        querystring: ClientsQuery,
        response: { 200: ClientsOut },
      },
      config: access,
    },
    async (req) => {
      const p = pageOf(await table(req, req.query), req.query.page);
      return { total: p.total, page: p.page, pages: p.pages, pageSize: CLIENT_PAGE_SIZE, items: p.rows.map(clientDto) };
    },
  );

  app.get('/clients', { schema: { querystring: ClientsQuery }, config: access }, async (req, reply) => {
    const sorted = await table(req, req.query);
    const p = pageOf(sorted, req.query.page);
    let kept = fragments.get(sorted);
    if (!kept) {
      kept = new Map();
      fragments.set(sorted, kept);
    }
    const html = kept;
    const fragment = `${req.locale}|${p.page}`;
    const q = req.query;
    /** This page's address with some parameters changed (filters kept; a new order or filter starts at page 1). */
    const link = (change: Record<string, string | number | boolean | undefined>, base = '/clients') => {
      const all = { q: q.q, overdue: q.overdue, majors: q.majors, ready: q.ready, sort: q.sort, dir: q.dir, ...change };
      const sp = new URLSearchParams();
      for (const [k, v] of Object.entries(all))
        if (v !== undefined && v !== false && v !== '') sp.set(k, v === true ? '1' : String(v));
      const s = sp.toString();
      return s ? `${base}?${s}` : base;
    };
    return reply.page('clients/table.eta', {
      title: req.t('clients.title'),
      q,
      link,
      pager: p,
      certText: memoCertText(req.t),
      tv: keptT(req.t),
      rowsHtml: html.get(fragment),
      keepRows: (rows: string) => {
        if (html.size >= 50) html.clear();
        html.set(fragment, rows);
        return rows;
      },
    });
  });

  app.get('/clients.xlsx', { schema: { querystring: ClientsFileQuery }, config: access }, async (req, reply) => {
    const lang =
      req.query.lang === 'zh' || req.query.lang === 'en' ? req.query.lang : req.locale === 'zh-CN' ? 'zh' : 'en';
    const rows = await table(req, req.query);
    const model = workbookModel(rows, translator(lang === 'zh' ? 'zh-CN' : 'en'));
    const bytes = await renderer.render({ kind: 'clientsXlsx', model, lang });
    return sendFile(reply, 'xlsx', `clients-${model.generatedAt.slice(0, 10)}.xlsx`, bytes);
  });
}
