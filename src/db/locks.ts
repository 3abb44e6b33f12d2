import type { Db } from './connect.js';

/**
 * Makes concurrent transactions of one organisation take turns: a no-op update of its row holds a row lock until
 * commit on PostgreSQL (SQLite already runs one write transaction at a time). Call it first in a transaction that
 * numbers records "max + 1" (finding, review and improvement refs), so two creators never read the same maximum, or
 * that checks and then changes memberships (one membership per person, never no admin).
 */
export async function serialiseForOrganisation(trx: Db, orgId: number): Promise<void> {
  await trx
    .updateTable('organization')
    .set((eb) => ({ code: eb.ref('code') }))
    .where('id', '=', orgId)
    .execute();
}
