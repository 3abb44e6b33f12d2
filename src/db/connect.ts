import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Sqlite from 'better-sqlite3';
import { Kysely, PostgresAdapter, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';
import { DatabaseFileError, type SqliteWriterDriver, sqliteWriterDialect, trackDriver } from './sqlite-driver.js';
import { withStatementCache } from './statement-cache.js';

export type Db = Kysely<Database>;

export interface DbOptions {
  databaseUrl?: string;
  dataDir?: string;
  /** ':memory:' for tests */
  sqliteFile?: string;
  /** PostgreSQL: told when an idle pooled connection dies (server restart, failover, idle timeout). */
  onIdleError?: (err: Error) => void;
  /** SQLite: how long a write waits for a lock held by another process before 503 (default 5 s). */
  busyWaitMs?: number;
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
  const open = (role: 'writer' | 'reader') => {
    const sqlite = new Sqlite(file);
    if (role === 'writer') sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    // The writer never sleeps inside SQLite (that would hold the event loop): sqlite-driver.ts waits with timers.
    // A reader in WAL mode does not wait for writers; the short timeout covers the rare moment of WAL recovery.
    sqlite.pragma(`busy_timeout = ${role === 'writer' ? 0 : 50}`);
    // WAL + NORMAL is durable against process crashes (the guarantee we promise); only power loss can drop the tail.
    sqlite.pragma('synchronous = NORMAL');
    // SQLite's own lower() folds ASCII only; searches lower-case both sides, so "MÜLLER" must find "Müller" as it does
    // on PostgreSQL. Registered on this connection, it takes the built-in's place.
    sqlite.function('lower', { deterministic: true }, (s: unknown) => (typeof s === 'string' ? s.toLowerCase() : s));
    return withStatementCache(sqlite);
  };
  const memory = file === ':memory:' || file === '';
  let writer: ReturnType<typeof open>;
  let reader: ReturnType<typeof open> | undefined;
  try {
    writer = open('writer');
    // An in-memory database exists only on its own connection: one connection, as before.
    reader = memory ? undefined : open('reader');
  } catch (err) {
    throw fileError(file, err);
  }
  let driver: SqliteWriterDriver | undefined;
  const db = new Kysely<Database>({
    dialect: sqliteWriterDialect({ writer, reader, busyWaitMs: opts.busyWaitMs ?? 5000 }, (d) => {
      driver = d;
    }),
  });
  if (driver) trackDriver(db, driver);
  // A read-only file (or directory) is said at start, naming the file, not found out by the first save.
  if (driver && !memory && driver.probe() === 'readonly') {
    void db.destroy();
    throw fileError(file, Object.assign(new Error('read-only'), { code: 'SQLITE_READONLY' }));
  }
  return db;
}

function fileError(file: string, err: unknown): Error {
  const code = String((err as { code?: string }).code ?? '');
  if (/^SQLITE_READONLY|^SQLITE_CANTOPEN|^EACCES|^EROFS/.test(code))
    return new DatabaseFileError(
      `The database file ${resolve(file)} cannot be written (${code}): give the app's user write access to the file ` +
        'and its directory (SQLite writes a -wal and a -shm file beside it), or move DATA_DIR to a writable disk.',
    );
  if (/^SQLITE_FULL|^ENOSPC|^SQLITE_IOERR/.test(code))
    return new DatabaseFileError(
      `The disk holding the database file ${resolve(file)} is full (${code}): free some space and start again. ` +
        'Nothing was changed.',
    );
  return err as Error;
}

// Kysely<any>: any schema (the app's, or a migration's Kysely<unknown>) can be asked.
export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}
