// DATABASE_URL=postgres://… npm run migrate-to-postgres [-- <sqlite file>]
// Copies the SQLite installation (DATA_DIR/workbench.sqlite by default) into the EMPTY PostgreSQL database of DATABASE_URL.
import { resolve } from 'node:path';
import { MoveRefused, moveToPostgres } from '../src/db/to-postgres.js';
import { databaseUrl, liveSqliteFile, run } from './cli.js';

run(async () => {
  const url = databaseUrl();
  if (!url) {
    console.error('usage: DATABASE_URL=postgres://user@host/db npm run migrate-to-postgres [-- <sqlite file>]');
    return 2;
  }
  const from = process.argv[2] ? resolve(process.argv[2]) : liveSqliteFile();
  const target = new URL(url);
  target.password = target.password ? '***' : '';
  console.log(`Moving ${from} to ${target.toString()} (one transaction) …`);
  const started = performance.now();
  const counts = await moveToPostgres(from, url);
  const width = Math.max(...counts.map((c) => c.table.length));
  console.log(`\n${'table'.padEnd(width)}  ${'sqlite'.padStart(8)}  ${'postgres'.padStart(8)}`);
  for (const c of counts)
    console.log(`${c.table.padEnd(width)}  ${String(c.sqlite).padStart(8)}  ${String(c.postgres).padStart(8)}  ok`);
  const rows = counts.reduce((a, c) => a + c.postgres, 0);
  console.log(
    `\nAll ${counts.length} tables match: ${rows} rows copied in ${((performance.now() - started) / 1000).toFixed(1)} s.`,
  );
  console.log('Start the app with the same DATABASE_URL (and SESSION_SECRET) to use it.');
}, [MoveRefused]);
