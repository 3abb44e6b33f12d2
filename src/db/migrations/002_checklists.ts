import type { Kysely } from 'kysely';
import { withId } from './helpers.js';

// Checklist content is versioned by content hash: rows are never changed, a new version gets new rows.
export async function up(db: Kysely<unknown>): Promise<void> {
  await withId(db, db.schema.createTable('checklist_version'))
    .addColumn('standard_code', 'text', (c) => c.notNull())
    .addColumn('edition', 'text', (c) => c.notNull())
    .addColumn('title_zh', 'text', (c) => c.notNull())
    .addColumn('title_en', 'text', (c) => c.notNull())
    .addColumn('exclusion_zh', 'text', (c) => c.notNull())
    .addColumn('exclusion_en', 'text', (c) => c.notNull())
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('checklist_version_hash_uq', ['standard_code', 'content_hash'])
    .execute();

  await db.schema
    .createTable('clause')
    .addColumn('version_id', 'integer', (c) => c.notNull().references('checklist_version.id'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('parent_id', 'text')
    .addColumn('title_zh', 'text', (c) => c.notNull())
    .addColumn('title_en', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('clause_pk', ['version_id', 'id'])
    .execute();

  await db.schema
    .createTable('requirement')
    .addColumn('version_id', 'integer', (c) => c.notNull().references('checklist_version.id'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('clause_id', 'text', (c) => c.notNull())
    .addColumn('top_clause', 'text', (c) => c.notNull())
    .addColumn('text_zh', 'text', (c) => c.notNull())
    .addColumn('text_en', 'text', (c) => c.notNull())
    .addColumn('doc_type', 'text', (c) => c.notNull())
    .addColumn('doc_what_zh', 'text')
    .addColumn('doc_what_en', 'text')
    .addColumn('doc_catalogue', 'text')
    .addColumn('evidence_json', 'text', (c) => c.notNull())
    .addColumn('questions_json', 'text', (c) => c.notNull())
    .addColumn('references_json', 'text', (c) => c.notNull())
    .addColumn('annex_sl', 'integer', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('search_text', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('requirement_pk', ['version_id', 'id'])
    .execute();
  await db.schema
    .createIndex('requirement_clause_idx')
    .on('requirement')
    .columns(['version_id', 'clause_id'])
    .execute();

  await db.schema
    .createTable('doc_catalogue_entry')
    .addColumn('version_id', 'integer', (c) => c.notNull().references('checklist_version.id'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('title_zh', 'text', (c) => c.notNull())
    .addColumn('title_en', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('doc_catalogue_entry_pk', ['version_id', 'key'])
    .execute();
}
