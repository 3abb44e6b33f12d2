import fc from 'fast-check';
import { zipSync } from 'fflate';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPostgres } from '../../src/db/connect.js';
import { bearerFor, makeApp, type TestApp } from '../helpers.js';
import { worldOfEveryId } from '../support/every-id.js';

// Random and malformed bodies, queries and uploads against every route in the route table: nothing may answer 5xx,
// and the database must stay intact.
describe('hostile input', () => {
  let t: TestApp;
  let auth: Record<string, string>;
  const ids: Record<string, string> = {};

  let itemIds: Record<string, string> = {};

  beforeAll(async () => {
    t = await makeApp();
    // Real records behind every id a route names (an issued audit, a nonconformity with actions, evidence, members…):
    // the set-up fails loudly rather than leave a handler answering 404 to a made-up id.
    const world = await worldOfEveryId(t);
    Object.assign(ids, world.values);
    itemIds = world.itemIds;
    auth = { authorization: `Bearer ${await bearerFor(t.app, 'root@example.com')}` };
  });
  afterAll(async () => {
    await t.close();
  });

  const paramValue = fc.oneof(
    fc.constantFrom('1', '0', '-1', '99999999999999999999', 'abc', '..%2F..%2Fetc%2Fpasswd', '%00', '1e3', '4.1-1'),
    fc.string({ maxLength: 12 }).map(encodeURIComponent),
  );
  /** The fixture's id for a route parameter; a parameter without one fails the test (add it to the fixture). */
  const idFor = (url: string, name: string): string => {
    const register = name === 'itemId' ? Object.keys(itemIds).find((k) => url.includes(`/${k}/`)) : undefined;
    const v = register ? itemIds[register] : ids[name];
    if (v === undefined) throw new Error(`no fixture id for :${name} in ${url}`);
    return v;
  };
  const fill = (url: string, random: string | null) =>
    url.replace(/:(\w+)/g, (_, name: string) => (random !== null ? random : idFor(url, name))).replace('*', 'app.css');
  const jsonish = fc.oneof(
    fc.object({ maxDepth: 2 }),
    fc.jsonValue({ maxDepth: 2 }),
    fc.record(
      {
        verdict: fc.string(),
        version: fc.oneof(fc.integer(), fc.string()),
        title: fc.string(),
        type: fc.string(),
        scope: fc.anything({ maxDepth: 1 }),
        to: fc.constantFrom('reaction_recorded', 'closed', 'open', '__proto__'),
        email: fc.string(),
        name: fc.string(),
        code: fc.string(),
      },
      { requiredKeys: [] },
    ),
  );
  const rawBody = fc.oneof(
    jsonish.map((v) => ({ type: 'application/json', body: JSON.stringify(v) })),
    fc.string({ maxLength: 200 }).map((s) => ({ type: 'application/json', body: `{"broken": ${s}` })),
    fc
      .dictionary(fc.string({ maxLength: 10 }), fc.string({ maxLength: 50 }))
      .map((d) => ({ type: 'application/x-www-form-urlencoded', body: new URLSearchParams(d).toString() })),
    fc.string({ maxLength: 200 }).map((s) => ({ type: 'text/plain', body: s })),
    fc
      .uint8Array({ maxLength: 300 })
      .map((a) => ({ type: 'multipart/form-data; boundary=xyz', body: Buffer.from(a).toString('latin1') })),
  );

  it('never answers 5xx to random bodies and ids on any state-changing route, and the database stays intact', async () => {
    const routes = t.app.routeCatalogue.filter((r) => r.method !== 'GET');
    expect(routes.length).toBeGreaterThan(40);
    for (const r of routes) {
      await fc.assert(
        fc.asyncProperty(rawBody, fc.option(paramValue, { nil: null, freq: 3 }), async (b, random) => {
          const url = fill(r.url, random);
          const res = await t.app.inject({
            method: r.method as 'POST',
            url,
            headers: { ...auth, 'content-type': b.type },
            payload: b.body,
          });
          if (res.statusCode >= 500)
            throw new Error(
              `${r.method} ${url} → ${res.statusCode}: ${res.body.slice(0, 300)} (body ${b.body.slice(0, 200)})`,
            );
        }),
        { numRuns: 12, seed: 20261125 },
      );
    }
    if (!isPostgres(t.db)) {
      const check = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(t.db);
      expect(check.rows[0]!.integrity_check).toBe('ok');
    }
  }, 300_000); // every handler reached with real records: some build reports

  it('never answers 5xx to random query strings and ids on any page or API read', async () => {
    const routes = t.app.routeCatalogue.filter((r) => r.method === 'GET');
    for (const r of routes) {
      await fc.assert(
        fc.asyncProperty(
          fc.dictionary(
            fc.constantFrom(
              'q',
              'filter',
              'clause',
              'lang',
              'verdict',
              'type',
              'from',
              'to',
              'entity',
              'status',
              'grade',
              'overdue',
              'page',
            ),
            fc.string({ maxLength: 20 }),
          ),
          fc.option(paramValue, { nil: null, freq: 3 }),
          async (q, random) => {
            const url = `${fill(r.url, random)}?${new URLSearchParams(q)}`;
            const res = await t.app.inject({ method: 'GET', url, headers: auth });
            if (res.statusCode >= 500) throw new Error(`GET ${url} → ${res.statusCode}: ${res.body.slice(0, 300)}`);
          },
        ),
        { numRuns: 8, seed: 20261125 },
      );
    }
  }, 300_000);

  it('treats hostile uploads calmly: path traversal names, empty files, a zip bomb is never expanded', async () => {
    auth = { authorization: `Bearer ${await bearerFor(t.app, 'root@example.com')}` }; // the fuzzing above may have revoked the first token
    const upload = async (name: string, bytes: Buffer, type = 'application/octet-stream') => {
      const form = new FormData();
      form.append('title', 'Hostile');
      form.append('kind', 'record');
      form.append('file', new Blob([Uint8Array.from(bytes)], { type }), name);
      return t.app.inject({
        method: 'POST',
        url: `/api/v1/organizations/${ids.orgId}/evidence`,
        headers: auth,
        payload: form,
      });
    };
    const bomb = Buffer.from(
      zipSync({
        '[Content_Types].xml': new TextEncoder().encode('<Types/>'),
        'xl/workbook.xml': new TextEncoder().encode('<workbook/>'),
        'xl/bomb.bin': new Uint8Array(64 * 1024 * 1024), // 64 MB of zeros, ~64 KB compressed
      }),
    );
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const before = process.memoryUsage().rss;
    const r = await upload('report.xlsx', bomb);
    expect(r.statusCode).toBeLessThan(500);
    expect(process.memoryUsage().rss - before).toBeLessThan(48 * 1024 * 1024);
    const traversal = await upload('../../../etc/passwd.txt', Buffer.from('hello'));
    expect(traversal.statusCode).toBe(201);
    const stored = await t.db
      .selectFrom('evidence')
      .select('file_name')
      .where('id', '=', traversal.json().id)
      .executeTakeFirstOrThrow();
    expect(stored.file_name).toBe('passwd.txt');
    expect((await upload('empty.pdf', Buffer.alloc(0))).statusCode).toBe(422);
    expect((await upload('tool.exe', Buffer.from('MZ\x90\x00binary'))).statusCode).toBe(415);
  });
});
