import type { Kysely } from 'kysely';

// Clause titles the standard does not have (it numbers the paragraph without a title) are ours: a clause row says
// where its title comes from, so that the API and the pages can tell them apart ('standard' | 'editorial').
// The English paraphrase under a Chinese requirement (and the Chinese under an English one) is hidden unless the
// user asks for it on their account page.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('clause')
    .addColumn('title_source', 'text', (c) => c.notNull().defaultTo('standard'))
    .execute();
  await db.schema
    .alterTable('app_user')
    .addColumn('show_other_language', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}
