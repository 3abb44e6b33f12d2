import type { Kysely } from 'kysely';

// Sign-in throttle (issue 14): one row per counted key — an address, an account, an account from one address — shared
// by every app instance through the database. Attempts are counted in one statement (an upsert) before the password
// is checked, so parallel attempts cannot slip past the count. Replaces the lock-out of login_attempt (left unused).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sign_in_throttle')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('last_at', 'text', (c) => c.notNull())
    .addColumn('previous_at', 'text')
    .execute();
}
