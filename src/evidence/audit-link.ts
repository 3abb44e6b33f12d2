import type { Db } from '../db/connect.js';
import { recordTrail } from '../db/trail.js';
import { conflict } from '../web/errors.js';
import { isAuditStatus, isEditable } from '../domain/audit-status.js';
import { effectiveScope, inScope } from '../domain/scope.js';

/**
 * For an on-the-spot upload from an audit checklist: the response of this audit to this checklist item,
 * when the audit is the organisation's and still open (planned, in progress, reporting).
 * An in-scope item not answered yet gets its empty response row, so the evidence shows on the checklist.
 */
export async function openResponseFor(trx: Db, orgId: number, auditId: number, requirementId: string, userId: number) {
  const audit = await trx
    .selectFrom('audit')
    .select(['id', 'status', 'type', 'scope_clauses', 'checklist_version_id'])
    .where('organization_id', '=', orgId)
    .where('id', '=', auditId)
    .executeTakeFirst();
  if (!audit) return { found: false, responseId: null };
  // A page left open after issue: the upload is refused (409), never linked silently or dropped.
  if (!isAuditStatus(audit.status) || !isEditable(audit.status))
    throw conflict('audits.errors.readOnly', { status: audit.status });
  const existing = await trx
    .selectFrom('audit_response')
    .select('id')
    .where('audit_id', '=', audit.id)
    .where('requirement_id', '=', requirementId)
    .executeTakeFirst();
  if (existing) return { found: true, responseId: existing.id };
  const req = await trx
    .selectFrom('requirement')
    .select('clause_id')
    .where('version_id', '=', audit.checklist_version_id)
    .where('id', '=', requirementId)
    .executeTakeFirst();
  if (!req || !inScope(req.clause_id, effectiveScope(audit.type, parseClauses(audit.scope_clauses)))) {
    return { found: true, responseId: null };
  }
  const { id } = await trx
    .insertInto('audit_response')
    .values({
      audit_id: audit.id,
      requirement_id: requirementId,
      verdict: 'not_assessed',
      implementation_level: null,
      notes: '',
      samples: '',
      interviewees: '',
      version: 0,
      answered_by: null,
      answered_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordTrail(trx, {
    orgId,
    userId,
    action: 'create',
    entity: 'audit_response',
    entityId: id,
    after: { auditId, requirementId },
  });
  return { found: true, responseId: id };
}

function parseClauses(json: string): string[] {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}
