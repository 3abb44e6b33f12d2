import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, bearerFor, makeApp, seedUser, type TestApp } from '../helpers.js';

// On PostgreSQL two transactions could both find "no membership yet" (then a unique-key error, a 500) or both find
// "another admin is left" (then no admin at all). Membership changes of one organisation now take turns, and the
// refused request says which membership it left as it was.
describe('simultaneous membership changes', () => {
  let t: TestApp;
  let orgId: number;
  const auth = { authorization: '' };
  const members = async () =>
    (await t.app.inject({ method: 'GET', url: `/api/v1/organizations/${orgId}/members`, headers: auth })).json() as {
      id: number;
      email: string;
      role: string;
    }[];

  beforeAll(async () => {
    t = await makeApp();
    await seedUser(t.db, 'root@example.com', { admin: true });
    await seedUser(t.db, 'alice@example.com');
    await seedUser(t.db, 'bob@example.com');
    auth.authorization = `Bearer ${await bearerFor(t.app, 'root@example.com')}`;
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/organizations',
      headers: auth,
      payload: { name: 'Gamma', code: 'GAM' },
    });
    orgId = r.json().id;
  });
  afterAll(async () => {
    await t.close();
  });

  it('adds the same person once when four requests arrive together, all answered 201', async () => {
    const results = await Promise.all(
      Array.from({ length: 4 }, () =>
        t.app.inject({
          method: 'POST',
          url: `/api/v1/organizations/${orgId}/members`,
          headers: auth,
          payload: { email: 'alice@example.com', role: 'auditor' },
        }),
      ),
    );
    expect(results.map((r) => r.statusCode)).toEqual([201, 201, 201, 201]);
    expect((await members()).filter((m) => m.email === 'alice@example.com')).toHaveLength(1);
  });

  it('demotes one of the last two admins and refuses the other with 409 naming it, when both arrive at once', async () => {
    const add = await t.app.inject({
      method: 'POST',
      url: `/api/v1/organizations/${orgId}/members`,
      headers: auth,
      payload: { email: 'bob@example.com', role: 'admin' },
    });
    expect(add.statusCode).toBe(201);
    const admins = (await members()).filter((m) => m.role === 'admin');
    expect(admins.map((m) => m.email).sort()).toEqual(['bob@example.com', 'root@example.com']);
    const answers = await Promise.all(
      admins.map((m) =>
        t.app.inject({
          method: 'PATCH',
          url: `/api/v1/organizations/${orgId}/members/${m.id}`,
          headers: auth,
          payload: { role: 'viewer' },
        }),
      ),
    );
    expect(answers.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const refused = admins[answers.findIndex((r) => r.statusCode === 409)]!;
    const done = admins[answers.findIndex((r) => r.statusCode === 200)]!;
    // The refusal names the membership it left alone, and that one is the organisation's administrator now.
    expect(answers.find((r) => r.statusCode === 409)!.json()).toMatchObject({
      error: 'lastAdmin',
      member: { id: refused.id, email: refused.email, role: 'admin' },
    });
    const after = await members();
    expect(after.filter((m) => m.role === 'admin').map((m) => m.email)).toEqual([refused.email]);
    expect(after.find((m) => m.id === done.id)?.role).toBe('viewer');
  });

  it('refuses to remove the last administrator, through the API (409 naming them) and the members page', async () => {
    // Whichever of the two won the race above is the last administrator now; they try to leave.
    const [last] = (await members()).filter((m) => m.role === 'admin');
    expect(last).toBeDefined();
    const del = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/organizations/${orgId}/members/${last!.id}`,
      headers: { authorization: `Bearer ${await bearerFor(t.app, last!.email)}` },
    });
    expect(del.statusCode).toBe(409);
    expect(del.json()).toMatchObject({ error: 'lastAdmin', member: { id: last!.id, role: 'admin' } });

    const page = new Browser(t.app);
    await page.login(last!.email);
    await page.get(`/orgs/${orgId}/members`);
    const post = await page.post(`/orgs/${orgId}/members/${last!.id}/delete`, {});
    expect(post.statusCode).toBe(303);
    expect((await page.get(`/orgs/${orgId}/members`)).body).toContain('must keep at least one administrator');
    expect((await members()).filter((m) => m.role === 'admin').map((m) => m.id)).toEqual([last!.id]);
  });
});
