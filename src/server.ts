import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { openDb } from './db/connect.js';
import { DatabaseFileError } from './db/sqlite-driver.js';
import { prepareDatabase } from './startup.js';
import { findUserByEmail } from './auth/queries.js';
import { bootstrapAdmin } from './users/queries.js';
import { loadDemo } from '../fixtures/demo.js';

async function main() {
  const started = performance.now();
  const config = loadConfig();
  const db = openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  await prepareDatabase(db);
  const created = await bootstrapAdmin(db, config.adminEmail, config.adminPassword);
  if (created && config.demoOrg && config.adminEmail) {
    const admin = await findUserByEmail(db, config.adminEmail);
    if (admin) await loadDemo(db, admin.id);
  }
  const app = await buildApp({ config, db });
  const address = await app.listen({ port: config.port, host: config.host });
  // Not awaited: the first run never holds up serving. A failed first look is the scheduled runs' to retry.
  app.jobs.start(config.jobIntervalMs).catch((err: unknown) => app.log.error({ err }, 'notification job not started'));
  app.log.info({ address, startupMs: Math.round(performance.now() - started) }, 'audit workbench ready');
  // One plain line for the person who started it, beside the JSON log.
  const host = ['0.0.0.0', '::', ''].includes(config.host) ? 'localhost' : config.host;
  console.log(`Open http://${host.includes(':') ? `[${host}]` : host}:${config.port}`);

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
