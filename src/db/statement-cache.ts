import type { Database, Statement } from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/**
 * better-sqlite3 behind Kysely with prepared statements kept by their SQL text. Kysely prepares every query afresh;
 * a page runs the same handful of queries on every request, and preparing was up to 6% of a register page's CPU.
 * The most recently used statements are kept (Map order); one still being iterated (a streamed query) is never
 * handed out twice — a fresh one is prepared instead.
 */
export function withStatementCache(sqlite: Database, size = 256): SqliteDatabase {
  const cache = new Map<string, Statement>();
  return {
    close: () => {
      cache.clear();
      sqlite.close();
    },
    prepare(sql: string): SqliteStatement {
      const hit = cache.get(sql);
      if (hit && !hit.busy) {
        cache.delete(sql);
        cache.set(sql, hit);
        return hit;
      }
      const stmt = sqlite.prepare(sql);
      if (!hit) {
        cache.set(sql, stmt);
        if (cache.size > size) cache.delete(cache.keys().next().value!);
      }
      return stmt;
    },
  };
}
