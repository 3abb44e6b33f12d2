import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../fixtures/demo.js';
import { buildApp } from '../../src/app.js';
import { type Db, openDb } from '../../src/db/connect.js';
import { prepareDatabase } from '../../src/startup.js';
import { bootstrapAdmin } from '../../src/users/queries.js';
import { bearerFor, PASSWORD, testConfig } from '../helpers.js';

// The stale-save guard on SQLite, where a test's in-memory database has one connection and can never race: two
// instances on one database file, each with its own writer and reader connections, save the same item at once.
// (SQLite's BEGIN IMMEDIATE serialises the two transactions, so the version read inside the transaction decides;
// the UPDATE's own version condition is what PostgreSQL needs: test/db/multi-instance.test.ts.)
describe.skipIf(!!process.env.DATABASE_URL)('two app instances on one SQLite file', () => {
  let dir: string;
  let dbA: Db;
  let dbB: Db;
  let A: FastifyInstance;
  let B: FastifyInstance;
  let auditId: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'two-instances-'));
    const file = join(dir, 'workbench.sqlite');
    dbA = openDb({ sqliteFile: file });
    await prepareDatabase(dbA);
    dbB = openDb({ sqliteFile: file });
    await bootstrapAdmin(dbA, 'lead@example.com', PASSWORD);
    const adminId = (await dbA.selectFrom('app_user').select('id').executeTakeFirstOrThrow()).id;
    const orgId = await loadDemo(dbA, adminId, 'en');
    auditId = (
      await dbA
        .selectFrom('audit')
        .select('id')
        .where('organization_id', '=', orgId)
        .where('status', '=', 'in_progress')
        .executeTakeFirstOrThrow()
    ).id;
    A = await buildApp({ config: testConfig(), db: dbA });
    B = await buildApp({ config: testConfig(), db: dbB });
  });

  afterAll(async () => {
    await A?.close();
    await B?.close();
    await dbA?.destroy();
    await dbB?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('lets exactly one of two simultaneous saves of one item win, round after round, and the loser sees the winner', async () => {
    const [tokenA, tokenB] = [await bearerFor(A, 'lead@example.com'), await bearerFor(B, 'lead@example.com')];
    const item = '8.5.1.1-1';
    const put = (app: FastifyInstance, token: string, notes: string, version: number) =>
      app.inject({
        method: 'PUT',
        url: `/api/v1/audits/${auditId}/responses/${item}`,
        headers: { authorization: `Bearer ${token}` },
        payload: { verdict: 'conforming', notes, version },
      });
    const current = async () =>
      (await dbA
        .selectFrom('audit_response')
        .select(['notes', 'version'])
        .where('audit_id', '=', auditId)
        .where('requirement_id', '=', item)
        .executeTakeFirst()) ?? { notes: '', version: 0 };

    for (let round = 0; round < 8; round++) {
      const { version } = await current();
      const [a, b] = await Promise.all([put(A, tokenA, `A ${round}`, version), put(B, tokenB, `B ${round}`, version)]);
      expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
      const after = await current();
      expect(after.version).toBe(version + 1);
      const [winner, loser] = a.statusCode === 200 ? ['A', b] : ['B', a];
      expect(after.notes).toBe(`${winner} ${round}`);
      // The refused save is told what the winner saved, not left to guess.
      expect(loser.body).toContain(`${winner} ${round}`);
    }
  });
});
