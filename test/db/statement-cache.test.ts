import Sqlite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { withStatementCache } from '../../src/db/statement-cache.js';

describe('prepared statements kept by SQL text (SQLite)', () => {
  const open = (size?: number) => {
    const raw = new Sqlite(':memory:');
    raw.exec('CREATE TABLE t (n INTEGER); INSERT INTO t VALUES (1), (2), (3)');
    return withStatementCache(raw, size);
  };

  it('hands out the same statement for the same SQL, with fresh parameters each time', () => {
    const db = open();
    const a = db.prepare('SELECT n FROM t WHERE n > ? ORDER BY n');
    expect(db.prepare('SELECT n FROM t WHERE n > ? ORDER BY n')).toBe(a);
    expect(a.all([1])).toEqual([{ n: 2 }, { n: 3 }]);
    expect(a.all([2])).toEqual([{ n: 3 }]);
  });

  it('never hands out a statement that is still being iterated (a streamed query)', () => {
    const db = open();
    const sql = 'SELECT n FROM t ORDER BY n';
    const streaming = db.prepare(sql).iterate([]);
    expect(streaming.next().value).toEqual({ n: 1 });
    expect(db.prepare(sql).all([])).toHaveLength(3); // would throw "busy" if the iterating statement were reused
    expect([...streaming]).toEqual([{ n: 2 }, { n: 3 }]);
  });

  it('keeps only the most recently used statements', () => {
    const db = open(2);
    const first = db.prepare('SELECT 1 AS x');
    db.prepare('SELECT 2 AS x');
    db.prepare('SELECT 1 AS x'); // used again: now the newest
    db.prepare('SELECT 3 AS x'); // evicts SELECT 2
    expect(db.prepare('SELECT 1 AS x')).toBe(first);
    const second = db.prepare('SELECT 2 AS x');
    expect(db.prepare('SELECT 2 AS x')).toBe(second);
  });
});
