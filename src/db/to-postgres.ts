import Sqlite from 'better-sqlite3';
import { type Kysely, sql } from 'kysely';
import { checkSqliteCopy } from './backup.js';
import { openDb } from './connect.js';
import { migrate, migrationNames } from './migrate.js';

// Moves a whole SQLite installation into an empty PostgreSQL database: one transaction, all or nothing.

export class MoveRefused extends Error {}

export interface TableCount {
  table: string;
  sqlite: number;
  postgres: number;
}

const SKIP = new Set(['kysely_migration', 'kysely_migration_lock']); // the target keeps its own migration history
const PG_MAX_PARAMS = 60_000; // PostgreSQL allows 65,535 bound parameters per statement
const BATCH_BYTES = 32 * 1024 * 1024; // evidence blobs: keep each INSERT well under memory and protocol limits

/**
 * The application's tables in an order where every table comes after the tables its foreign keys reference,
 * read from the schema itself (PRAGMA foreign_key_list), so a table added by a later migration is never missed.
 */
export function copyOrder(db: Sqlite.Database): string[] {
  const tables = (
    db
      .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name")
      .all() as { name: string }[]
  )
    .map((r) => r.name)
    .filter((t) => !SKIP.has(t));
  const refs = new Map(
    tables.map((t) => [
      t,
      new Set(
        (db.prepare(`select "table" as ref from pragma_foreign_key_list(?)`).all(t) as { ref: string }[])
          .map((r) => r.ref)
          .filter((r) => r !== t), // a self-reference (audit.baseline_audit_id) is met by copying in id order
      ),
    ]),
  );
  const ordered: string[] = [];
  const placed = new Set<string>();
  while (ordered.length < tables.length) {
    const ready = tables.filter((t) => !placed.has(t) && [...refs.get(t)!].every((r) => placed.has(r)));
    if (ready.length === 0)
      throw new Error(`foreign keys form a cycle among: ${tables.filter((t) => !placed.has(t)).join(', ')}`);
    for (const t of ready) {
      ordered.push(t);
      placed.add(t);
    }
  }
  return ordered;
}

/**
 * Copies every row of the SQLite file into the PostgreSQL database at `url`, which must be empty
 * (its schema is brought to the same migration first). Sequences continue after the copied ids;
 * row counts are compared table by table before the transaction commits.
 */
export async function moveToPostgres(sqliteFile: string, url: string): Promise<TableCount[]> {
  const check = await checkSqliteCopy(sqliteFile);
  if (!check.ok) throw new MoveRefused(`${sqliteFile}: ${check.problems.join('; ')}`);
  const pending = migrationNames().filter((m) => !check.migrations.includes(m));
  if (pending.length) {
    throw new MoveRefused(
      `${sqliteFile} is not at the current schema (pending: ${pending.join(', ')}); start the app on it once, then move it`,
    );
  }
  const source = new Sqlite(sqliteFile, { readonly: true, fileMustExist: true });
  const target = openDb({ databaseUrl: url }) as unknown as Kysely<any>;
  try {
    await migrate(target);
    const tables = copyOrder(source);
    await assertEmpty(target, tables);
    source.exec('BEGIN'); // one read snapshot: the copy is consistent even if the app writes meanwhile
    const counts = await target.transaction().execute(async (trx) => {
      for (const table of tables) await copyTable(source, trx, table);
      await resetSequences(trx, tables);
      const out: TableCount[] = [];
      for (const table of tables) {
        const s = (source.prepare(`select count(*) as n from "${table}"`).get() as { n: number }).n;
        const p = Number(
          (await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(trx)).rows[0]!.n,
        );
        out.push({ table, sqlite: s, postgres: p });
      }
      const wrong = out.filter((c) => c.sqlite !== c.postgres);
      if (wrong.length)
        throw new Error(
          `row counts differ, nothing was kept: ${wrong.map((c) => `${c.table} ${c.sqlite}≠${c.postgres}`).join(', ')}`,
        );
      return out;
    });
    // A database just filled has no planner statistics and no visibility map: until autovacuum reaches it, the
    // registers get poor plans and their index-only scans read the table too. VACUUM cannot run inside the
    // transaction; the copy is committed by now.
    await sql`vacuum analyze`.execute(target);
    return counts;
  } finally {
    if (source.inTransaction) source.exec('COMMIT');
    source.close();
    await target.destroy();
  }
}

async function assertEmpty(target: Kysely<any>, tables: string[]) {
  const present = new Set(
    (
      await sql<{ name: string }>`select table_name as name from information_schema.tables
    where table_schema = current_schema()`.execute(target)
    ).rows.map((r) => r.name),
  );
  const missing = tables.filter((t) => !present.has(t));
  if (missing.length)
    throw new MoveRefused(
      `the PostgreSQL database lacks tables ${missing.join(', ')}: is it the same version of the workbench?`,
    );
  for (const t of tables) {
    const n = Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(t)}`.execute(target)).rows[0]!.n);
    // Even the checklist tables must be empty: an app started on PostgreSQL loads them, and ids would then collide.
    if (n > 0)
      throw new MoveRefused(
        `the PostgreSQL database is not empty (${t} has ${n} rows); move into a new, empty database`,
      );
  }
}

/** Streams one table in primary-key order, in batches bounded by parameter count and by bytes. */
async function copyTable(source: Sqlite.Database, trx: Kysely<any>, table: string): Promise<number> {
  const columns = (
    source.prepare(`select name from pragma_table_info(?) order by cid`).all(table) as { name: string }[]
  ).map((c) => c.name);
  const maxRows = Math.max(1, Math.floor(PG_MAX_PARAMS / columns.length));
  let batch: Record<string, unknown>[] = [];
  let bytes = 0;
  let n = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    try {
      await trx.insertInto(table).values(batch).execute();
    } catch (err) {
      throw new Error(`copying ${table} failed near row ${n - batch.length + 1}: ${(err as Error).message}`);
    }
    batch = [];
    bytes = 0;
  };
  for (const row of source.prepare(`select * from "${table}" order by rowid`).iterate() as IterableIterator<
    Record<string, unknown>
  >) {
    batch.push(row);
    n++;
    for (const v of Object.values(row))
      bytes += Buffer.isBuffer(v) ? v.length : typeof v === 'string' ? v.length * 3 : 8;
    if (batch.length >= maxRows || bytes >= BATCH_BYTES) await flush();
  }
  await flush();
  return n;
}

/** Rows were inserted with their ids, which leaves each serial sequence at 1: move it past the copied ids. */
async function resetSequences(trx: Kysely<any>, tables: string[]) {
  // Asked of the catalogue, not table by table: an error inside the transaction would abort the whole move.
  const serials = (
    await sql<{
      t: string;
      s: string | null;
    }>`select table_name as t, pg_get_serial_sequence(quote_ident(table_name), 'id') as s
    from information_schema.columns where table_schema = current_schema() and column_name = 'id'`.execute(trx)
  ).rows;
  for (const { t, s } of serials) {
    if (!s || !tables.includes(t)) continue; // text ids (session, clause) have no sequence
    await sql`select setval(${s}::regclass, coalesce((select max(id) from ${sql.table(t)}), 0) + 1, false)`.execute(
      trx,
    );
  }
}
