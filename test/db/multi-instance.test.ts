import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../fixtures/demo.js';
import { buildApp } from '../../src/app.js';
import { type Db, openDb } from '../../src/db/connect.js';
import { prepareDatabase } from '../../src/startup.js';
import { bootstrapAdmin } from '../../src/users/queries.js';
import { bearerFor, Browser, openTestDb, PASSWORD, seedUser, testConfig } from '../helpers.js';
import type { TestDb } from '../test-db.js';

// Two app instances behind a load balancer, one PostgreSQL database: nothing may live in one process only.
describe.skipIf(!process.env.DATABASE_URL)('two app instances on one PostgreSQL database', () => {
  let shared: TestDb;
  let dbB: Db;
  let A: FastifyInstance;
  let B: FastifyInstance;
  let auditId: number;
  let bootstrapped: boolean[];

  beforeAll(async () => {
    shared = await openTestDb();
    dbB = openDb({ databaseUrl: shared.url });
    // Both instances start at the same moment on the empty database: migrations and checklist loading must not collide.
    await Promise.all([prepareDatabase(shared.db), prepareDatabase(dbB)]);
    // …and both were given ADMIN_EMAIL / ADMIN_PASSWORD: exactly one creates the administrator, neither fails.
    bootstrapped = await Promise.all([
      bootstrapAdmin(shared.db, 'lead@example.com', PASSWORD),
      bootstrapAdmin(dbB, 'lead@example.com', PASSWORD),
    ]);
    const adminId = (await shared.db.selectFrom('app_user').select('id').executeTakeFirstOrThrow()).id;
    const orgId = await loadDemo(shared.db, adminId, 'en');
    auditId = (
      await shared.db.selectFrom('audit').select('id').where('organization_id', '=', orgId).executeTakeFirstOrThrow()
    ).id;
    // Separate pools, as two processes would have; the same SESSION_SECRET, as the README requires.
    A = await buildApp({ config: testConfig(), db: shared.db });
    B = await buildApp({ config: testConfig(), db: dbB });
  });

  afterAll(async () => {
    await A?.close();
    await B?.close();
    await dbB?.destroy();
    await shared?.drop();
  });

  it('started both instances together on the empty database: one checklist version, one administrator', async () => {
    const versions = await dbB.selectFrom('checklist_version').select('id').execute();
    expect(versions).toHaveLength(1);
    expect([...bootstrapped].sort()).toEqual([false, true]);
  });

  it('serves one signed-in user from either instance: session, CSRF, saves, conflicts and logout', async () => {
    const onA = new Browser(A);
    await onA.login('lead@example.com');
    // The same browser, routed to B by the load balancer: same cookie jar.
    const onB = new Browser(B);
    onB.cookies = onA.cookies;

    const home = await onB.get('/');
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('Demo Data Services Ltd');

    // A checklist save on A is what B shows next.
    const checklist = `/audits/${auditId}/checklist`;
    await onA.get(checklist);
    const saveA = await onA.post(`/audits/${auditId}/responses/4.2-1`, {
      verdict: 'conforming',
      notes: 'Saved through instance A',
      version: '0',
    });
    expect(saveA.statusCode).toBe(303);
    expect((await onB.get(checklist)).body).toContain('Saved through instance A');

    // A CSRF token issued by A (and its signed secret cookie) is accepted by B.
    await onA.get(checklist);
    onB.csrf = onA.csrf;
    const saveB = await onB.post(
      `/audits/${auditId}/responses/4.4-1`,
      { verdict: 'ofi', notes: 'Saved through instance B', version: '0' },
      { csrf: true },
    );
    expect(saveB.statusCode).toBe(303);
    expect((await onA.get(checklist)).body).toContain('Saved through instance B');

    // B refuses a stale save of what A changed, and shows A's answer.
    const stale = await onB.post(`/audits/${auditId}/responses/4.2-1`, {
      verdict: 'major_nc',
      notes: 'Overwrite from B',
      version: '0',
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Saved through instance A');

    // Signing out on B ends the session on A too.
    const sid = onA.cookies.get('sid');
    expect((await onB.post('/logout', {})).statusCode).toBe(303);
    const late = new Browser(A);
    late.cookies.set('sid', sid!);
    const account = await late.get('/account');
    expect(account.statusCode).toBe(303);
    expect(account.headers.location).toMatch(/^\/login/);
  });

  it('lets exactly one of two simultaneous saves of the same item win, one on each instance', async () => {
    const [tokenA, tokenB] = [await bearerFor(A, 'lead@example.com'), await bearerFor(B, 'lead@example.com')];
    const put = (app: FastifyInstance, token: string, notes: string) =>
      app.inject({
        method: 'PUT',
        url: `/api/v1/audits/${auditId}/responses/4.3-1`,
        headers: { authorization: `Bearer ${token}` },
        payload: { verdict: 'conforming', notes, version: 0 },
      });
    const results = await Promise.all([put(A, tokenA, 'A wins'), put(B, tokenB, 'B wins')]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const row = await shared.db
      .selectFrom('audit_response')
      .select(['notes', 'version'])
      .where('audit_id', '=', auditId)
      .where('requirement_id', '=', '4.3-1')
      .executeTakeFirstOrThrow();
    expect(row.version).toBe(1);
    expect(results[row.notes === 'A wins' ? 0 : 1]!.statusCode).toBe(200);
  });

  it('counts failed sign-ins across instances: the limit holds wherever the attempts land', async () => {
    await seedUser(shared.db, 'target@example.com');
    // Five free wrong attempts per account from one address (README, sign-in throttle), alternating instances; the
    // sixth, on either instance, finds a delay due: the counters live in the shared database.
    for (let i = 0; i < 5; i++) {
      const b = new Browser(i % 2 ? A : B);
      await b.get('/login');
      expect((await b.post('/login', { email: 'target@example.com', password: 'wrong password!' })).statusCode).toBe(
        401,
      );
    }
    const b = new Browser(A);
    await b.get('/login');
    expect(
      (await b.post('/login', { email: 'target@example.com', password: 'correct horse battery' })).statusCode,
    ).toBe(429);
  });

  it("shows why SESSION_SECRET must be shared: an instance with another secret refuses A's CSRF cookie", async () => {
    const other = await buildApp({ config: testConfig({ sessionSecret: 'y'.repeat(40) }), db: dbB });
    try {
      const onA = new Browser(A);
      await onA.login('lead@example.com');
      await onA.get(`/audits/${auditId}/checklist`);
      const onOther = new Browser(other);
      onOther.cookies = onA.cookies;
      onOther.csrf = onA.csrf;
      const r = await onOther.post(`/audits/${auditId}/responses/4.4-1`, { verdict: 'ofi', notes: 'x', version: '1' });
      expect(r.statusCode).toBe(403);
    } finally {
      await other.close();
    }
  });
});
