import type { Kysely } from 'kysely';

// Indexes for the registers at consultancy scale (200 organisations, 40,000 nonconformities; see bench/README.md),
// each found with EXPLAIN QUERY PLAN on the benchmark data set. Without them a register page reads and sorts every
// nonconformity of every organisation to show its first 100 rows.
//
// The register indexes lead with the display order (so a page is a short index walk that stops at its last row) and
// carry the columns the usual filters test (status, grade, due date, organisation, owner), so filters and counts are
// answered from the index without reading the rows.
export async function up(db: Kysely<unknown>): Promise<void> {
  // Nonconformity register, newest first: across the user's organisations, and for one organisation.
  await db.schema
    .createIndex('finding_register_idx')
    .on('finding')
    .columns(['kind', 'raised_on', 'id', 'status', 'grade', 'due_date', 'organization_id', 'owner_user_id'])
    .execute();
  await db.schema
    .createIndex('finding_org_register_idx')
    .on('finding')
    .columns(['organization_id', 'kind', 'raised_on', 'id', 'status', 'grade', 'due_date', 'owner_user_id'])
    .execute();
  // Nonconformities in id order (the register export reads them in keyset pages of ids): one range scan, no sort.
  await db.schema.createIndex('finding_kind_idx').on('finding').columns(['kind', 'id']).execute();
  // Action register, soonest due first: across organisations, and for one organisation.
  await db.schema
    .createIndex('action_item_register_idx')
    .on('action_item')
    .columns(['due_date', 'id', 'status', 'organization_id', 'owner_user_id'])
    .execute();
  await db.schema
    .createIndex('action_item_org_register_idx')
    .on('action_item')
    .columns(['organization_id', 'due_date', 'id', 'status', 'owner_user_id'])
    .execute();
}
