import type { Db } from '../db/connect.js';

export interface TrailFilter {
  entity?: string;
  from?: string;
  to?: string;
  limit?: number;
}

/** The organisation's audit trail, newest first. */
export async function orgTrail(db: Db, orgId: number, f: TrailFilter = {}) {
  let q = db
    .selectFrom('audit_trail as t')
    .leftJoin('app_user as u', 'u.id', 't.user_id')
    .select([
      't.id',
      't.action',
      't.entity',
      't.entity_id',
      't.before_json',
      't.after_json',
      't.at',
      'u.display_name as who',
      'u.email',
    ])
    .where('t.organization_id', '=', orgId);
  if (f.entity) q = q.where('t.entity', '=', f.entity);
  if (f.from) q = q.where('t.at', '>=', f.from);
  if (f.to) q = q.where('t.at', '<=', `${f.to}T99`);
  return q
    .orderBy('t.id', 'desc')
    .limit(f.limit ?? 500)
    .execute();
}
export type TrailRow = Awaited<ReturnType<typeof orgTrail>>[number];

/**
 * The history of one record: its own entries, plus those of its parts whose ids start with "<id>:"
 * (e.g. the responses "12:8.6.1-1" of audit 12).
 */
export async function recordHistory(db: Db, orgId: number, entities: string[], entityId: number | string, limit = 200) {
  const id = String(entityId);
  return db
    .selectFrom('audit_trail as t')
    .leftJoin('app_user as u', 'u.id', 't.user_id')
    .select([
      't.id',
      't.action',
      't.entity',
      't.entity_id',
      't.before_json',
      't.after_json',
      't.at',
      'u.display_name as who',
      'u.email',
    ])
    .where('t.organization_id', '=', orgId)
    .where('t.entity', 'in', entities)
    .where((eb) => eb.or([eb('t.entity_id', '=', id), eb('t.entity_id', 'like', `${id}:%`)]))
    .orderBy('t.id', 'desc')
    .limit(limit)
    .execute();
}

/** Which fields changed between the before and after images, for a readable history line. */
export function changedFields(before: string | null, after: string | null): string[] {
  const b = before ? (JSON.parse(before) as Record<string, unknown>) : {};
  const a = after ? (JSON.parse(after) as Record<string, unknown>) : {};
  const keys = new Set([...Object.keys(b), ...Object.keys(a)]);
  return [...keys].filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k]));
}

/** Adds the list of changed fields to each entry, for the history table. */
export function withChanges<T extends { before_json: string | null; after_json: string | null }>(rows: T[]) {
  return rows.map((r) => ({ ...r, changed: changedFields(r.before_json, r.after_json) }));
}
