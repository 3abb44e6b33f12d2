import { parseStandard, readStandardSources } from './checklists/load.js';
import { knownSources, syncStandards } from './checklists/queries.js';
import type { Db } from './db/connect.js';
import { migrate } from './db/migrate.js';
import { refreshPlannerStatistics } from './db/statistics.js';

// Start-up orchestration sits above the layers it uses: the database layer migrates, the checklists area loads the
// standard; neither calls the other. The server, the tests, the scripts and the bench all prepare a database here.

/** Everything a database needs before the app serves from it: schema migrations, then the standards' data. */
export async function prepareDatabase(db: Db) {
  await migrate(db); // the migrator holds a lock, so instances starting together take turns
  // A file already loaded (same bytes) needs no parsing: it was validated when it was loaded.
  const sources = readStandardSources();
  const known = await knownSources(
    db,
    sources.map((s) => s.sourceHash),
  );
  const standards = sources.filter((s) => !known.has(s.sourceHash)).map((s) => parseStandard(s.text, s.file));
  try {
    const loaded = await syncStandards(db, standards);
    await refreshPlannerStatistics(db);
    return loaded;
  } catch (err) {
    // Two instances starting together on an empty database both try to load the same checklist version;
    // the loser's insert hits the unique (standard, content hash) key. The winner's rows are the same data,
    // so a second pass finds them. Any other error fails the second pass again and is reported.
    return syncStandards(db, standards).catch(() => Promise.reject(err));
  }
}
