import { type Kysely, sql } from 'kysely';
import { withId } from './helpers.js';

// Acceptance of an issued report (issue 15): the lead auditor, and optionally the auditee's representative, accept
// a revision; the sign-off block shows who accepted it and when.
export async function up(db: Kysely<unknown>): Promise<void> {
  await withId(db, db.schema.createTable('audit_acceptance'))
    .addColumn('audit_id', 'integer', (c) => c.notNull().references('audit.id').onDelete('cascade'))
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('accepted_at', 'text', (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP`))
    .addUniqueConstraint('audit_acceptance_once', ['audit_id', 'revision', 'role'])
    .execute();
}
