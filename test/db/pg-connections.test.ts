import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { type Db, openDb } from '../../src/db/connect.js';
import { prepareDatabase } from '../../src/startup.js';
import { openTestDb, testConfig } from '../helpers.js';
import type { TestDb } from '../test-db.js';

// The database server may close connections at any time (restart, failover, a proxy's idle timeout).
describe.skipIf(!process.env.DATABASE_URL)('PostgreSQL connections closed by the server', () => {
  let scratch: TestDb;
  let db: Db;
  const dropped: Error[] = [];

  beforeAll(async () => {
    scratch = await openTestDb();
    await prepareDatabase(scratch.db);
    db = openDb({ databaseUrl: scratch.url, onIdleError: (e) => dropped.push(e) });
  });
  afterAll(async () => {
    await db?.destroy();
    await scratch?.drop();
  });

  it('keeps the app serving after its idle connections are terminated', async () => {
    const app = await buildApp({ config: testConfig(), db });
    try {
      expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
      const name = new URL(scratch.url!).pathname.slice(1);
      // From the other pool: end every connection of the app's pool, as a server restart would.
      await sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${name} and pid <> pg_backend_pid()
        and application_name = ''`.execute(scratch.db);
      await new Promise((r) => setTimeout(r, 200));
      expect(dropped.length).toBeGreaterThan(0);
      expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});
