import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFor, makeApp, seedUser, type TestApp } from '../helpers.js';

// On PostgreSQL two transactions could both find "no membership yet" (then a unique-key error, a 500) or both find
// "another admin is left" (then no admin at all). Membership changes of one organisation now take turns.
describe('simultaneous membership changes', () => {
  let t: TestApp;
  let orgId: number;
  const auth = { authorization: '' };
  const members = async () =>
    (await t.app.inject({ method: 'GET', url: `/api/v1/organizations/${orgId}/members`, headers: auth })).json() as {
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

  it('never leaves the organisation without an admin when both admins are demoted at once', async () => {
    const add = await t.app.inject({
      method: 'POST',
      url: `/api/v1/organizations/${orgId}/members`,
      headers: auth,
      payload: { email: 'bob@example.com', role: 'admin' },
    });
    expect(add.statusCode).toBe(201);
    await Promise.all(
      ['root@example.com', 'bob@example.com'].map((email) =>
        t.app.inject({
          method: 'POST',
          url: `/api/v1/organizations/${orgId}/members`,
          headers: auth,
          payload: { email, role: 'viewer' },
        }),
      ),
    );
    expect((await members()).filter((m) => m.role === 'admin').length).toBeGreaterThanOrEqual(1);
  });
});
