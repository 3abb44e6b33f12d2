import type { Kysely } from 'kysely';
import { withId } from './helpers.js';

// Issue 19: single sign-on and a second factor. A session says how it was opened (a password, a password and a
// second factor, single sign-on): administrators who must use a second factor are held to it only after a password.
// The second factor's secret is kept encrypted (src/auth/secret-box.ts); recovery codes only as hashes. A sign-in
// that passed the password but not yet the second factor is a short-lived row named by a cookie of that browser.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('session')
    .addColumn('via', 'text', (c) => c.notNull().defaultTo('password'))
    .execute();

  await db.schema
    .createTable('second_factor')
    .addColumn('user_id', 'integer', (c) => c.primaryKey().references('app_user.id').onDelete('cascade'))
    .addColumn('secret_box', 'text', (c) => c.notNull())
    .addColumn('confirmed_at', 'text')
    .addColumn('last_time_step', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await withId(db, db.schema.createTable('recovery_code'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();
  await db.schema.createIndex('recovery_code_user_idx').on('recovery_code').column('user_id').execute();

  await db.schema
    .createTable('pending_sign_in')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    .addColumn('next', 'text', (c) => c.notNull().defaultTo('/'))
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
}
