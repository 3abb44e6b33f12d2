import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { openDb } from './db/connect.js';
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
  // A bad configuration is the operator's to fix: say which variable, without a stack trace.
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
