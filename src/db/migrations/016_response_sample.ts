import type { Kysely } from 'kysely';

// The sample behind a checklist answer (ISO 19011 A.6; issue 15): population, size, how it was chosen, the sample's
// references and the result, as JSON ('' when none was recorded). The report's sampling statement is built from them.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('audit_response')
    .addColumn('sample_json', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
}
