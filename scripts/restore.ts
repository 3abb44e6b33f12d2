// npm run restore -- <backup file>: puts a verified backup in place of the SQLite database (the app must be stopped).
import { resolve } from 'node:path';
import { RestoreRefused, restoreSqlite } from '../src/db/backup.js';
import { databaseUrl, liveSqliteFile, run } from './cli.js';

run(async () => {
  if (databaseUrl()) {
    console.error(
      'DATABASE_URL selects PostgreSQL: restore with  pg_restore --clean --if-exists -d "$DATABASE_URL" workbench.dump  (see README).',
    );
    return 2;
  }
  const arg = process.argv[2];
  if (!arg) {
    console.error('usage: npm run restore -- <backup file>');
    return 2;
  }
  const live = liveSqliteFile();
  const { previous, check } = await restoreSqlite(resolve(arg), live);
  const r = check.rows;
  console.log(`Restored ${resolve(arg)} to ${live}`);
  console.log(
    `  ${r.app_user ?? 0} users, ${r.organization ?? 0} organisations, ${r.evidence_file ?? 0} evidence files, ${r.audit_response ?? 0} audit responses`,
  );
  if (previous) console.log(`The database it replaced is kept as ${previous}`);
}, [RestoreRefused]);
