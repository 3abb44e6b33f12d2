import type { Kysely } from 'kysely';
import { withId } from './helpers.js';

// The auditee's part in 10.1 (issue 18): the owner of a nonconformity acknowledges it and proposes the reaction,
// the cause analysis and the actions; an auditor accepts or returns each proposal with a comment. Actions record how
// they were completed (note, date, evidence). Each organisation sets how soon a proposal is expected.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('finding').addColumn('acknowledged_at', 'text').execute();
  await db.schema
    .alterTable('finding')
    .addColumn('acknowledged_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
    .execute();

  await withId(db, db.schema.createTable('nc_proposal'))
    .addColumn('organization_id', 'integer', (c) => c.notNull().references('organization.id').onDelete('cascade'))
    .addColumn('finding_id', 'integer', (c) => c.notNull().references('finding.id').onDelete('cascade'))
    .addColumn('step', 'text', (c) => c.notNull()) // reaction | cause | actions
    .addColumn('round', 'integer', (c) => c.notNull())
    .addColumn('fields_json', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // pending | accepted | returned | superseded
    .addColumn('proposed_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('proposed_at', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('decided_at', 'text')
    .addColumn('comment', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema.createIndex('nc_proposal_finding_idx').on('nc_proposal').columns(['finding_id', 'id']).execute();
  await db.schema.createIndex('nc_proposal_org_idx').on('nc_proposal').columns(['organization_id', 'status']).execute();

  await db.schema
    .alterTable('organization_setting')
    .addColumn('proposal_due_days', 'integer', (c) => c.notNull().defaultTo(14))
    .execute();

  await db.schema.alterTable('action_item').addColumn('completed_on', 'text').execute();
  await db.schema
    .alterTable('action_item')
    .addColumn('completion_note', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema
    .createTable('action_evidence')
    .addColumn('action_id', 'integer', (c) => c.notNull().references('action_item.id').onDelete('cascade'))
    .addColumn('evidence_id', 'integer', (c) => c.notNull().references('evidence.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('action_evidence_pk', ['action_id', 'evidence_id'])
    .execute();
  await db.schema.createIndex('action_evidence_ev_idx').on('action_evidence').column('evidence_id').execute();
}
