import type { Db } from '../db/connect.js';

// The checklist text beside every audit response, without reading it from the database on every page: a loaded
// checklist version is never changed (new text becomes a new version, src/checklists/queries.ts) and a restore needs
// the app stopped, so a version read once stays true for the life of the database handle.

export interface ChecklistItem {
  id: string;
  clause_id: string;
  top_clause: string;
  text_zh: string;
  text_en: string;
  note_zh: string | null;
  note_en: string | null;
  doc_type: string;
  doc_what_zh: string | null;
  doc_what_en: string | null;
  questions_json: string;
  evidence_json: string;
  position: number;
}

const cache = new WeakMap<Db, Map<number, Promise<Map<string, ChecklistItem>>>>();

/** The items of a checklist version by id, in the standard's order (Map iteration order). */
export function checklistItems(db: Db, versionId: number): Promise<Map<string, ChecklistItem>> {
  let versions = cache.get(db);
  if (!versions) {
    versions = new Map();
    cache.set(db, versions);
  }
  const known = versions.get(versionId);
  if (known) return known;
  const loading = db
    .selectFrom('requirement')
    .select([
      'id',
      'clause_id',
      'top_clause',
      'text_zh',
      'text_en',
      'note_zh',
      'note_en',
      'doc_type',
      'doc_what_zh',
      'doc_what_en',
      'questions_json',
      'evidence_json',
      'position',
    ])
    .where('version_id', '=', versionId)
    .orderBy('position')
    .execute()
    .then((rows) => new Map(rows.map((r) => [r.id, r])));
  versions.set(versionId, loading);
  // Nothing is kept from a failed or empty read (a version being loaded in another transaction).
  loading.then(
    (m) => {
      if (m.size === 0) versions.delete(versionId);
    },
    () => versions.delete(versionId),
  );
  return loading;
}

/** The audit's responses (one row per item in scope, with who answered), in no particular order. */
export function responseRows(db: Db, auditId: number) {
  return db
    .selectFrom('audit_response as r')
    .leftJoin('app_user as u', 'u.id', 'r.answered_by')
    .select([
      'r.id',
      'r.requirement_id',
      'r.verdict',
      'r.implementation_level',
      'r.notes',
      'r.samples',
      'r.interviewees',
      'r.sample_json',
      'r.version',
      'r.answered_by',
      'r.answered_at',
      'u.display_name as answered_by_name',
    ])
    .where('r.audit_id', '=', auditId)
    .execute();
}
