import { loadStandards } from '../checklists/load.js';
import { syncStandards } from '../checklists/queries.js';
import type { Db } from './connect.js';
import { migrate } from './migrate.js';

/** Everything a database needs before the app serves from it: schema migrations, then the standards' data. */
export async function prepareDatabase(db: Db) {
  await migrate(db); // the migrator holds a lock, so instances starting together take turns
  const standards = loadStandards();
  try {
    return await syncStandards(db, standards);
  } catch (err) {
    // Two instances starting together on an empty database both try to load the same checklist version;
    // the loser's insert hits the unique (standard, content hash) key. The winner's rows are the same data,
    // so a second pass finds them. Any other error fails the second pass again and is reported.
    return syncStandards(db, standards).catch(() => Promise.reject(err));
  }
}
