import type { Kysely } from 'kysely';

// A translator's note (where the published Chinese translation slips) is kept apart from the requirement's text, so
// that pages and documents show it as ours and nobody quotes it as the standard's words (issue 16). Versions loaded
// before this kept the note inside the text, and audits keep the version they were created with.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('requirement').addColumn('note_zh', 'text').execute();
  await db.schema.alterTable('requirement').addColumn('note_en', 'text').execute();
}
