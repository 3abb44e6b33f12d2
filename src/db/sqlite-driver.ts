import type { Database as Sqlite } from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type Dialect,
  type Kysely,
  type SqliteDatabase,
} from 'kysely';

// SQLite through better-sqlite3 is synchronous: with a busy_timeout, a write lock held by another process (a backup,
// a script, a second instance started by mistake) would hold the whole event loop, every client's request with it
// (/healthz was silent for 9.9 s). Here the waiting is asynchronous and bounded:
// - writes run on one connection, one transaction at a time (a mutex, as Kysely's own driver), with busy_timeout 0;
//   BEGIN IMMEDIATE takes the write lock at the start, and when it is busy the driver waits with timers, so the event
//   loop stays free; after `busyWaitMs` it gives up with DatabaseBusyError (503 with Retry-After), nothing written;
// - reads outside a transaction run on a second connection (WAL: readers never wait for the writer), so pages are
//   still served while the lock is held elsewhere;
// - an in-memory database (tests) has one connection: reads take the mutex too, as before.

/** The write lock stayed with another process for longer than the app waits. */
export class DatabaseBusyError extends Error {
  readonly code = 'SQLITE_BUSY';
  constructor(readonly retryAfterSeconds: number) {
    super('the database is locked by another process');
  }
}

/** The database file cannot be used as it is (read-only, disk full): the operator's to fix, said without a stack. */
export class DatabaseFileError extends Error {}

export type WriteHealth = 'ok' | 'readonly' | 'full';
const NOT_WRITABLE: Record<string, WriteHealth> = {
  SQLITE_READONLY: 'readonly',
  SQLITE_READONLY_DBMOVED: 'readonly',
  SQLITE_READONLY_DIRECTORY: 'readonly',
  SQLITE_READONLY_RECOVERY: 'readonly',
  SQLITE_READONLY_CANTINIT: 'readonly',
  SQLITE_READONLY_CANTLOCK: 'readonly',
  SQLITE_CANTOPEN: 'readonly',
  SQLITE_FULL: 'full',
  SQLITE_IOERR_WRITE: 'full',
};

const CONTROL = /^\s*(begin|commit|end|rollback|savepoint|release)\b/i;
const isBusy = (err: unknown) => /^SQLITE_BUSY|^SQLITE_LOCKED/.test(String((err as { code?: string }).code ?? ''));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

class Mutex {
  #tail: Promise<void> = Promise.resolve();
  #holders = 0;
  /** Someone holds or waits for the writer. */
  get held(): boolean {
    return this.#holders > 0;
  }
  async lock(): Promise<() => void> {
    let release!: () => void;
    const previous = this.#tail;
    this.#holders++;
    this.#tail = new Promise<void>((r) => {
      release = () => {
        this.#holders--;
        r();
      };
    });
    await previous;
    return release;
  }
}

interface Handle {
  release: (() => void) | null;
}

export interface WriterOptions {
  writer: SqliteDatabase;
  /** A second connection to the same file for reads; omitted for an in-memory database. */
  reader?: SqliteDatabase;
  busyWaitMs: number;
}

/** Kysely driver over the two connections (see above). */
export class SqliteWriterDriver implements Driver {
  readonly #mutex = new Mutex();
  health: WriteHealth = 'ok';

  constructor(private readonly o: WriterOptions) {}

  async init(): Promise<void> {}

  /**
   * Whether the file takes writes, asked without waiting: BEGIN IMMEDIATE and ROLLBACK on the writer when it is free.
   * A lock held elsewhere means the file is writable (someone is writing); a read-only file says so. A full disk is
   * known only from a failed write, and is forgotten at the next write that succeeds.
   */
  probe(): WriteHealth {
    if (this.#mutex.held) return this.health;
    try {
      this.#run(this.o.writer, 'begin immediate', []);
      this.#run(this.o.writer, 'rollback', []);
      if (this.health === 'readonly') this.health = 'ok';
    } catch (err) {
      if (!isBusy(err) && !NOT_WRITABLE[String((err as { code?: string }).code)]) throw err;
    }
    return this.health;
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const handle: Handle = { release: null };
    return {
      executeQuery: <R>(q: CompiledQuery) => this.#execute<R>(handle, q),
      streamQuery: <R>(q: CompiledQuery) => this.#stream<R>(handle, q),
      // Kysely's transaction runner calls these through the driver; the handle remembers the lock.
      [HANDLE]: handle,
    } as DatabaseConnection;
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const handle = handleOf(connection);
    handle.release = await this.#mutex.lock();
    try {
      await this.#withBusyWait(() => this.#run(this.o.writer, 'begin immediate', []));
    } catch (err) {
      handle.release();
      handle.release = null;
      throw err;
    }
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const handle = handleOf(connection);
    try {
      this.#run(this.o.writer, 'commit', []);
    } finally {
      this.#unlock(handle);
    }
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const handle = handleOf(connection);
    try {
      this.#run(this.o.writer, 'rollback', []);
    } finally {
      this.#unlock(handle);
    }
  }

  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`savepoint "${name}"`));
  }
  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`rollback to "${name}"`));
  }
  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`release "${name}"`));
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    this.#unlock(handleOf(connection));
  }

  async destroy(): Promise<void> {
    this.o.reader?.close();
    this.o.writer.close();
  }

  #unlock(handle: Handle) {
    handle.release?.();
    handle.release = null;
  }

  async #execute<R>(handle: Handle, q: CompiledQuery): Promise<QueryResult<R>> {
    const params = q.parameters as unknown[];
    // Inside a transaction: the writer, which this handle holds.
    if (handle.release) return this.#run(this.o.writer, q.sql, params);
    const reader = this.o.reader;
    if (reader) {
      // PRAGMAs count as read-only to SQLite but set the connection (or, like optimize, write): the writer's.
      const stmt = reader.prepare(q.sql) as unknown as { readonly: boolean };
      if (stmt.readonly && !/^\s*pragma/i.test(q.sql)) return this.#run(reader, q.sql, params);
    }
    // A write on its own (or any statement on a single connection): wait for the writer, then for the file's lock.
    const release = await this.#mutex.lock();
    try {
      return await this.#withBusyWait(() => this.#run(this.o.writer, q.sql, params));
    } finally {
      release();
    }
  }

  async *#stream<R>(handle: Handle, q: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    const db = handle.release || !this.o.reader ? this.o.writer : this.o.reader;
    const release = handle.release || this.o.reader ? null : await this.#mutex.lock();
    try {
      for (const row of db.prepare(q.sql).iterate(q.parameters as unknown[])) yield { rows: [row as R] };
    } finally {
      release?.();
    }
  }

  #run<R>(db: SqliteDatabase, sql: string, params: readonly unknown[]): QueryResult<R> {
    try {
      const stmt = db.prepare(sql);
      let result: QueryResult<R>;
      if (stmt.reader) result = { rows: stmt.all(params) as R[] };
      else {
        const { changes, lastInsertRowid } = stmt.run(params);
        result = {
          numAffectedRows: changes == null ? undefined : BigInt(changes),
          insertId: lastInsertRowid == null ? undefined : BigInt(lastInsertRowid),
          rows: [],
        };
      }
      // A write that went through: the disk takes writes again (transaction control proves nothing).
      if (db === this.o.writer && !(stmt as unknown as { readonly: boolean }).readonly && !CONTROL.test(sql))
        this.health = 'ok';
      return result;
    } catch (err) {
      const code = String((err as { code?: string }).code ?? '');
      const health = NOT_WRITABLE[code];
      if (health && db === this.o.writer) this.health = health;
      throw err;
    }
  }

  /** Retries while another process holds the lock: timers between tries, so other requests go on meanwhile. */
  async #withBusyWait<T>(fn: () => T): Promise<T> {
    const deadline = Date.now() + this.o.busyWaitMs;
    let pause = 10;
    for (;;) {
      try {
        return fn();
      } catch (err) {
        if (!isBusy(err)) throw err;
        if (Date.now() + pause > deadline)
          throw new DatabaseBusyError(Math.max(1, Math.ceil(this.o.busyWaitMs / 1000)));
        await sleep(pause);
        pause = Math.min(pause * 2, 200);
      }
    }
  }
}

const HANDLE = Symbol('handle');
const handleOf = (c: DatabaseConnection) => (c as unknown as { [HANDLE]: Handle })[HANDLE];

const drivers = new WeakMap<object, SqliteWriterDriver>();

/** The dialect; `track` is told the driver so that health checks can ask it (see writeHealth). */
export function sqliteWriterDialect(o: WriterOptions, track: (d: SqliteWriterDriver) => void): Dialect {
  return {
    createDriver: () => {
      const d = new SqliteWriterDriver(o);
      track(d);
      return d;
    },
    createQueryCompiler: () => new SqliteQueryCompiler(),
    createAdapter: () => new SqliteAdapter(),
    createIntrospector: (db: Kysely<unknown>) => new SqliteIntrospector(db),
  };
}

export function trackDriver(db: object, d: SqliteWriterDriver) {
  drivers.set(db, d);
}

/** Whether this SQLite database takes writes (see probe); always 'ok' for PostgreSQL, whose server reports itself. */
export function writeHealth(db: object): WriteHealth {
  return drivers.get(db)?.probe() ?? 'ok';
}

export type { Sqlite };
