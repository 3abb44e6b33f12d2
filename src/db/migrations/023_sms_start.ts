import type { Kysely } from 'kysely';

// The date the organisation's service management system started operating: a certification application in China
// needs at least three months of operation (issue 18, certification readiness).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('organization').addColumn('sms_started_on', 'text').execute();
}
