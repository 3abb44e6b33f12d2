import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { openDb, sqliteFileIn } from '../../src/db/connect.js';
import { migrate } from '../../src/db/migrate.js';
import { prepareDatabase } from '../../src/startup.js';
import { copyOrder } from '../../src/db/to-postgres.js';
import { testConfig } from '../helpers.js';
import { createScratchDatabase, dropScratchDatabase, pgAdminUrl } from '../test-db.js';
import { expectFacts, type Facts, populate } from './installation.js';

describe('the copy order of the move to PostgreSQL', () => {
  it('holds every table of the schema, each after the tables it references', async () => {
    const mem = new Sqlite(':memory:');
    const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: mem }) });
    await migrate(db);
    const order = copyOrder(mem);
    const tables = (
      mem
        .prepare(
          "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%'",
        )
        .all() as { name: string }[]
    ).map((r) => r.name);
    expect([...order].sort()).toEqual(tables.sort());
    for (const t of order) {
      for (const { table: ref } of mem.prepare('select "table" from pragma_foreign_key_list(?)').all(t) as {
        table: string;
      }[]) {
        if (ref !== t) expect(order.indexOf(ref), `${t} references ${ref}`).toBeLessThan(order.indexOf(t));
      }
    }
    await db.destroy();
  });
});

describe.skipIf(!process.env.DATABASE_URL)('npm run migrate-to-postgres', () => {
  let dir: string;
  let url: string;
  let facts: Facts;

  const move = (target: string) =>
    spawnSync('node', ['--import', 'tsx', 'scripts/migrate-to-postgres.ts', sqliteFileIn(dir)], {
      env: { ...process.env, DATABASE_URL: target },
      encoding: 'utf8',
      timeout: 120_000,
    });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'workbench-move-'));
    const db = openDb({ dataDir: dir });
    await prepareDatabase(db);
    const app = await buildApp({ config: testConfig({ dataDir: dir }), db });
    facts = await populate(app);
    await app.close();
    await db.destroy();
    url = await createScratchDatabase(pgAdminUrl()!);
  });
  afterAll(async () => {
    if (url) await dropScratchDatabase(pgAdminUrl()!, url);
    rmSync(dir, { recursive: true, force: true });
  });

  it('copies every table into the empty database in one transaction and prints matching counts', () => {
    const r = move(url);
    expect(r.status, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toMatch(/^evidence_file\s+1\s+1\s+ok$/m);
    expect(r.stdout).toMatch(/^app_user\s+2\s+2\s+ok$/m); // the administrator and the demo's auditor
    expect(r.stdout).toMatch(/All \d+ tables match: \d+ rows copied/);
    expect(r.stdout).not.toContain('kysely_migration');
  });

  it('refuses a database that already has rows, and changes nothing', async () => {
    const r = move(url);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/Refused: the PostgreSQL database is not empty \(\w+ has \d+ rows\)/);
  });

  it('serves the same data from PostgreSQL: sign-in, organisation, answers, evidence bytes, new rows', async () => {
    const db = openDb({ databaseUrl: url });
    await prepareDatabase(db); // what the app does at start: finds the copied checklist, loads nothing twice
    expect(await db.selectFrom('checklist_version').select('id').execute()).toHaveLength(1);
    const app = await buildApp({ config: testConfig(), db });
    try {
      await expectFacts(app, facts);
    } finally {
      await app.close();
      await db.destroy();
    }
  });
});
