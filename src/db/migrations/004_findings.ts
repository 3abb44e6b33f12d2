import type { Kysely } from 'kysely';
import { withId } from './helpers.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Per-organisation defaults: days to close a major / minor nonconformity.
  await db.schema
    .createTable('organization_setting')
    .addColumn('organization_id', 'integer', (c) => c.primaryKey().references('organization.id').onDelete('cascade'))
    .addColumn('major_due_days', 'integer', (c) => c.notNull().defaultTo(30))
    .addColumn('minor_due_days', 'integer', (c) => c.notNull().defaultTo(60))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  // A finding: nonconformity (with the 10.1 lifecycle in `status`), observation or opportunity for improvement.
  await withId(db, db.schema.createTable('finding'))
    .addColumn('organization_id', 'integer', (c) => c.notNull().references('organization.id').onDelete('cascade'))
    .addColumn('ref', 'text', (c) => c.notNull()) // stable human id, e.g. F-12-3 (audit 12) or F-ACME-4 (other sources)
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('audit_id', 'integer', (c) => c.references('audit.id').onDelete('cascade'))
    .addColumn('response_id', 'integer', (c) => c.references('audit_response.id').onDelete('set null'))
    .addColumn('requirement_id', 'text')
    .addColumn('clause_id', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('source_reference', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('grade', 'text')
    .addColumn('statement_requirement', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('statement_evidence', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('statement_nonconformity', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('owner_user_id', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('process_id', 'integer', (c) => c.references('process.id').onDelete('set null'))
    .addColumn('service_id', 'integer', (c) => c.references('service.id').onDelete('set null'))
    .addColumn('other_party_id', 'integer', (c) => c.references('other_party.id').onDelete('set null'))
    .addColumn('due_date', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('round', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('raised_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('raised_on', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('finding_ref_uq', ['organization_id', 'ref'])
    .execute();
  await db.schema.createIndex('finding_org_idx').on('finding').columns(['organization_id', 'kind', 'status']).execute();
  await db.schema.createIndex('finding_audit_idx').on('finding').column('audit_id').execute();

  // 10.1.2: every transition of a nonconformity, with who, when and what was entered.
  await withId(db, db.schema.createTable('nc_transition'))
    .addColumn('organization_id', 'integer', (c) => c.notNull().references('organization.id').onDelete('cascade'))
    .addColumn('finding_id', 'integer', (c) => c.notNull().references('finding.id').onDelete('cascade'))
    .addColumn('from_status', 'text', (c) => c.notNull())
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('requested', 'text', (c) => c.notNull())
    .addColumn('round', 'integer', (c) => c.notNull())
    .addColumn('fields_json', 'text', (c) => c.notNull())
    .addColumn('user_id', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('nc_transition_finding_idx').on('nc_transition').column('finding_id').execute();

  // 9.3: a management review, its period, attendees, narratives for the inputs the system cannot know, minutes.
  await withId(db, db.schema.createTable('management_review'))
    .addColumn('organization_id', 'integer', (c) => c.notNull().references('organization.id').onDelete('cascade'))
    .addColumn('ref', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('held_on', 'text', (c) => c.notNull())
    .addColumn('period_start', 'text', (c) => c.notNull())
    .addColumn('period_end', 'text', (c) => c.notNull())
    .addColumn('attendees', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('narratives_json', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('minutes', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('management_review_ref_uq', ['organization_id', 'ref'])
    .execute();

  // Tracked actions: corrective actions of a nonconformity (10.1.1 c) and outputs of a management review (9.3).
  await withId(db, db.schema.createTable('action_item'))
    .addColumn('organization_id', 'integer', (c) => c.notNull().references('organization.id').onDelete('cascade'))
    .addColumn('ref', 'text', (c) => c.notNull())
    .addColumn('finding_id', 'integer', (c) => c.references('finding.id').onDelete('cascade'))
    .addColumn('review_id', 'integer', (c) => c.references('management_review.id').onDelete('cascade'))
    .addColumn('output_type', 'text') // review outputs: improvement | sms_change | resource_need
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('owner_user_id', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('due_date', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('sms_change', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('round', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('completed_at', 'text')
    .addUniqueConstraint('action_item_ref_uq', ['organization_id', 'ref'])
    .execute();
  await db.schema.createIndex('action_item_org_idx').on('action_item').columns(['organization_id', 'status']).execute();
  await db.schema.createIndex('action_item_finding_idx').on('action_item').column('finding_id').execute();
  await db.schema.createIndex('action_item_review_idx').on('action_item').column('review_id').execute();

  // 10.2: the register of improvement opportunities.
  await withId(db, db.schema.createTable('improvement'))
    .addColumn('organization_id', 'integer', (c) => c.notNull().references('organization.id').onDelete('cascade'))
    .addColumn('ref', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('finding_id', 'integer', (c) => c.references('finding.id').onDelete('set null'))
    .addColumn('review_id', 'integer', (c) => c.references('management_review.id').onDelete('set null'))
    .addColumn('evaluation_criteria', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('decision', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('decision_notes', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('targets_json', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('target', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('priority', 'text', (c) => c.notNull().defaultTo('medium'))
    .addColumn('plan', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('owner_user_id', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('due_date', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('measured_result', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('target_met', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('sms_change', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('improvement_ref_uq', ['organization_id', 'ref'])
    .execute();
  await db.schema.createIndex('improvement_org_idx').on('improvement').column('organization_id').execute();

  // 9.3 e): feedback from customers and other interested parties.
  await withId(db, db.schema.createTable('feedback'))
    .addColumn('organization_id', 'integer', (c) => c.notNull().references('organization.id').onDelete('cascade'))
    .addColumn('received_on', 'text', (c) => c.notNull())
    .addColumn('party', 'text', (c) => c.notNull())
    .addColumn('party_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('service_id', 'integer', (c) => c.references('service.id').onDelete('set null'))
    .addColumn('created_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('feedback_org_idx').on('feedback').columns(['organization_id', 'received_on']).execute();
}
