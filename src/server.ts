import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { openDb } from './db/connect.js';
import { DatabaseFileError } from './db/sqlite-driver.js';
import { prepareDatabase } from './startup.js';
import { bootstrapAdmin } from './users/queries.js';

async function main() {
  const started = performance.now();
  const config = loadConfig();
  const db = openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  await prepareDatabase(db);
  await bootstrapAdmin(db, config.adminEmail, config.adminPassword);
  const app = await buildApp({ config, db });
  const address = await app.listen({ port: config.port, host: config.host });
  app.log.info({ address, startupMs: Math.round(performance.now() - started) }, 'audit workbench ready');

  const stop = async () => {
    await app.close();
    await db.destroy();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err) => {
  // A bad configuration, a read-only database file or a full disk are the operator's to fix: say what and where,
  // without a stack trace.
  const code = String((err as { code?: string }).code ?? '');
  if (err instanceof ConfigError || err instanceof DatabaseFileError) console.error(err.message);
  else if (/^SQLITE_FULL|^ENOSPC/.test(code))
    console.error(
      `The disk holding the database is full (${code}): free some space and start again. Nothing was changed.`,
    );
  else if (/^SQLITE_READONLY/.test(code))
    console.error(`The database cannot be written (${code}): check the permissions of DATA_DIR and its files.`);
  else console.error(err);
  process.exit(1);
});
