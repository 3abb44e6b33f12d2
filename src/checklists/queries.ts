import { type Selectable, sql } from 'kysely';
import type { Db } from '../db/connect.js';
import type { RequirementTable } from '../db/schema.js';
import { nowIso } from '../db/time.js';
import { shownTitle } from '../domain/clause-title.js';
import type { LoadedStandard } from './load.js';

export type RequirementRow = Selectable<RequirementTable>;

const CHUNK = 50; // stays under SQLite's bound-parameter limit for 16-column rows

/** Loads each standard file into the database once per content hash; idempotent, one transaction per standard. */
export async function syncStandards(
  db: Db,
  standards: LoadedStandard[],
): Promise<{ code: string; versionId: number; created: boolean }[]> {
  const out = [];
  for (const { data: s, contentHash, sourceHash, file } of standards) {
    const existing = await db
      .selectFrom('checklist_version')
      .select('id')
      .where('standard_code', '=', s.code)
      .where('content_hash', '=', contentHash)
      .executeTakeFirst();
    if (existing) {
      await rememberSource(db, sourceHash, existing.id, file);
      out.push({ code: s.code, versionId: existing.id, created: false });
      continue;
    }
    const versionId = await db.transaction().execute(async (trx) => {
      const { id } = await trx
        .insertInto('checklist_version')
        .values({
          standard_code: s.code,
          edition: s.edition,
          title_zh: s.title.zh,
          title_en: s.title.en,
          exclusion_zh: s.exclusionRule.zh,
          exclusion_en: s.exclusionRule.en,
          content_hash: contentHash,
          created_at: nowIso(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const clauses = s.clauses.map((c, i) => ({
        version_id: id,
        id: c.id,
        parent_id: c.parent,
        // Stored as printed: an editorial title carries its brackets into every page, PDF and workbook.
        title_zh: shownTitle(c.title.zh, c.titleSource, 'zh'),
        title_en: shownTitle(c.title.en, c.titleSource, 'en'),
        title_source: c.titleSource ?? 'standard',
        position: i,
      }));
      const reqs = s.requirements.map((r, i) => ({
        version_id: id,
        id: r.id,
        clause_id: r.clause,
        top_clause: r.clause.split('.')[0]!,
        text_zh: r.text.zh,
        text_en: r.text.en,
        note_zh: r.translatorNote?.zh ?? null,
        note_en: r.translatorNote?.en ?? null,
        doc_type: r.documentedInformation.type,
        doc_what_zh: r.documentedInformation.type === 'none' ? null : r.documentedInformation.what.zh,
        doc_what_en: r.documentedInformation.type === 'none' ? null : r.documentedInformation.what.en,
        doc_catalogue: r.documentedInformation.type === 'none' ? null : (r.documentedInformation.catalogue ?? null),
        evidence_json: JSON.stringify(r.evidence),
        questions_json: JSON.stringify(r.questions),
        references_json: JSON.stringify(r.references),
        annex_sl: r.annexSL ? 1 : 0,
        position: i,
        // Evidence and questions are searched too: 8.4.3 says 能力 for capacity, its evidence 容量（能力）.
        search_text: [
          r.id,
          r.text.zh,
          r.text.en,
          ...r.evidence.flatMap((e) => [e.zh, e.en]),
          ...r.questions.flatMap((q) => [q.zh, q.en]),
        ]
          .join(' ')
          .toLowerCase(),
      }));
      for (let i = 0; i < clauses.length; i += CHUNK)
        await trx
          .insertInto('clause')
          .values(clauses.slice(i, i + CHUNK))
          .execute();
      for (let i = 0; i < reqs.length; i += CHUNK)
        await trx
          .insertInto('requirement')
          .values(reqs.slice(i, i + CHUNK))
          .execute();
      await trx
        .insertInto('doc_catalogue_entry')
        .values(
          s.documentedInformationCatalogue.map((e, i) => ({
            version_id: id,
            key: e.key,
            title_zh: e.title.zh,
            title_en: e.title.en,
            position: i,
          })),
        )
        .execute();
      await rememberSource(trx, sourceHash, id, file);
      return id;
    });
    out.push({ code: s.code, versionId, created: true });
  }
  return out;
}

// Instances starting together may both record the same file: the first one's row is the same fact.
async function rememberSource(db: Db, sourceHash: string, versionId: number, file: string) {
  await db
    .insertInto('checklist_source')
    .values({ source_hash: sourceHash, version_id: versionId, file_name: file, loaded_at: nowIso() })
    .onConflict((oc) => oc.column('source_hash').doNothing())
    .execute();
}

/** Which of these checklist files (by the SHA-256 of their bytes) are loaded already. */
export async function knownSources(db: Db, sourceHashes: string[]): Promise<Set<string>> {
  if (!sourceHashes.length) return new Set();
  const rows = await db
    .selectFrom('checklist_source')
    .select('source_hash')
    .where('source_hash', 'in', sourceHashes)
    .execute();
  return new Set(rows.map((r) => r.source_hash));
}

/** The newest version of each standard. */
export async function listStandards(db: Db) {
  const rows = await db.selectFrom('checklist_version').selectAll().orderBy('id', 'desc').execute();
  const seen = new Set<string>();
  return rows.filter((r) => !seen.has(r.standard_code) && seen.add(r.standard_code));
}

export async function currentVersion(db: Db, code: string) {
  return db
    .selectFrom('checklist_version')
    .selectAll()
    .where('standard_code', '=', code)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function clausesOf(db: Db, versionId: number) {
  return db.selectFrom('clause').selectAll().where('version_id', '=', versionId).orderBy('position').execute();
}

export async function requirementsOf(db: Db, versionId: number, clauseId?: string) {
  let q = db.selectFrom('requirement').selectAll().where('version_id', '=', versionId);
  // A clause shows its own items and those of its sub-clauses.
  if (clauseId) q = q.where((eb) => eb.or([eb('clause_id', '=', clauseId), eb('clause_id', 'like', `${clauseId}.%`)]));
  return q.orderBy('position').execute();
}

/** Substring search over id, Chinese and English text; every whitespace-separated term must match. */
export async function searchRequirements(db: Db, versionId: number, query: string) {
  const terms = query.toLowerCase().split(/\s+/).filter(Boolean).slice(0, 8);
  if (terms.length === 0) return [];
  let q = db.selectFrom('requirement').selectAll().where('version_id', '=', versionId);
  for (const term of terms) {
    const pattern = `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where(sql<boolean>`search_text like ${pattern} escape '\\'`);
  }
  return q.orderBy('position').limit(200).execute();
}

export async function catalogueOf(db: Db, versionId: number) {
  return db
    .selectFrom('doc_catalogue_entry')
    .selectAll()
    .where('version_id', '=', versionId)
    .orderBy('position')
    .execute();
}

export interface Bilingual {
  zh: string;
  en: string;
}

/** The API / export shape of one requirement. */
export function requirementDto(r: RequirementRow) {
  return {
    id: r.id,
    clause: r.clause_id,
    text: { zh: r.text_zh, en: r.text_en },
    ...(r.note_zh && { translatorNote: { zh: r.note_zh, en: r.note_en ?? '' } }),
    documentedInformation:
      r.doc_type === 'none'
        ? { type: 'none' as const }
        : { type: r.doc_type, what: { zh: r.doc_what_zh ?? '', en: r.doc_what_en ?? '' }, catalogue: r.doc_catalogue },
    evidence: JSON.parse(r.evidence_json) as Bilingual[],
    questions: JSON.parse(r.questions_json) as Bilingual[],
    references: JSON.parse(r.references_json) as string[],
    annexSL: r.annex_sl === 1,
  };
}
