import type { Load } from './measure.js';
import type { Targets } from './session.js';

// What the benchmark measures, and the speed each must reach on the consultancy data set (bench/README.md).

export interface Target {
  p95Ms: number;
  rssMb?: number;
  /** Server CPU time per request (user + system). */
  cpuMs?: number;
  /** Size of the response body. */
  maxKb?: number;
}
/** Figures are compared per this many rows of output (the export grows with the data by design). */
export interface PerRows {
  rows: number;
  per: number;
}
export interface Item {
  key: string;
  label: string;
  path: string;
  auth: 'cookie' | 'bearer' | 'none';
  load: Load;
  target: Target | null;
  /** Set for an item whose output holds every row of the data set: its CPU is compared per `per` rows. */
  perRows?: PerRows;
  /** A POST instead of a GET: this audit's questionnaire, filled (scripts/bench/upload.ts), with its own headers. */
  post?: { questionnaireOf: number };
}

/** Issue 20: start-up on the existing database, at 2,000 organisations too. */
export const STARTUP_TARGET_MS = 1000;
/** An item's CPU per request at a larger data set may be at most this many times its CPU at the smallest (issue 20). */
export const GROWTH_LIMIT = 1.3;
/** Nonconformities per organisation in the generated data set (bench/README.md). */
const NCS_PER_ORG = 200;

/** The items, for a data set of `orgs` organisations (200 unless the bench was given --orgs). */
export function benchItems(t: Targets, o: { connections: number; duration: number; orgs: number }): Item[] {
  const web: Load = { connections: o.connections, duration: o.duration };
  const page = { p95Ms: 50, cpuMs: 4 };
  const ncs = o.orgs * NCS_PER_ORG;
  return [
    { key: 'baseline', label: 'GET /healthz (baseline)', path: '/healthz', auth: 'none', load: web, target: null },
    {
      key: 'dashboard',
      label: `dashboard, ${o.orgs} organisations`,
      path: '/',
      auth: 'cookie',
      load: web,
      target: { p95Ms: 50, cpuMs: 1.5 },
    },
    {
      // Issue 18: the consultant's table of every client, first page of 50 in code order.
      key: 'clients',
      label: `consultant's table, ${o.orgs} clients`,
      path: '/clients',
      auth: 'cookie',
      load: web,
      target: { p95Ms: 50, cpuMs: 8 },
    },
    {
      key: 'clientsSorted',
      label: "consultant's table, by overdue actions, with open majors",
      path: '/clients?sort=overdue&dir=desc&majors=1',
      auth: 'cookie',
      load: web,
      target: { p95Ms: 50, cpuMs: 8 },
    },
    {
      key: 'clientsApi',
      label: "consultant's table (API)",
      path: '/api/v1/me/clients?sort=readiness&dir=asc',
      auth: 'bearer',
      load: web,
      target: { p95Ms: 50, cpuMs: 8 },
    },
    {
      key: 'checklist',
      label: 'checklist page, 212 items',
      path: `/audits/${t.auditId}/checklist`,
      auth: 'cookie',
      load: web,
      target: { p95Ms: 50 },
    },
    {
      // Issue 17: the page an auditor works on, one clause (here the longest, 8.5 with 37 items).
      key: 'checklistClause',
      label: 'checklist clause page (8.5, 37 items)',
      path: `/audits/${t.auditId}/checklist?clause=8.5`,
      auth: 'cookie',
      load: web,
      target: { p95Ms: 50, cpuMs: 3, maxKb: 120 },
    },
    {
      key: 'ncOrg',
      label: 'NC register, one org',
      path: `/orgs/${t.orgId}/nonconformities`,
      auth: 'cookie',
      load: web,
      target: page,
    },
    {
      key: 'ncOrgFiltered',
      label: 'NC register, one org, filtered',
      path: `/orgs/${t.orgId}/nonconformities?status=active&grade=minor`,
      auth: 'cookie',
      load: web,
      target: page,
    },
    {
      key: 'ncAll',
      label: `NC register, all ${o.orgs} orgs`,
      path: '/nonconformities',
      auth: 'cookie',
      load: web,
      target: page,
    },
    {
      key: 'ncAllFiltered',
      label: 'NC register, all orgs, filtered',
      path: '/nonconformities?status=active&overdue=1&grade=major',
      auth: 'cookie',
      load: web,
      target: page,
    },
    {
      key: 'auditJson',
      label: 'audit JSON (API)',
      path: `/api/v1/audits/${t.auditId}`,
      auth: 'bearer',
      load: web,
      target: { p95Ms: 20, cpuMs: 2 },
    },
    // Files are produced one at a time: the time to make one is what the targets are about.
    {
      key: 'gapRegister',
      label: 'gap register .xlsx, one audit',
      path: `/api/v1/audits/${t.auditId}/gap-register.xlsx`,
      auth: 'bearer',
      load: { connections: 1, duration: o.duration },
      target: { p95Ms: 300, cpuMs: 30 },
    },
    {
      key: 'reportPdf',
      label: 'audit report PDF, 50 findings, zh',
      path: `/api/v1/audits/${t.auditId}/report.pdf?lang=zh`,
      auth: 'bearer',
      load: { connections: 1, duration: Math.max(o.duration, 8) },
      target: { p95Ms: 1500, cpuMs: 250 },
    },
    {
      key: 'ncExport',
      label: `NC register .xlsx, ${ncs.toLocaleString('en')} rows`,
      path: '/api/v1/nonconformities.xlsx',
      auth: 'bearer',
      // Larger data sets: one export (400,000 rows at 2,000 organisations take several seconds each).
      load: { connections: 1, amount: ncs > 40_000 ? 1 : 3 },
      // Targets for 40,000 rows: time and CPU compared per 40,000 rows, memory as it is.
      target: { p95Ms: 5000, rssMb: 250, cpuMs: 1500 },
      perRows: { rows: ncs, per: 40_000 },
    },
    {
      // Issue 20: a filled 212-item questionnaire uploaded from the audit page, read, checked and previewed (not
      // confirmed). The workbook is read on the render thread; its CPU counts all the same. Prepared when its turn
      // comes (downloading the questionnaire starts the render thread: no other item should carry that memory).
      key: 'questionnaireUpload',
      label: 'questionnaire upload, 212 items changed (preview)',
      path: `/reports/audits/${t.auditId}/questionnaire`,
      auth: 'cookie',
      load: { connections: 1, duration: o.duration },
      target: { p95Ms: 500, cpuMs: 150 },
      post: { questionnaireOf: t.auditId },
    },
  ];
}
