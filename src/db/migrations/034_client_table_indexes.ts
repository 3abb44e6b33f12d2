import type { Kysely } from 'kysely';

// The consultant's table and "needs attention" at scale (issues 18 and 20): each reads one figure per organisation
// over every organisation a user is a member of, driven by `organization_id IN (SELECT … FROM membership WHERE
// user_id = ?)`. These indexes let each of those look-ups read only its own entries, without the table.
export async function up(db: Kysely<unknown>): Promise<void> {
  // A user's organisations, straight from the index (no look-up of each membership row).
  await db.schema
    .createIndex('membership_user_org_idx')
    .on('membership')
    .columns(['user_id', 'organization_id'])
    .execute();
  // Open nonconformities by grade, per organisation: the open majors and minors of the table.
  await db.schema
    .createIndex('finding_org_grade_idx')
    .on('finding')
    .columns(['organization_id', 'kind', 'grade', 'status'])
    .execute();
  // Proposals waiting for a decision: a handful among every proposal ever made.
  await db.schema.createIndex('nc_proposal_status_idx').on('nc_proposal').columns(['status', 'finding_id']).execute();
}
