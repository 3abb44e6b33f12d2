import { sql } from 'kysely';
import { type Db, isPostgres } from './connect.js';

// Without table statistics SQLite picks poor plans on large registers (it sorted 67,000 actions per export page);
// PRAGMA optimize gathers them only where they are missing or stale, within a bounded amount of work.
export async function refreshPlannerStatistics(db: Db) {
  if (isPostgres(db)) return; // PostgreSQL's autovacuum keeps its own statistics
  await sql`PRAGMA analysis_limit = 1000`.execute(db);
  await sql`PRAGMA optimize = 0x10002`.execute(db);
}
