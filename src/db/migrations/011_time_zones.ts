import type { Kysely } from 'kysely';

// Stored times stay UTC; what a person reads (dates, "due", "overdue") is computed in a time zone: the
// organisation's (default Asia/Shanghai, where most of our users work) and, for a user's own pages, theirs if set.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('organization')
    .addColumn('time_zone', 'text', (c) => c.notNull().defaultTo('Asia/Shanghai'))
    .execute();
  await db.schema.alterTable('app_user').addColumn('time_zone', 'text').execute();
}
