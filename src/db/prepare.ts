import { loadStandards } from '../checklists/load.js';
import { syncStandards } from '../checklists/queries.js';
import type { Db } from './connect.js';
import { migrate } from './migrate.js';

/** Everything a database needs before the app serves from it: schema migrations, then the standards' data. */
export async function prepareDatabase(db: Db) {
  await migrate(db);
  return syncStandards(db, loadStandards());
}
