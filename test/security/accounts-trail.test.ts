import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFor, Browser, makeApp, seedUser, type TestApp } from '../helpers.js';

describe('sessions, privilege changes and the append-only audit trail', () => {
  let t: TestApp;
  let orgId: number;
  let root: { authorization: string };
  beforeAll(async () => {
    t = await makeApp();
    await seedUser(t.db, 'root@example.com', { admin: true });
    await seedUser(t.db, 'mia@example.com');
    root = { authorization: `Bearer ${await bearerFor(t.app, 'root@example.com')}` };
    orgId = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/organizations',
        headers: root,
        payload: { name: 'Trail Co', code: 'TRL' },
      })
    ).json().id;
    await t.app.inject({
      method: 'POST',
      url: `/api/v1/organizations/${orgId}/members`,
      headers: root,
      payload: { email: 'mia@example.com', role: 'viewer' },
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it('expires a session after its lifetime', async () => {
    const b = new Browser(t.app);
    await b.login('mia@example.com');
    expect((await b.get('/account')).statusCode).toBe(200);
    await t.db.updateTable('session').set({ expires_at: '2000-01-01T00:00:00.000Z' }).execute();
    expect((await b.get('/account')).statusCode).toBe(303);
  });

  // A role is read on every request: a change applies at once, and no session is ended (issue 14: ending them
  // signed the member out of every other organisation too).
  it('applies a member’s new role at once, without ending their sessions', async () => {
    const b = new Browser(t.app);
    await b.login('mia@example.com');
    expect((await b.get(`/orgs/${orgId}/audits/new`)).statusCode).toBe(403); // a viewer plans no audit
    await t.app.inject({
      method: 'POST',
      url: `/api/v1/organizations/${orgId}/members`,
      headers: root,
      payload: { email: 'mia@example.com', role: 'lead_auditor' },
    });
    expect((await b.get(`/orgs/${orgId}/audits/new`)).statusCode).toBe(200);
    await t.app.inject({
      method: 'POST',
      url: `/api/v1/organizations/${orgId}/members`,
      headers: root,
      payload: { email: 'mia@example.com', role: 'viewer' },
    });
    expect((await b.get(`/orgs/${orgId}/audits/new`)).statusCode).toBe(403);
    expect((await b.get(`/orgs/${orgId}`)).statusCode).toBe(200);
  });

  it('refuses a password equal to the e-mail address', async () => {
    const b = new Browser(t.app);
    await b.login('mia@example.com');
    await b.get('/account/password');
    const r = await b.post('/account/password', {
      current: 'correct horse battery',
      password: 'mia@example.com',
      confirm: 'mia@example.com',
    });
    expect(r.statusCode).toBe(422);
    expect(r.body).toContain('must not be your e-mail');
  });

  it('records who changed what, before and after, shows it on the record and exports it', async () => {
    const s = await t.app.inject({
      method: 'POST',
      url: `/api/v1/organizations/${orgId}/services`,
      headers: root,
      payload: { name: 'Hosting' },
    });
    await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/organizations/${orgId}/services/${s.json().id}`,
      headers: root,
    });
    const trail = (
      await t.app.inject({ method: 'GET', url: `/api/v1/organizations/${orgId}/trail?entity=service`, headers: root })
    ).json();
    expect(trail.map((e: { action: string }) => e.action)).toEqual(['delete', 'create']);
    expect(trail[0]).toMatchObject({ user: 'root@example.com', before: { name: 'Hosting' }, after: null });
    const members = await t.app.inject({
      method: 'GET',
      url: `/orgs/${orgId}/members`,
      headers: { ...root, 'accept-language': 'en' },
    });
    expect(members.body).toContain('History of this record');
    const csv = await t.app.inject({ method: 'GET', url: `/orgs/${orgId}/trail.csv`, headers: root });
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain('Hosting'); // the deleted service, named in the export
    expect(csv.body.split('\r\n').length).toBeGreaterThan(3);
  });

  it('keeps the trail append-only: the database refuses UPDATE and DELETE', async () => {
    await expect(sql`update audit_trail set action = 'x'`.execute(t.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_trail`.execute(t.db)).rejects.toThrow(/append-only/);
  });
});
