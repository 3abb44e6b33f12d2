import type { Kysely } from 'kysely';
import { withId } from './helpers.js';

// Invitations (issue 14): an organisation's administrator invites an e-mail address; the person joins only when they
// accept it after signing in, so no client can enrol another client's user, nor learn which addresses have accounts.
// login_attempt has been unused since the sign-in throttle (migration 012) replaced the lock-out: it goes.
export async function up(db: Kysely<unknown>): Promise<void> {
  await withId(db, db.schema.createTable('invitation'))
    .addColumn('organization_id', 'integer', (c) => c.notNull().references('organization.id').onDelete('cascade'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('invited_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('invitation_org_email_uq', ['organization_id', 'email'])
    .execute();
  await db.schema.createIndex('invitation_email_idx').on('invitation').column('email').execute();
  await db.schema.dropTable('login_attempt').ifExists().execute();
}
