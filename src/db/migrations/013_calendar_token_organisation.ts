import type { Kysely } from 'kysely';

// A calendar token opens the feed of the organisation it was made for, and nothing else (issue 14): the token
// remembers that organisation. Calendar tokens made before this migration have none and are refused by the feed;
// their users make a new link on the reports page.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('api_token')
    .addColumn('organization_id', 'integer', (c) => c.references('organization.id').onDelete('cascade'))
    .execute();
}
