import { type Kysely, sql } from 'kysely';
import { withId } from './helpers.js';

// The audit plan (ISO 19011 6.3.2): sessions of an audit with date, times, place, clauses, processes, auditors and the
// auditee people expected; opening and closing meetings are sessions of their own kind with attendance. Once the plan
// has been shared with the auditee, every change to it is kept (the report lists them as deviations from the plan).
export async function up(db: Kysely<unknown>): Promise<void> {
  await withId(db, db.schema.createTable('audit_plan_session'))
    .addColumn('audit_id', 'integer', (c) => c.notNull().references('audit.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('session'))
    .addColumn('session_date', 'text', (c) => c.notNull())
    .addColumn('start_time', 'text', (c) => c.notNull())
    .addColumn('end_time', 'text', (c) => c.notNull())
    .addColumn('place', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('clauses_json', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('process_ids_json', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('auditor_ids_json', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('auditees_json', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('attendance_json', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('created_at', 'text', (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP`))
    .addColumn('updated_at', 'text', (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP`))
    .execute();
  await db.schema
    .createIndex('audit_plan_session_audit_idx')
    .on('audit_plan_session')
    .columns(['audit_id', 'session_date', 'start_time'])
    .execute();
  await withId(db, db.schema.createTable('audit_plan_share'))
    .addColumn('audit_id', 'integer', (c) => c.notNull().references('audit.id').onDelete('cascade'))
    .addColumn('shared_at', 'text', (c) => c.notNull())
    .addColumn('shared_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
    .execute();
  await withId(db, db.schema.createTable('audit_plan_change'))
    .addColumn('audit_id', 'integer', (c) => c.notNull().references('audit.id').onDelete('cascade'))
    .addColumn('session_id', 'integer', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('before_json', 'text')
    .addColumn('after_json', 'text')
    .addColumn('changed_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('changed_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_plan_change_audit_idx').on('audit_plan_change').column('audit_id').execute();
}
