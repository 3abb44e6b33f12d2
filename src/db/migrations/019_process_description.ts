import type { Kysely } from 'kysely';

// A process is described, not only named: what it covers is what an auditor samples against (issue 17).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('process')
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
}
