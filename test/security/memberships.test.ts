import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFor, Browser, makeApp, seedUser, type TestApp } from '../helpers.js';

// Issue 14, tokens and memberships. The attacks: (1) one client's administrator added an existing user of another
// client, enrolling them without consent; (2) the member lookup answered 422 for an unknown address and 201 for a known
// one, so any client could test which e-mail addresses have accounts. Now an address that is not a member yet is
// invited — the same 202 whether or not it has an account — and joins only when its owner accepts after signing in.
describe('invitations instead of enrolment, and one answer for every address', () => {
  let t: TestApp;
  let orgA: number;
  let orgB: number;
  const root = { authorization: '' };
  const clientAdmin = { authorization: '' }; // bert: administrator of B only, not an instance administrator
  const api = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, headers: object, payload?: object) =>
    t.app.inject({ method, url, headers: { 'accept-language': 'en', ...headers }, ...(payload && { payload }) });
  const membersOf = async (orgId: number) =>
    (await api('GET', `/api/v1/organizations/${orgId}/members`, orgId === orgA ? root : clientAdmin)).json() as {
      id: number;
      email: string;
      role: string;
    }[];

  beforeAll(async () => {
    t = await makeApp();
    await seedUser(t.db, 'root@example.com', { admin: true });
    await seedUser(t.db, 'alice@a.example');
    await seedUser(t.db, 'bert@b.example');
    await seedUser(t.db, 'carol@a.example');
    root.authorization = `Bearer ${await bearerFor(t.app, 'root@example.com')}`;
    orgA = (await api('POST', '/api/v1/organizations', root, { name: 'Client A', code: 'CLA' })).json().id;
    orgB = (await api('POST', '/api/v1/organizations', root, { name: 'Client B', code: 'CLB' })).json().id;
    expect(
      (await api('POST', `/api/v1/organizations/${orgA}/members`, root, { email: 'alice@a.example', role: 'auditor' }))
        .statusCode,
    ).toBe(201);
    expect(
      (await api('POST', `/api/v1/organizations/${orgA}/members`, root, { email: 'carol@a.example', role: 'viewer' }))
        .statusCode,
    ).toBe(201);
    expect(
      (await api('POST', `/api/v1/organizations/${orgB}/members`, root, { email: 'bert@b.example', role: 'admin' }))
        .statusCode,
    ).toBe(201);
    clientAdmin.authorization = `Bearer ${await bearerFor(t.app, 'bert@b.example')}`;
    // The instance administrator who created B leaves it: bert is B's only administrator.
    const rootInB = ((await membersOf(orgB)) as { id: number; email: string }[]).find(
      (m) => m.email === 'root@example.com',
    )!;
    expect((await api('DELETE', `/api/v1/organizations/${orgB}/members/${rootInB.id}`, root)).statusCode).toBe(204);
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers a known and an unknown address alike (202, same body) and enrols nobody', async () => {
    const alice = new Browser(t.app);
    await alice.login('alice@a.example');
    const known = await api('POST', `/api/v1/organizations/${orgB}/members`, clientAdmin, {
      email: 'alice@a.example',
      role: 'admin',
    });
    const unknown = await api('POST', `/api/v1/organizations/${orgB}/members`, clientAdmin, {
      email: 'nobody@nowhere.example',
      role: 'admin',
    });
    expect([known.statusCode, unknown.statusCode]).toEqual([202, 202]);
    expect(known.json()).toEqual({ email: 'alice@a.example', role: 'admin', status: 'invited' });
    expect(unknown.json()).toEqual({ email: 'nobody@nowhere.example', role: 'admin', status: 'invited' });
    expect(Object.keys(known.headers).sort()).toEqual(Object.keys(unknown.headers).sort());
    // Nobody joined B; alice is still signed in and still works in A.
    expect((await membersOf(orgB)).map((m) => m.email)).toEqual(['bert@b.example']);
    expect((await alice.get(`/orgs/${orgA}`)).statusCode).toBe(200);
    expect((await alice.get(`/orgs/${orgB}`)).statusCode).toBe(404);
    const invitations = (await api('GET', `/api/v1/organizations/${orgB}/invitations`, clientAdmin)).json() as {
      email: string;
    }[];
    expect(invitations.map((i) => i.email).sort()).toEqual(['alice@a.example', 'nobody@nowhere.example']);
  });

  it('lets the invitee accept on the dashboard after signing in, and only them', async () => {
    const carol = new Browser(t.app);
    await carol.login('carol@a.example');
    const mine = (
      await api('GET', '/api/v1/invitations', { authorization: `Bearer ${await bearerFor(t.app, 'alice@a.example')}` })
    ).json() as {
      id: number;
      role: string;
      organization: { id: number; name: string };
    }[];
    expect(mine).toEqual([
      {
        id: expect.any(Number),
        role: 'admin',
        organization: { id: orgB, name: 'Client B', code: 'CLB' },
        createdAt: expect.any(String),
      },
    ]);
    // Someone else's invitation does not exist for carol.
    expect((await carol.post(`/invitations/${mine[0]!.id}/accept`, {})).statusCode).toBe(404);
    const alice = new Browser(t.app);
    await alice.login('alice@a.example');
    const home = await alice.get('/');
    expect(home.body).toContain('Client B');
    expect(home.body).toContain(`action="/invitations/${mine[0]!.id}/accept"`);
    const accepted = await alice.post(`/invitations/${mine[0]!.id}/accept`, {});
    expect(accepted.statusCode).toBe(303);
    expect(accepted.headers.location).toBe(`/orgs/${orgB}`);
    expect((await alice.get(`/orgs/${orgB}`)).statusCode).toBe(200);
    expect((await membersOf(orgB)).find((m) => m.email === 'alice@a.example')?.role).toBe('admin');
    expect((await membersOf(orgA)).find((m) => m.email === 'alice@a.example')?.role).toBe('auditor');
    expect(
      (
        await api('GET', '/api/v1/invitations', {
          authorization: `Bearer ${await bearerFor(t.app, 'alice@a.example')}`,
        })
      ).json(),
    ).toEqual([]);
  });

  it('lets the invitee decline, and the inviting administrator withdraw', async () => {
    await api('POST', `/api/v1/organizations/${orgB}/members`, clientAdmin, {
      email: 'carol@a.example',
      role: 'viewer',
    });
    const carolToken = { authorization: `Bearer ${await bearerFor(t.app, 'carol@a.example')}` };
    const [inv] = (await api('GET', '/api/v1/invitations', carolToken)).json() as { id: number }[];
    expect((await api('DELETE', `/api/v1/invitations/${inv!.id}`, carolToken)).statusCode).toBe(204);
    expect((await membersOf(orgB)).some((m) => m.email === 'carol@a.example')).toBe(false);
    const pending = (await api('GET', `/api/v1/organizations/${orgB}/invitations`, clientAdmin)).json() as {
      id: number;
      email: string;
    }[];
    const nobody = pending.find((i) => i.email === 'nobody@nowhere.example')!;
    // Another organisation's administrator cannot touch B's invitations.
    expect((await api('DELETE', `/api/v1/organizations/${orgA}/invitations/${nobody.id}`, root)).statusCode).toBe(404);
    expect(
      (await api('DELETE', `/api/v1/organizations/${orgB}/invitations/${nobody.id}`, clientAdmin)).statusCode,
    ).toBe(204);
    expect((await api('GET', `/api/v1/organizations/${orgB}/invitations`, clientAdmin)).json()).toEqual([]);
  });

  it('changes a role (PATCH) and removes a member (DELETE) without signing them out of another client', async () => {
    const alice = new Browser(t.app);
    await alice.login('alice@a.example');
    const inB = (await membersOf(orgB)).find((m) => m.email === 'alice@a.example')!;
    const patched = await api('PATCH', `/api/v1/organizations/${orgB}/members/${inB.id}`, clientAdmin, {
      role: 'viewer',
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ id: inB.id, email: 'alice@a.example', role: 'viewer' });
    expect((await alice.get(`/orgs/${orgA}`)).statusCode).toBe(200);
    // A field other than the role is refused, and the role stays as it was.
    expect(
      (
        await api('PATCH', `/api/v1/organizations/${orgB}/members/${inB.id}`, clientAdmin, {
          role: 'viewer',
          email: 'x@y.z',
        })
      ).statusCode,
    ).toBe(422);
    expect(
      (await api('PATCH', `/api/v1/organizations/${orgB}/members/${inB.id}`, clientAdmin, { role: 'owner' }))
        .statusCode,
    ).toBe(422);
    // B's administrator cannot reach A's memberships.
    const inA = (await membersOf(orgA)).find((m) => m.email === 'alice@a.example')!;
    expect(
      (await api('PATCH', `/api/v1/organizations/${orgB}/members/${inA.id}`, clientAdmin, { role: 'admin' }))
        .statusCode,
    ).toBe(404);
    expect((await api('DELETE', `/api/v1/organizations/${orgB}/members/${inA.id}`, clientAdmin)).statusCode).toBe(404);
    expect((await api('DELETE', `/api/v1/organizations/${orgB}/members/${inB.id}`, clientAdmin)).statusCode).toBe(204);
    expect((await alice.get(`/orgs/${orgB}`)).statusCode).toBe(404);
    expect((await alice.get(`/orgs/${orgA}`)).statusCode).toBe(200);
    expect((await membersOf(orgA)).find((m) => m.email === 'alice@a.example')?.role).toBe('auditor');
  });

  it('refuses to demote or remove the last administrator (409) and keeps them', async () => {
    const bert = (await membersOf(orgB)).find((m) => m.email === 'bert@b.example')!;
    const demote = await api('PATCH', `/api/v1/organizations/${orgB}/members/${bert.id}`, clientAdmin, {
      role: 'auditor',
    });
    expect(demote.statusCode).toBe(409);
    expect(demote.json()).toMatchObject({ error: 'lastAdmin', member: { id: bert.id, role: 'admin' } });
    const remove = await api('DELETE', `/api/v1/organizations/${orgB}/members/${bert.id}`, clientAdmin);
    expect(remove.statusCode).toBe(409);
    expect((await membersOf(orgB)).map((m) => [m.email, m.role])).toEqual([['bert@b.example', 'admin']]);
  });

  it('shows the members page form as an invitation, with the same message for any address (Chinese)', async () => {
    const bert = new Browser(t.app, 'zh-CN');
    await bert.login('bert@b.example');
    await bert.get(`/orgs/${orgB}/members`);
    const flashes: string[] = [];
    for (const email of ['carol@a.example', 'ghost@nowhere.example']) {
      const r = await bert.post(`/orgs/${orgB}/members`, { email, role: 'auditor' });
      expect(r.statusCode).toBe(303);
      flashes.push(
        (await bert.get(`/orgs/${orgB}/members`)).body
          .match(/<p class="flash ok"[^>]*>([^<]+)</)![1]!
          .replace(email, 'X'),
      );
    }
    expect(flashes[0]).toBe(flashes[1]);
    expect(flashes[0]).toContain('邀请');
    const page = (await bert.get(`/orgs/${orgB}/members`)).body;
    expect(page).toContain('ghost@nowhere.example');
    expect((await membersOf(orgB)).map((m) => m.email)).toEqual(['bert@b.example']);
  });
});

// Instance administrators: each user's tokens with a revoke button, and deactivation, on the users page.
describe('users page: tokens and deactivation', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeApp();
    await seedUser(t.db, 'root@example.com', { admin: true });
    await seedUser(t.db, 'dan@example.com');
  });
  afterAll(async () => {
    await t.close();
  });

  it("lists a user's tokens and revokes one; deactivates and reactivates the user", async () => {
    const token = await bearerFor(t.app, 'dan@example.com');
    const admin = new Browser(t.app);
    await admin.login('root@example.com');
    const dan = new Browser(t.app);
    await dan.login('dan@example.com');
    const page = (await admin.get('/admin/users')).body;
    const danId = (
      await t.db.selectFrom('app_user').select('id').where('email', '=', 'dan@example.com').executeTakeFirstOrThrow()
    ).id;
    const tokenId = (
      await t.db.selectFrom('api_token').select('id').where('user_id', '=', danId).executeTakeFirstOrThrow()
    ).id;
    expect(page).toContain('Tokens of dan@example.com (1 active)');
    expect(page).toContain(`action="/admin/users/${danId}/tokens/${tokenId}/revoke"`);
    expect((await admin.post(`/admin/users/${danId}/tokens/${tokenId}/revoke`, {})).statusCode).toBe(303);
    expect(
      (await t.app.inject({ url: '/api/v1/organizations', headers: { authorization: `Bearer ${token}` } })).statusCode,
    ).toBe(401);
    expect((await admin.get('/admin/users')).body).toContain('Tokens of dan@example.com (0 active)');

    expect((await admin.post(`/admin/users/${danId}/deactivate`, {})).statusCode).toBe(303);
    expect((await admin.get('/admin/users')).body).toContain(`action="/admin/users/${danId}/reactivate"`);
    expect((await dan.get('/')).statusCode).toBe(303); // signed out
    const again = new Browser(t.app);
    await expect(again.login('dan@example.com')).rejects.toThrow();
    expect((await admin.post(`/admin/users/${danId}/reactivate`, {})).statusCode).toBe(303);
    await again.login('dan@example.com');
    // Deactivating yourself is refused and changes nothing.
    const rootId = (
      await t.db.selectFrom('app_user').select('id').where('email', '=', 'root@example.com').executeTakeFirstOrThrow()
    ).id;
    await admin.post(`/admin/users/${rootId}/deactivate`, {});
    expect((await admin.get('/admin/users')).statusCode).toBe(200);
  });
});
