import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type Db, openDb } from '../src/db/connect.js';

/** A database of its own for one test app: dropped again by `drop()`. */
export interface TestDb {
  db: Db;
  /** postgres:// URL of the fresh database, or undefined on SQLite (in memory, nothing to share). */
  url?: string;
  drop(): Promise<void>;
}

/** With DATABASE_URL set the suite runs on PostgreSQL: the URL names an admin connection, not the database used. */
export const pgAdminUrl = (): string | undefined => process.env.DATABASE_URL || undefined;

/**
 * A fresh, empty database: in-memory SQLite, or `t_<random>` created through DATABASE_URL.
 * Every test app gets its own, so test files running in parallel never see each other's rows.
 */
export async function openTestDb(): Promise<TestDb> {
  const admin = pgAdminUrl();
  if (!admin) {
    const db = openDb({ sqliteFile: ':memory:' });
    return { db, drop: () => db.destroy() };
  }
  const url = await createScratchDatabase(admin);
  // Dropping the database may close a connection the pool is still letting go of: expected, not worth a warning.
  const db = openDb({ databaseUrl: url, onIdleError: () => {} });
  return {
    db,
    url,
    drop: async () => {
      await db.destroy();
      await dropScratchDatabase(admin, url);
    },
  };
}

/** Creates `t_<random>` on the server of adminUrl and returns its URL. */
export async function createScratchDatabase(adminUrl: string): Promise<string> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  await withAdmin(adminUrl, (c) => c.query(`create database ${name}`));
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function dropScratchDatabase(adminUrl: string, url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  if (!/^t_[0-9a-f]+$/.test(name)) throw new Error(`refusing to drop ${name}: not a scratch database`);
  await withAdmin(adminUrl, async (c) => {
    // A closed pool's connections take a moment to leave; wait for them rather than kill them mid-goodbye.
    for (let i = 0; i < 100; i++) {
      const { rows } = await c.query('select count(*)::int as n from pg_stat_activity where datname = $1', [name]);
      if (rows[0].n === 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    // WITH (FORCE) (PostgreSQL 13+) ends what a failed test may have left open.
    await c.query(`drop database if exists ${name} with (force)`);
  });
}

async function withAdmin<T>(adminUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}
