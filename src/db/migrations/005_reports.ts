import type { Kysely } from 'kysely';

// A questionnaire upload between its preview and its confirmation: the parsed changes stay on the server, keyed by a
// random id and bound to the audit and the user, so the confirmation never trusts anything the browser sends back.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('questionnaire_import')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'integer', (c) => c.notNull().references('organization.id').onDelete('cascade'))
    .addColumn('audit_id', 'integer', (c) => c.notNull().references('audit.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    .addColumn('file_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('changes_json', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('questionnaire_import_audit_idx')
    .on('questionnaire_import')
    .columns(['audit_id', 'user_id'])
    .execute();
}
