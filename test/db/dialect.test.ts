import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchRequirements } from '../../src/checklists/queries.js';
import { isPostgres } from '../../src/db/connect.js';
import { MAX_ID } from '../../src/db/ids.js';
import { nowIso, toCount } from '../../src/db/time.js';
import { evidenceForm } from '../evidence/upload-helpers.js';
import { bearerFor, makeApp, seedUser, type TestApp } from '../helpers.js';

// Runs on whichever database the suite runs on (SQLite, or PostgreSQL with DATABASE_URL): the answers must not differ.
describe(`the repository layer on ${process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite'}`, () => {
  let t: TestApp;
  let orgId: number;
  let auth: { authorization: string };

  beforeAll(async () => {
    t = await makeApp();
    await seedUser(t.db, 'root@example.com', { admin: true });
    auth = { authorization: `Bearer ${await bearerFor(t.app, 'root@example.com')}` };
    orgId = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/organizations',
        headers: auth,
        payload: { name: 'Dialect Ltd', code: 'DIAL' },
      })
    ).json().id;
  });
  afterAll(async () => {
    await t.close();
  });

  it('runs on the database the environment asks for', () => {
    expect(isPostgres(t.db)).toBe(Boolean(process.env.DATABASE_URL));
  });

  it('gives evidence content back as a Buffer, byte for byte (BLOB on SQLite, bytea on PostgreSQL)', async () => {
    const every = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const big = randomBytes(2 * 1024 * 1024);
    for (const content of [every, big, Buffer.alloc(0)]) {
      const { id } = await t.db
        .insertInto('evidence_file')
        .values({
          organization_id: orgId,
          sha256: randomBytes(32).toString('hex'),
          size: content.length,
          media_type: 'application/octet-stream',
          content,
          created_at: nowIso(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const row = await t.db
        .selectFrom('evidence_file')
        .select(['content', 'size'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(Buffer.isBuffer(row.content)).toBe(true);
      expect(row.content.equals(content)).toBe(true);
      expect(row.size).toBe(content.length);
    }
  });

  it('returns counts, max() and integer flags as numbers', async () => {
    const count = await t.db
      .selectFrom('evidence_file')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(toCount(count.n)).toBe(3);
    const max = await t.db
      .selectFrom('evidence_file')
      .select((eb) => eb.fn.max('id').as('m'))
      .executeTakeFirstOrThrow();
    expect(Number(max.m)).toBeGreaterThan(0);
    const user = await t.db
      .selectFrom('app_user')
      .select(['is_admin', 'must_change_password'])
      .executeTakeFirstOrThrow();
    expect(user).toEqual({ is_admin: 1, must_change_password: 0 });
  });

  it('searches the checklist case-insensitively, with LIKE wildcards taken literally', async () => {
    const v = await t.db.selectFrom('checklist_version').select('id').executeTakeFirstOrThrow();
    const lower = await searchRequirements(t.db, v.id, 'incident');
    expect(lower.length).toBeGreaterThan(0);
    expect((await searchRequirements(t.db, v.id, 'INCIDENT')).map((r) => r.id)).toEqual(lower.map((r) => r.id));
    expect(await searchRequirements(t.db, v.id, '_')).toEqual([]);
    expect(await searchRequirements(t.db, v.id, '%')).toEqual([]);
  });

  it('refuses NUL characters in any input alike (PostgreSQL text cannot hold them), before any query runs', async () => {
    const nul = 'a\u0000b';
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/token',
      payload: { email: `x${nul}@example.com`, password: 'x' },
    });
    expect(login.statusCode).toBe(400);
    const service = await t.app.inject({
      method: 'POST',
      url: `/api/v1/organizations/${orgId}/services`,
      headers: auth,
      payload: { name: nul },
    });
    expect(service.statusCode).toBe(400);
    const search = await t.app.inject({
      method: 'GET',
      url: '/api/v1/standards/iso-iec-20000-1-2018/search?q=a%00b',
      headers: auth,
    });
    expect(search.statusCode).toBe(400);
    const form = evidenceForm({ title: nul, kind: 'record', location: 'Shelf 3' });
    const upload = await t.app.inject({
      method: 'POST',
      url: `/api/v1/organizations/${orgId}/evidence`,
      headers: auth,
      payload: form,
    });
    expect(upload.statusCode).toBe(400);
    expect(await t.db.selectFrom('service').select('id').where('organization_id', '=', orgId).execute()).toEqual([]);
    expect(await t.db.selectFrom('evidence').select('id').execute()).toEqual([]);
  });

  it('answers ids beyond any row as not found (URL) or invalid (form), never with a database error', async () => {
    const big = MAX_ID + 1;
    for (const url of [
      `/api/v1/organizations/${big}`,
      `/api/v1/audits/${big}`,
      `/api/v1/evidence/${big}`,
      `/orgs/${orgId}/programmes/${big}`,
    ]) {
      expect((await t.app.inject({ method: 'GET', url, headers: auth })).statusCode, url).toBe(404);
    }
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/api/v1/auth/tokens/${big}`, headers: auth })).statusCode,
    ).toBe(404);
    const audit = await t.app.inject({
      method: 'POST',
      url: `/api/v1/organizations/${orgId}/audits`,
      headers: auth,
      payload: { title: 'x', type: 'internal', programmeId: big, scope: { clauses: ['4'] } },
    });
    expect(audit.statusCode).toBe(422);
    const process = await t.app.inject({
      method: 'POST',
      url: `/api/v1/organizations/${orgId}/processes`,
      headers: auth,
      payload: { name: 'p', ownerUserId: big },
    });
    expect(process.statusCode).toBe(422);
  });
});
