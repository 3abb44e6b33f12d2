import type { Kysely } from 'kysely';

// E-mail for notifications (issue 18): each person chooses one message per event, a daily digest, or none, and may
// unsubscribe from single kinds. The day of the last digest is kept so that only one instance sends it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('app_user')
    .addColumn('mail_mode', 'text', (c) => c.notNull().defaultTo('each')) // each | digest | off
    .execute();
  await db.schema.alterTable('app_user').addColumn('mail_digest_on', 'text').execute();
  await db.schema
    .createTable('mail_unsubscribe')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('mail_unsubscribe_pk', ['user_id', 'kind'])
    .execute();
}
