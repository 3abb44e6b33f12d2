import type { CreateTableBuilder, Kysely } from 'kysely';
import { isPostgres } from '../connect.js';

/** Adds an auto-increment integer primary key that works on SQLite and PostgreSQL. */
export function withId<T extends string>(db: Kysely<unknown>, t: CreateTableBuilder<T, never>) {
  return isPostgres(db)
    ? t.addColumn('id', 'serial', (c) => c.primaryKey())
    : t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}

/** Binary column type: BLOB on SQLite, BYTEA on PostgreSQL. */
export function blobType(db: Kysely<unknown>) {
  return isPostgres(db) ? 'bytea' : 'blob';
}
