import type { Kysely } from 'kysely';

// The SHA-256 of each checklist file's bytes once it has been loaded: a start-up whose files are all known skips
// parsing and validating the YAML (~200 ms of the 2 s start-up budget). One version may come from several files
// (an edit to a comment changes the bytes, not the checklist).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('checklist_source')
    .addColumn('source_hash', 'text', (c) => c.primaryKey())
    .addColumn('version_id', 'integer', (c) => c.notNull().references('checklist_version.id'))
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('loaded_at', 'text', (c) => c.notNull())
    .execute();
}
