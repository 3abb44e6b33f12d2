import type { Db } from '../db/connect.js';
import { readiness } from '../domain/readiness.js';
import { TOP_CLAUSES } from '../domain/verdicts.js';
import { toScored } from './queries.js';

export interface HistoryFilter {
  clause?: string;
  verdict?: string;
  type?: string;
  from?: string;
  to?: string;
}

/** Items × audits of one organisation: each item's verdict in each audit, oldest audit first. */
export async function crossAuditTable(db: Db, orgId: number, f: HistoryFilter) {
  let audits = db
    .selectFrom('audit')
    .select(['id', 'title', 'type', 'status', 'planned_start', 'actual_end', 'created_at'])
    .where('organization_id', '=', orgId);
  if (f.type) audits = audits.where('type', '=', f.type);
  if (f.from) audits = audits.where('created_at', '>=', f.from);
  if (f.to) audits = audits.where('created_at', '<=', `${f.to}T99`);
  const auditRows = await audits.orderBy('id').limit(40).execute();
  if (auditRows.length === 0) return { audits: [], rows: [] };
  let q = db
    .selectFrom('audit_response')
    .select(['audit_id', 'requirement_id', 'verdict', 'implementation_level'])
    .where(
      'audit_id',
      'in',
      auditRows.map((a) => a.id),
    );
  if (f.clause)
    q = q.where((eb) =>
      eb.or([eb('requirement_id', 'like', `${f.clause}.%`), eb('requirement_id', 'like', `${f.clause}-%`)]),
    );
  const responses = await q.execute();
  const byItem = new Map<string, Map<number, { verdict: string; level: number | null }>>();
  for (const r of responses) {
    if (!byItem.has(r.requirement_id)) byItem.set(r.requirement_id, new Map());
    byItem.get(r.requirement_id)!.set(r.audit_id, { verdict: r.verdict, level: r.implementation_level });
  }
  let rows = [...byItem].map(([requirementId, cells]) => ({ requirementId, cells }));
  if (f.verdict) rows = rows.filter((r) => [...r.cells.values()].some((c) => c.verdict === f.verdict));
  rows.sort((a, b) => compareIds(a.requirementId, b.requirementId));
  return { audits: auditRows, rows };
}

/** One item's verdicts over time across the organisation's audits; on an audit's item page, the audits started before it. */
export async function requirementHistory(db: Db, orgId: number, requirementId: string, beforeAuditId?: number) {
  let q = db
    .selectFrom('audit_response as r')
    .innerJoin('audit as a', 'a.id', 'r.audit_id')
    .leftJoin('app_user as u', 'u.id', 'r.answered_by')
    .select([
      'a.id as auditId',
      'a.title',
      'a.type',
      'a.status',
      'a.created_at',
      'r.verdict',
      'r.implementation_level',
      'r.notes',
      'r.answered_at',
      'u.display_name as answeredBy',
    ])
    .where('a.organization_id', '=', orgId)
    .where('r.requirement_id', '=', requirementId);
  if (beforeAuditId !== undefined) q = q.where('a.id', '<', beforeAuditId); // ids grow with creation
  return q.orderBy('a.id', 'desc').execute();
}

/** The organisation's current readiness: for each item the most recent assessed answer across its audits. */
export async function organisationReadiness(db: Db, orgId: number) {
  const rows = await db
    .selectFrom('audit_response as r')
    .innerJoin('audit as a', 'a.id', 'r.audit_id')
    .select(['r.requirement_id', 'r.verdict', 'r.implementation_level', 'r.answered_at', 'a.type'])
    .where('a.organization_id', '=', orgId)
    .where('r.verdict', '!=', 'not_assessed')
    .orderBy('r.id')
    .execute(); // equal answered_at: the same row wins on both databases
  const latest = new Map<string, (typeof rows)[number]>();
  for (const r of rows) {
    const cur = latest.get(r.requirement_id);
    if (!cur || (r.answered_at ?? '') > (cur.answered_at ?? '')) latest.set(r.requirement_id, r);
  }
  const requirements = await db
    .selectFrom('requirement')
    .select(['id', 'top_clause'])
    .where(
      'version_id',
      '=',
      db
        .selectFrom('checklist_version')
        .select((eb) => eb.fn.max('id').as('v'))
        .where('standard_code', '=', 'iso-iec-20000-1-2018'),
    )
    .execute();
  const items = requirements.map((q) => {
    const l = latest.get(q.id);
    return toScored({ top_clause: q.top_clause, verdict: l?.verdict ?? 'not_assessed', implementation_level: null });
  });
  return readiness(items, TOP_CLAUSES, false);
}

/** Orders "8.10-2" after "8.9-1": numeric comparison part by part. */
export function compareIds(a: string, b: string): number {
  const pa = a.split(/[.-]/).map(Number);
  const pb = b.split(/[.-]/).map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? -1) - (pb[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}
