import {
  closeSync,
  copyFileSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { migrate, migrationNames } from './migrate.js';

// SQLite backup and restore. Evidence files live inside the database, so one file is the whole installation.

export interface CopyCheck {
  ok: boolean;
  problems: string[];
  /** Rows per application table. */
  rows: Record<string, number>;
  migrations: string[];
}

export class RestoreRefused extends Error {}

const MIGRATION_TABLES = new Set(['kysely_migration', 'kysely_migration_lock']);

/** Checks that a file is a sound copy of a workbench database: integrity, known migrations, every table they create. */
export async function checkSqliteCopy(file: string): Promise<CopyCheck> {
  const out: CopyCheck = { ok: false, problems: [], rows: {}, migrations: [] };
  if (!existsSync(file)) return { ...out, problems: [`${file} does not exist`] };
  let db: Sqlite.Database | undefined;
  try {
    db = new Sqlite(file, { readonly: true, fileMustExist: true });
    const integrity = db.pragma('integrity_check') as { integrity_check: string }[];
    if (integrity.length !== 1 || integrity[0]!.integrity_check !== 'ok') {
      out.problems.push(
        `integrity_check failed: ${integrity
          .slice(0, 5)
          .map((r) => r.integrity_check)
          .join('; ')}`,
      );
      return out;
    }
    const tables = tablesOf(db);
    if (!tables.includes('kysely_migration')) {
      out.problems.push('not a workbench database: it has no kysely_migration table');
      return out;
    }
    out.migrations = (db.prepare('select name from kysely_migration order by name').all() as { name: string }[]).map(
      (r) => r.name,
    );
    const known = new Set(migrationNames());
    const unknown = out.migrations.filter((m) => !known.has(m));
    if (unknown.length)
      out.problems.push(`made by a newer version of the workbench (unknown migrations: ${unknown.join(', ')})`);
    else if (out.migrations.length === 0) out.problems.push('no migration has run on it: the database is empty');
    else {
      const missing = (await tablesAfter(out.migrations.at(-1)!)).filter((t) => !tables.includes(t));
      if (missing.length) out.problems.push(`tables missing: ${missing.join(', ')}`);
    }
    for (const t of tables.filter((t) => !MIGRATION_TABLES.has(t))) {
      out.rows[t] = (db.prepare(`select count(*) as n from "${t}"`).get() as { n: number }).n;
    }
  } catch (err) {
    out.problems.push(`cannot be read as a SQLite database: ${(err as Error).message}`);
  } finally {
    db?.close();
  }
  out.ok = out.problems.length === 0;
  return out;
}

function tablesOf(db: Sqlite.Database): string[] {
  return (
    db
      .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name")
      .all() as { name: string }[]
  ).map((r) => r.name);
}

/** The tables the schema has after the given migration: built in memory, so the list never goes stale. */
async function tablesAfter(migration: string): Promise<string[]> {
  const mem = new Sqlite(':memory:');
  const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: mem }) });
  try {
    await migrate(db, migration);
    return tablesOf(mem);
  } finally {
    await db.destroy();
  }
}

/** `workbench-2026-11-25T04-02-46Z.sqlite`: sorts by time, no characters that trouble file systems. */
export function backupName(now = new Date()): string {
  return `workbench-${now
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/:/g, '-')}.sqlite`;
}

/**
 * Writes a consistent copy of the live database with SQLite's online backup API: safe while the app runs
 * (pages written meanwhile restart the copy). The copy is then verified; a failed copy is deleted.
 */
export async function backupSqlite(
  liveFile: string,
  target: string,
): Promise<{ file: string; bytes: number; check: CopyCheck }> {
  if (!existsSync(liveFile)) throw new Error(`no database at ${liveFile}`);
  if (existsSync(target)) throw new Error(`${target} exists already; not overwriting it`);
  mkdirSync(dirname(target), { recursive: true });
  const partial = `${target}.partial`;
  rmSync(partial, { force: true });
  const live = new Sqlite(liveFile, { fileMustExist: true });
  try {
    await live.backup(partial);
  } finally {
    live.close();
  }
  // The copy inherits WAL mode; switch it to a rollback journal so the one file is complete on its own.
  const copy = new Sqlite(partial);
  copy.pragma('journal_mode = DELETE');
  copy.close();
  const check = await checkSqliteCopy(partial);
  if (!check.ok) {
    rmSync(partial, { force: true });
    throw new Error(`the copy failed verification: ${check.problems.join('; ')}`);
  }
  renameSync(partial, target);
  return { file: target, bytes: statSync(target).size, check };
}

/**
 * Puts a verified backup in place of the live database. Refuses while any process has the live database open
 * (the app must be stopped), and keeps the previous database as `<live>.<time>.before-restore`.
 */
export async function restoreSqlite(
  backupFile: string,
  liveFile: string,
): Promise<{ previous: string | null; check: CopyCheck }> {
  const check = await checkSqliteCopy(backupFile);
  if (!check.ok) throw new RestoreRefused(`${backupFile} is not a usable backup: ${check.problems.join('; ')}`);
  mkdirSync(dirname(liveFile), { recursive: true });
  // Copy first, next to the live file (same file system, so the final rename is atomic); the live file is untouched until then.
  const incoming = `${liveFile}.restoring`;
  copyFileSync(backupFile, incoming);
  fsyncFile(incoming);
  let previous: string | null = null;
  try {
    if (existsSync(liveFile)) {
      settleUnused(liveFile);
      previous = `${liveFile}.${backupName().slice('workbench-'.length, -'.sqlite'.length)}.before-restore`;
      renameSync(liveFile, previous);
    }
    for (const side of ['-wal', '-shm']) rmSync(liveFile + side, { force: true });
    renameSync(incoming, liveFile);
    fsyncFile(dirname(liveFile));
  } finally {
    rmSync(incoming, { force: true });
  }
  return { previous, check };
}

/**
 * Proves no other connection has the database open, and folds its WAL into the main file so the file can be moved.
 * An exclusive lock is refused (SQLITE_BUSY) while the app, in this or another process, holds the database.
 */
function settleUnused(liveFile: string) {
  const db = new Sqlite(liveFile, { fileMustExist: true, timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('COMMIT');
    db.pragma('wal_checkpoint(TRUNCATE)');
  } catch (err) {
    if ((err as { code?: string }).code?.startsWith('SQLITE_BUSY')) {
      throw new RestoreRefused(`${liveFile} is in use: stop the app (every instance) before restoring`);
    }
    throw err;
  } finally {
    db.close();
  }
}

function fsyncFile(path: string) {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export const defaultBackupFile = (dataDir: string, now = new Date()) => join(dataDir, 'backups', backupName(now));
