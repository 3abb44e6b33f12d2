import { frozenModel } from '../../reports/audit-report/compose.js';
import type { AuditReportModel } from '../../reports/audit-report/model.js';
import { getAudit } from '../audits/queries.js';
import type { Db } from '../db/connect.js';
import { notFound } from '../web/errors.js';
import { auditReportModel } from './audit-model.js';
import { acceptancesOf } from './report-content.js';

/**
 * The report model frozen at issue. Called by the issue step inside its transaction; the result goes into
 * audit_revision.snapshot_json as `report`, so an issued report never changes afterwards.
 */
export async function freezeAuditReport(trx: Db, orgId: number, auditId: number): Promise<AuditReportModel> {
  return { ...(await auditReportModel(trx, orgId, auditId)), frozen: true };
}

function frozenOf(snapshotJson: string): AuditReportModel | null {
  const snap = JSON.parse(snapshotJson) as { report?: { modelVersion?: number } };
  return snap.report ? frozenModel(snap.report) : null;
}

/**
 * The model a report download shows: the frozen one of the revision asked for (404 when that revision was never issued);
 * without a revision, the frozen one while the audit stands issued or closed, else the live draft.
 */
export async function reportModelFor(
  db: Db,
  orgId: number,
  auditId: number,
  revision?: number,
): Promise<AuditReportModel> {
  const audit = await getAudit(db, orgId, auditId);
  const issued = audit.status === 'issued' || audit.status === 'closed';
  const wanted = revision ?? (issued ? audit.revision : undefined);
  if (wanted !== undefined) {
    const rev = await db
      .selectFrom('audit_revision')
      .select('snapshot_json')
      .where('audit_id', '=', audit.id)
      .where('revision', '=', wanted)
      .executeTakeFirst();
    if (!rev) throw notFound();
    const frozen = frozenOf(rev.snapshot_json);
    // Acceptance comes after issue and says who accepted the revision, not what it says: read it in every time.
    if (frozen) return { ...frozen, acceptances: await acceptancesOf(db, audit.id, wanted) };
    // Issued before reports were frozen: the current data is the best record there is.
  }
  return auditReportModel(db, orgId, auditId);
}
