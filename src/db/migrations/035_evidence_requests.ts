import type { Kysely } from 'kysely';
import { withId } from './helpers.js';

// Evidence requests (issue 18): an auditor asks a member of the auditee organisation for evidence on one or more
// checklist items of an audit, by a date; the addressee answers with a note and evidence from the library (picked or
// uploaded); the auditor accepts (the evidence is then linked to the items) or asks again with a comment.
export async function up(db: Kysely<unknown>): Promise<void> {
  await withId(db, db.schema.createTable('evidence_request'))
    .addColumn('organization_id', 'integer', (c) => c.notNull().references('organization.id').onDelete('cascade'))
    .addColumn('audit_id', 'integer', (c) => c.notNull().references('audit.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('need', 'text', (c) => c.notNull())
    .addColumn('addressee_id', 'integer', (c) => c.notNull().references('app_user.id'))
    .addColumn('due_date', 'text', (c) => c.notNull())
    // open | answered | returned | accepted | withdrawn (src/domain/evidence-request.ts)
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('app_user.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('evidence_request_seq_idx')
    .unique()
    .on('evidence_request')
    .columns(['audit_id', 'seq'])
    .execute();
  await db.schema
    .createIndex('evidence_request_addressee_idx')
    .on('evidence_request')
    .columns(['addressee_id', 'status'])
    .execute();

  await db.schema
    .createTable('evidence_request_item')
    .addColumn('request_id', 'integer', (c) => c.notNull().references('evidence_request.id').onDelete('cascade'))
    .addColumn('requirement_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('evidence_request_item_pk', ['request_id', 'requirement_id'])
    .execute();

  // One row per answer; the auditor's decision (accepted, or returned with a comment) is kept on the answer it judged.
  await withId(db, db.schema.createTable('evidence_request_answer'))
    .addColumn('request_id', 'integer', (c) => c.notNull().references('evidence_request.id').onDelete('cascade'))
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('answered_by', 'integer', (c) => c.references('app_user.id'))
    .addColumn('answered_at', 'text', (c) => c.notNull())
    // pending | accepted | returned | withdrawn
    .addColumn('decision', 'text', (c) => c.notNull())
    .addColumn('comment', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('decided_by', 'integer', (c) => c.references('app_user.id'))
    .addColumn('decided_at', 'text')
    .execute();
  await db.schema
    .createIndex('evidence_request_answer_request_idx')
    .on('evidence_request_answer')
    .column('request_id')
    .execute();

  await db.schema
    .createTable('evidence_request_answer_evidence')
    .addColumn('answer_id', 'integer', (c) => c.notNull().references('evidence_request_answer.id').onDelete('cascade'))
    .addColumn('evidence_id', 'integer', (c) => c.notNull().references('evidence.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('evidence_request_answer_evidence_pk', ['answer_id', 'evidence_id'])
    .execute();
}
