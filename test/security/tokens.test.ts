import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, bearerFor, PASSWORD, seedUser } from '../helpers.js';
import { type World, world } from '../reports/setup.js';

// Tokens on a shared instance (issue 14).
describe('API and calendar tokens', () => {
  let w: World;
  let orgB: number;

  /** A calendar link made on an organisation's reports page, as a signed-in member does it. */
  const calendarLink = async (b: Browser, orgId: number) => {
    await b.get(`/orgs/${orgId}/reports`);
    const r = await b.post(`/orgs/${orgId}/reports/calendar-link`, {});
    expect(r.statusCode, r.body.slice(0, 300)).toBe(200);
    return /<code class="token">[^<]*\?token=([^<]+)<\/code>/.exec(r.body)![1]!;
  };
  const feed = (orgId: number, token: string) =>
    w.t.app.inject({ method: 'GET', url: `/api/v1/organizations/${orgId}/programme.ics?token=${token}` });
  const me = (token: string) =>
    w.t.app.inject({ method: 'GET', url: '/api/v1/auth/tokens', headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    w = await world();
    const b = await w.api('POST', '/api/v1/organizations', w.root, { name: 'Client B', code: 'BBB' });
    orgB = b.json().id;
    // chen is a member of both organisations.
    await w.api('POST', `/api/v1/organizations/${orgB}/members`, w.root, {
      email: 'chen@example.com',
      role: 'auditor',
    });
  });
  afterAll(async () => {
    await w.t.close();
  });

  // Attack: a calendar link made for organisation A also opened B's and C's feeds (any organisation its user
  // belongs to). The token now names the organisation it was made for.
  it('opens only the feed of the organisation the calendar link was made for', async () => {
    const b = new Browser(w.t.app);
    await b.login('chen@example.com');
    const token = await calendarLink(b, w.orgId);
    expect((await feed(w.orgId, token)).statusCode).toBe(200);
    expect((await feed(orgB, token)).statusCode).toBe(401);
  });

  // Attack: API and calendar tokens survived a password change, so whoever had learnt the old password (and made
  // a token with it) kept access. A password change revokes them, and the user is told.
  it('revokes the user’s API and calendar tokens when they change their password, and says so', async () => {
    await seedUser(w.t.db, 'changer@example.com');
    await w.api('POST', `/api/v1/organizations/${w.orgId}/members`, w.root, {
      email: 'changer@example.com',
      role: 'auditor',
    });
    const api = await bearerFor(w.t.app, 'changer@example.com');
    const b = new Browser(w.t.app);
    await b.login('changer@example.com');
    const cal = await calendarLink(b, w.orgId);
    expect((await me(api)).statusCode).toBe(200);
    await b.get('/account/password');
    const r = await b.post('/account/password', {
      current: PASSWORD,
      password: 'a completely new passphrase',
      confirm: 'a completely new passphrase',
    });
    expect(r.statusCode).toBe(303);
    const home = await b.get('/');
    expect(home.body).toContain(
      'Password changed. Your 2 API and calendar token(s) were revoked with the old password; make new ones under My account if you need them.',
    );
    expect((await me(api)).statusCode).toBe(401);
    expect((await feed(w.orgId, cal)).statusCode).toBe(401);
  });

  // Attack: an administrator's reset (the password may be known to someone else) left the user's tokens working.
  it('revokes the user’s tokens on an administrator’s reset, and tells the administrator', async () => {
    await seedUser(w.t.db, 'reset@example.com');
    const api = await bearerFor(w.t.app, 'reset@example.com');
    const userId = (
      await w.t.db
        .selectFrom('app_user')
        .select('id')
        .where('email', '=', 'reset@example.com')
        .executeTakeFirstOrThrow()
    ).id;
    const admin = new Browser(w.t.app);
    await admin.login('root@example.com');
    await admin.get('/admin/users');
    const r = await admin.post(`/admin/users/${userId}/reset`, {});
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('The user&#39;s 1 API and calendar token(s) were revoked too.');
    expect((await me(api)).statusCode).toBe(401);
  });

  // Attack: one client's administrator could sign a person out everywhere: changing the role of a member who also
  // belongs to other organisations ended all their sessions, in every organisation. The role is read on every
  // request, so the change applies at once and the member's sessions stay.
  it('applies a role change at once without ending the member’s sessions in other organisations', async () => {
    const b = new Browser(w.t.app);
    await b.login('chen@example.com'); // lead auditor of JIA, auditor of BBB
    expect((await b.get(`/orgs/${w.orgId}`)).statusCode).toBe(200);
    const members = (await w.api('GET', `/api/v1/organizations/${orgB}/members`, w.root)).json() as {
      email: string;
    }[];
    expect(members.some((m) => m.email === 'chen@example.com')).toBe(true);
    const change = await w.api('POST', `/api/v1/organizations/${orgB}/members`, w.root, {
      email: 'chen@example.com',
      role: 'viewer',
    });
    expect(change.statusCode, change.body).toBeLessThan(300);
    const still = await b.get(`/orgs/${w.orgId}`);
    expect(still.statusCode, String(still.headers.location)).toBe(200);
    const roleInB = await w.t.db
      .selectFrom('membership')
      .innerJoin('app_user', 'app_user.id', 'membership.user_id')
      .select('membership.role')
      .where('membership.organization_id', '=', orgB)
      .where('app_user.email', '=', 'chen@example.com')
      .executeTakeFirstOrThrow();
    expect(roleInB.role).toBe('viewer');
  });

  // Issue 14: an administrator could not see or end another user's tokens (a leaked calendar link, a departed
  // consultant's script). Instance administrators list and revoke any user's tokens.
  it('lets instance administrators list and revoke any user’s tokens; others get 403', async () => {
    await seedUser(w.t.db, 'script@example.com');
    const token = await bearerFor(w.t.app, 'script@example.com');
    const userId = (
      await w.t.db
        .selectFrom('app_user')
        .select('id')
        .where('email', '=', 'script@example.com')
        .executeTakeFirstOrThrow()
    ).id;
    expect((await w.api('GET', `/api/v1/users/${userId}/tokens`, w.lead)).statusCode).toBe(403);
    const list = await w.api('GET', `/api/v1/users/${userId}/tokens`, w.root);
    expect(list.statusCode).toBe(200);
    const rows = list.json() as { id: number; scope: string; revokedAt: string | null }[];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ scope: 'api', revokedAt: null });
    const del = await w.t.app.inject({
      method: 'DELETE',
      url: `/api/v1/users/${userId}/tokens/${rows[0]!.id}`,
      headers: w.root,
    });
    expect(del.statusCode).toBe(204);
    expect((await me(token)).statusCode).toBe(401);
  });

  // Issue 17: deactivating a user (PATCH {"active": false}): they cannot sign in, their tokens answer 401, their
  // records keep their name; an administrator cannot deactivate themself.
  it('deactivates and reactivates a user', async () => {
    await seedUser(w.t.db, 'leaver@example.com');
    const token = await bearerFor(w.t.app, 'leaver@example.com');
    const userId = (
      await w.t.db
        .selectFrom('app_user')
        .select('id')
        .where('email', '=', 'leaver@example.com')
        .executeTakeFirstOrThrow()
    ).id;
    const off = await w.api('PATCH', `/api/v1/users/${userId}`, w.root, { active: false });
    expect(off.statusCode, off.body).toBe(200);
    expect(off.json()).toEqual({ id: userId, email: 'leaver@example.com', displayName: 'leaver', active: false });
    expect((await me(token)).statusCode).toBe(401);
    const signIn = await w.t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/token',
      payload: { email: 'leaver@example.com', password: PASSWORD },
    });
    expect(signIn.statusCode).toBe(401);
    const rootId = (
      await w.t.db.selectFrom('app_user').select('id').where('email', '=', 'root@example.com').executeTakeFirstOrThrow()
    ).id;
    expect((await w.api('PATCH', `/api/v1/users/${rootId}`, w.root, { active: false })).statusCode).toBe(409);
    expect((await w.api('PATCH', `/api/v1/users/${userId}`, w.lead, { active: true })).statusCode).toBe(403);
    expect((await w.api('PATCH', `/api/v1/users/${userId}`, w.root, { active: true })).statusCode).toBe(200);
    expect((await bearerFor(w.t.app, 'leaver@example.com')).length).toBeGreaterThan(20);
  });
});
