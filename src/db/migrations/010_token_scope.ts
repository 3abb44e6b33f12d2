import type { Kysely } from 'kysely';

// What a token may do. 'api': the whole API as its user, in the Authorization header. 'calendar': only the audit
// programme's .ics feed, in the URL (`?token=`), because calendar apps cannot send headers — a URL is copied into
// calendar services and logs, so the credential it carries must not open anything else.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('api_token')
    .addColumn('scope', 'text', (c) => c.notNull().defaultTo('api'))
    .execute();
}
