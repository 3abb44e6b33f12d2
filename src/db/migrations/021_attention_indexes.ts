import type { Kysely } from 'kysely';

// "Needs attention" looks things up by person (what I own, what I am on) and by review date, across all of a
// consultant's organisations; without these the home page would read every finding and action of every client.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('finding_owner_idx').on('finding').columns(['owner_user_id', 'kind', 'status']).execute();
  await db.schema.createIndex('finding_response_idx').on('finding').column('response_id').execute();
  await db.schema.createIndex('action_item_owner_idx').on('action_item').columns(['owner_user_id', 'status']).execute();
  await db.schema.createIndex('audit_lead_idx').on('audit').columns(['lead_auditor_id', 'status']).execute();
  await db.schema.createIndex('audit_team_user_idx').on('audit_team').column('user_id').execute();
  await db.schema
    .createIndex('evidence_review_idx')
    .on('evidence')
    .columns(['organization_id', 'next_review_on'])
    .execute();
}
