import type { Kysely } from 'kysely';

// When each background job last finished a run (src/notifications/jobs.ts). At 2,000 organisations the reminder run
// reads some 200,000 open nonconformities and actions and offers each its reminder again (issue 20: 2.2 s of CPU in
// front of the first answer after every start). A start within one interval of the last run, with no organisation's
// date changed since, has nothing to catch up that the next scheduled run would not send.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('job_run')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('finished_at', 'text', (c) => c.notNull())
    .execute();
}
