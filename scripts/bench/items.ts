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
export interface Item {
  key: string;
  label: string;
  path: string;
  auth: 'cookie' | 'bearer' | 'none';
  load: Load;
  target: Target | null;
}

export const STARTUP_TARGET_MS = 2000;

export function benchItems(t: Targets, o: { connections: number; duration: number }): Item[] {
  const web: Load = { connections: o.connections, duration: o.duration };
  const page = { p95Ms: 50 };
  return [
    { key: 'baseline', label: 'GET /healthz (baseline)', path: '/healthz', auth: 'none', load: web, target: null },
    { key: 'dashboard', label: 'dashboard, 200 organisations', path: '/', auth: 'cookie', load: web, target: page },
    {
      key: 'checklist',
      label: 'checklist page, 212 items',
      path: `/audits/${t.auditId}/checklist`,
      auth: 'cookie',
      load: web,
      target: page,
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
      label: 'NC register, all 200 orgs',
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
      target: { p95Ms: 20 },
    },
    // Files are produced one at a time: the time to make one is what the targets are about.
    {
      key: 'gapRegister',
      label: 'gap register .xlsx, one audit',
      path: `/api/v1/audits/${t.auditId}/gap-register.xlsx`,
      auth: 'bearer',
      load: { connections: 1, duration: o.duration },
      target: { p95Ms: 300 },
    },
    {
      key: 'reportPdf',
      label: 'audit report PDF, 50 findings, zh',
      path: `/api/v1/audits/${t.auditId}/report.pdf?lang=zh`,
      auth: 'bearer',
      load: { connections: 1, duration: Math.max(o.duration, 8) },
      target: { p95Ms: 1500 },
    },
    {
      key: 'ncExport',
      label: 'NC register .xlsx, 40,000 rows',
      path: '/api/v1/nonconformities.xlsx',
      auth: 'bearer',
      load: { connections: 1, amount: 3 },
      target: { p95Ms: 5000, rssMb: 300 },
    },
  ];
}
