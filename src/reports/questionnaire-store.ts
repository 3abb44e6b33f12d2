import { randomBytes } from 'node:crypto';
import type { Db } from '../db/connect.js';
import { addHours, nowIso } from '../db/time.js';
import { recordTrail } from '../db/trail.js';
import { isAuditStatus, isEditable } from '../domain/audit-status.js';
import { conflict } from '../web/errors.js';
import type { Change } from './questionnaire.js';
import type {} from './tables.js';

// The parsed changes of an upload wait here between preview and confirmation (for an hour), bound to audit and user.
const TTL_HOURS = 1;

export interface Importer {
  orgId: number;
  userId: number;
}

export async function savePending(
  db: Db,
  who: Importer,
  auditId: number,
  fileName: string,
  changes: Change[],
): Promise<string> {
  const id = randomBytes(16).toString('hex');
  const now = nowIso();
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('questionnaire_import').where('created_at', '<', addHours(now, -TTL_HOURS)).execute();
    await trx
      .insertInto('questionnaire_import')
      .values({
        id,
        organization_id: who.orgId,
        audit_id: auditId,
        user_id: who.userId,
        file_name: fileName,
        changes_json: JSON.stringify(changes),
        created_at: now,
      })
      .execute();
  });
  return id;
}

/** The pending upload, only for the user who made it, on the same audit, within the hour. */
export async function loadPending(db: Db, who: Importer, auditId: number, id: string) {
  const row = await db
    .selectFrom('questionnaire_import')
    .selectAll()
    .where('id', '=', id)
    .where('organization_id', '=', who.orgId)
    .where('audit_id', '=', auditId)
    .where('user_id', '=', who.userId)
    .where('created_at', '>=', addHours(nowIso(), -TTL_HOURS))
    .executeTakeFirst();
  return row
    ? {
        id: row.id,
        fileName: row.file_name,
        changes: JSON.parse(row.changes_json) as Change[],
        createdAt: row.created_at,
      }
    : undefined;
}

/**
 * Applies every change in ONE transaction. Each update repeats the version check, so an answer saved by someone else
 * since the preview refuses the whole upload (409 naming the items) and nothing changes.
 */
export async function applyChanges(
  db: Db,
  who: Importer,
  audit: { id: number; status: string },
  changes: Change[],
  pendingId?: string,
) {
  if (!isAuditStatus(audit.status) || !isEditable(audit.status))
    throw conflict('audits.errors.readOnly', { status: audit.status });
  return db.transaction().execute(async (trx) => {
    const now = nowIso();
    const stale: string[] = [];
    for (const c of changes) {
      const res = await trx
        .updateTable('audit_response')
        .set((eb) => ({
          verdict: c.after.verdict,
          implementation_level: c.after.level,
          notes: c.after.notes,
          version: eb('version', '+', 1),
          answered_by: who.userId,
          answered_at: now,
        }))
        .where('audit_id', '=', audit.id)
        .where('requirement_id', '=', c.requirementId)
        .where('version', '=', c.version)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) {
        stale.push(c.requirementId);
        continue;
      }
      await recordTrail(trx, {
        orgId: who.orgId,
        userId: who.userId,
        action: 'update',
        entity: 'audit_response',
        entityId: `${audit.id}:${c.requirementId}`,
        before: { verdict: c.before.verdict, notes: c.before.notes, level: c.before.level },
        after: {
          verdict: c.after.verdict,
          notes: c.after.notes,
          implementation_level: c.after.level,
          version: c.version + 1,
          via: 'questionnaire',
        },
      });
    }
    if (stale.length) {
      // Who changed them since the preview: the uploader themselves (another upload, the item page) is not "someone else".
      const by = await trx
        .selectFrom('audit_response')
        .leftJoin('app_user', 'app_user.id', 'audit_response.answered_by')
        .select(['audit_response.requirement_id', 'audit_response.answered_by', 'app_user.display_name'])
        .where('audit_response.audit_id', '=', audit.id)
        .where('audit_response.requirement_id', 'in', stale)
        .execute();
      const own = by.every((r) => r.answered_by === who.userId);
      const items = own
        ? stale.join(', ')
        : by.map((r) => (r.display_name ? `${r.requirement_id} (${r.display_name})` : r.requirement_id)).join(', ');
      throw conflict(
        own ? 'reports.questionnaire.staleOnConfirmOwn' : 'reports.questionnaire.staleOnConfirm',
        { items },
        { items: stale },
      );
    }
    if (changes.length) await trx.updateTable('audit').set({ updated_at: now }).where('id', '=', audit.id).execute();
    if (pendingId) await trx.deleteFrom('questionnaire_import').where('id', '=', pendingId).execute();
    return changes.length;
  });
}
