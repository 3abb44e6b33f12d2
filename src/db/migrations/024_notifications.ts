import type { Kysely } from 'kysely';
import { withId } from './helpers.js';

// In-app notifications (issue 18): one row per recipient and event, stored as a kind with parameters so the text is
// written in the reader's language when it is read. Reminders carry a key unique per recipient (kind, subject,
// due date, step): the reminder job inserts them with ON CONFLICT DO NOTHING, so however many instances run it, and
// however late, each reminder exists once. Mail delivery state lives on the row too (the outbox of issue 18's e-mail).
export async function up(db: Kysely<unknown>): Promise<void> {
  await withId(db, db.schema.createTable('notification'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    .addColumn('organization_id', 'integer', (c) => c.references('organization.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('params_json', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('dedupe_key', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('read_at', 'text')
    // new (the mail job has not looked at it) | sending | sent | digest (waits for the daily digest) | skipped
    .addColumn('mail_state', 'text', (c) => c.notNull().defaultTo('new'))
    .addColumn('mail_claimed_at', 'text')
    .execute();
  await db.schema
    .createIndex('notification_dedupe_idx')
    .unique()
    .on('notification')
    .columns(['user_id', 'dedupe_key'])
    .execute();
  await db.schema.createIndex('notification_user_idx').on('notification').columns(['user_id', 'read_at']).execute();
  await db.schema.createIndex('notification_mail_idx').on('notification').columns(['mail_state', 'id']).execute();
}
