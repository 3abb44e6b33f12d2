import type { Kysely } from 'kysely';
import { blobType, withId } from './helpers.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  // 9.2.2: the audit programme of a period, with what it considers (process importance, changes, previous results).
  await withId(db, db.schema.createTable('audit_programme'))
    .addColumn('organization_id', 'integer', (c) => c.notNull().references('organization.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('period_start', 'text', (c) => c.notNull())
    .addColumn('period_end', 'text', (c) => c.notNull())
    .addColumn('objectives', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('criteria', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('frequency', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('methods', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('responsibilities', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('planning_requirements', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('reporting', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('process_importance', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('changes_affecting', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('previous_results', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_programme_org_idx').on('audit_programme').column('organization_id').execute();

  await withId(db, db.schema.createTable('audit'))
    .addColumn('organization_id', 'integer', (c) => c.notNull().references('organization.id').onDelete('cascade'))
    .addColumn('programme_id', 'integer', (c) => c.references('audit_programme.id').onDelete('set null'))
    .addColumn('checklist_version_id', 'integer', (c) => c.notNull().references('checklist_version.id'))
    .addColumn('baseline_audit_id', 'integer', (c) => c.references('audit.id').onDelete('set null'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('scope_clauses', 'text', (c) => c.notNull()) // JSON array of clause ids
    .addColumn('scope_processes', 'text', (c) => c.notNull().defaultTo('[]')) // JSON array of process ids
    .addColumn('scope_services', 'text', (c) => c.notNull().defaultTo('[]')) // JSON array of service ids
    .addColumn('criteria', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('objectives', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('lead_auditor_id', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('planned_start', 'text')
    .addColumn('planned_end', 'text')
    .addColumn('actual_start', 'text')
    .addColumn('actual_end', 'text')
    .addColumn('summary', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('conclusion', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('issued_at', 'text')
    .addColumn('created_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_org_idx').on('audit').columns(['organization_id', 'status']).execute();
  await db.schema.createIndex('audit_programme_idx').on('audit').column('programme_id').execute();

  await db.schema
    .createTable('audit_team')
    .addColumn('audit_id', 'integer', (c) => c.notNull().references('audit.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('audit_team_pk', ['audit_id', 'user_id'])
    .execute();

  // Which auditor audits which process (9.2.2 c: never their own).
  await db.schema
    .createTable('audit_assignment')
    .addColumn('audit_id', 'integer', (c) => c.notNull().references('audit.id').onDelete('cascade'))
    .addColumn('process_id', 'integer', (c) => c.notNull().references('process.id').onDelete('cascade'))
    .addColumn('auditor_id', 'integer', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('audit_assignment_pk', ['audit_id', 'process_id', 'auditor_id'])
    .execute();

  await withId(db, db.schema.createTable('audit_response'))
    .addColumn('audit_id', 'integer', (c) => c.notNull().references('audit.id').onDelete('cascade'))
    .addColumn('requirement_id', 'text', (c) => c.notNull())
    .addColumn('verdict', 'text', (c) => c.notNull().defaultTo('not_assessed'))
    .addColumn('implementation_level', 'integer')
    .addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('samples', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('interviewees', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0)) // optimistic lock: a stale save is refused
    .addColumn('answered_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('answered_at', 'text')
    .addUniqueConstraint('audit_response_uq', ['audit_id', 'requirement_id'])
    .execute();

  // A frozen copy of the audit at each issue: the earlier revision stays as it was.
  await db.schema
    .createTable('audit_revision')
    .addColumn('audit_id', 'integer', (c) => c.notNull().references('audit.id').onDelete('cascade'))
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('snapshot_json', 'text', (c) => c.notNull())
    .addColumn('issued_at', 'text', (c) => c.notNull())
    .addColumn('issued_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
    .addPrimaryKeyConstraint('audit_revision_pk', ['audit_id', 'revision'])
    .execute();

  // 7.5: evidence content lives in the database, so backups, PostgreSQL and several app instances need no shared disk.
  await withId(db, db.schema.createTable('evidence_file'))
    .addColumn('organization_id', 'integer', (c) => c.notNull().references('organization.id').onDelete('cascade'))
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('content', blobType(db), (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('evidence_file_uq', ['organization_id', 'sha256'])
    .execute();

  await withId(db, db.schema.createTable('evidence'))
    .addColumn('organization_id', 'integer', (c) => c.notNull().references('organization.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('version_label', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('owner', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('approved_on', 'text')
    .addColumn('next_review_on', 'text')
    .addColumn('location', 'text', (c) => c.notNull().defaultTo('')) // where it lives when no file is uploaded
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('file_id', 'integer', (c) => c.references('evidence_file.id'))
    .addColumn('file_name', 'text')
    .addColumn('created_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('evidence_org_idx').on('evidence').column('organization_id').execute();

  // Evidence supports checklist items (by stable requirement id) and audit responses.
  await db.schema
    .createTable('evidence_requirement')
    .addColumn('evidence_id', 'integer', (c) => c.notNull().references('evidence.id').onDelete('cascade'))
    .addColumn('requirement_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('evidence_requirement_pk', ['evidence_id', 'requirement_id'])
    .execute();
  await db.schema
    .createIndex('evidence_requirement_req_idx')
    .on('evidence_requirement')
    .column('requirement_id')
    .execute();

  await db.schema
    .createTable('response_evidence')
    .addColumn('response_id', 'integer', (c) => c.notNull().references('audit_response.id').onDelete('cascade'))
    .addColumn('evidence_id', 'integer', (c) => c.notNull().references('evidence.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('response_evidence_pk', ['response_id', 'evidence_id'])
    .execute();
  await db.schema.createIndex('response_evidence_ev_idx').on('response_evidence').column('evidence_id').execute();
}
