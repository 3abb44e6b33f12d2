// npm run backup [-- <file or folder>]: a verified copy of the SQLite database, safe while the app runs.
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { backupName, backupSqlite, defaultBackupFile } from '../src/db/backup.js';
import { databaseUrl, dataDir, liveSqliteFile, megabytes, run } from './cli.js';

run(async () => {
  if (databaseUrl()) {
    console.error(
      'DATABASE_URL selects PostgreSQL: back it up with  pg_dump -Fc "$DATABASE_URL" > workbench.dump  (see README).',
    );
    return 2;
  }
  const arg = process.argv[2];
  const target = !arg
    ? defaultBackupFile(dataDir())
    : existsSync(arg) && statSync(arg).isDirectory()
      ? join(resolve(arg), backupName())
      : resolve(arg);
  const { file, bytes, check } = await backupSqlite(liveSqliteFile(), target);
  const r = check.rows;
  console.log(`Backup written: ${file} (${megabytes(bytes)})`);
  console.log(
    `Verified: integrity_check ok, ${Object.keys(r).length} tables, ${r.app_user ?? 0} users, ${r.organization ?? 0} organisations, ` +
      `${r.evidence_file ?? 0} evidence files, ${r.audit_response ?? 0} audit responses`,
  );
});
