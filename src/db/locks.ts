import type { Db } from './connect.js';
import { toCount } from './time.js';

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

/** The next number of an organisation's register (MR-n, IMP-n): taken in turn, so two creators never get the same. */
export async function nextRegisterSeq(
  trx: Db,
  table: 'improvement' | 'management_review',
  orgId: number,
): Promise<number> {
  await serialiseForOrganisation(trx, orgId);
  const max = await trx
    .selectFrom(table)
    .select((eb) => eb.fn.max('seq').as('m'))
    .where('organization_id', '=', orgId)
    .executeTakeFirst();
  return toCount(max?.m) + 1;
}
