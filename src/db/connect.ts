import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { Kysely, PostgresAdapter, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';
import { withStatementCache } from './statement-cache.js';

export type Db = Kysely<Database>;

export interface DbOptions {
  databaseUrl?: string;
  dataDir?: string;
  /** ':memory:' for tests */
  sqliteFile?: string;
  /** PostgreSQL: told when an idle pooled connection dies (server restart, failover, idle timeout). */
  onIdleError?: (err: Error) => void;
}

/** The SQLite database of an installation: everything, evidence files included, is in this one file. */
export const sqliteFileIn = (dataDir: string): string => join(dataDir, 'workbench.sqlite');

/** SQLite file under DATA_DIR by default; PostgreSQL when a postgres:// URL is given. */
export function openDb(opts: DbOptions): Db {
  if (opts.databaseUrl) {
    // bigint counts and numeric come back as strings; int8 ids are small enough for Number.
    pg.types.setTypeParser(20, (v) => Number(v));
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 10 });
    // Without a listener, an idle connection closed by the server (restart, failover, a proxy's idle timeout)
    // is an unhandled 'error' event that ends the process. The pool has already dropped that connection and
    // opens a new one on the next query, so noting it is all there is to do.
    pool.on(
      'error',
      opts.onIdleError ??
        ((err) => console.warn(`PostgreSQL: an idle connection was closed (${err.message}); the pool replaces it`)),
    );
    return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  }
  let file = opts.sqliteFile;
  if (!file) {
    const dir = opts.dataDir ?? './data';
    mkdirSync(dir, { recursive: true });
    file = sqliteFileIn(dir);
  }
  const sqlite = new Sqlite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // WAL + NORMAL is durable against process crashes (the guarantee we promise); only power loss can drop the tail.
  sqlite.pragma('synchronous = NORMAL');
  // SQLite's own lower() folds ASCII only; searches lower-case both sides, so "MÜLLER" must find "Müller" as it does
  // on PostgreSQL. Registered on this connection, it takes the built-in's place.
  sqlite.function('lower', { deterministic: true }, (s: unknown) => (typeof s === 'string' ? s.toLowerCase() : s));
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
}

// Kysely<any>: any schema (the app's, or a migration's Kysely<unknown>) can be asked.
export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}
