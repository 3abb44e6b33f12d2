import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bootstrapAdmin, countUsers } from '../../src/users/queries.js';
import { Browser, makeApp, PASSWORD, seedUser, type TestApp } from '../helpers.js';

describe('first-run setup and sign-in', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeApp();
  });
  afterEach(async () => {
    await t.close();
  });

  it('sends the first visitor of an empty database to setup, creates the administrator and the demo organisation', async () => {
    const b = new Browser(t.app);
    const home = await b.get('/');
    expect(home.statusCode).toBe(303);
    expect(home.headers.location).toBe('/setup');
    const page = await b.get('/setup');
    expect(page.body).toContain('First-run setup');
    const res = await b.post('/setup', {
      email: 'Admin@Example.com',
      displayName: 'Admin',
      password: PASSWORD,
      confirm: PASSWORD,
      demo: 'on',
    });
    expect(res.statusCode).toBe(303);
    const dash = await b.get('/');
    expect(dash.statusCode).toBe(200);
    expect(dash.body).toContain('Demo Data Services Ltd');
    // Setup is closed once an account exists.
    expect((await new Browser(t.app).get('/setup')).headers.location).toBe('/login');
  });

  it('keeps what was typed and shows the error next to the field when setup input is invalid', async () => {
    const b = new Browser(t.app);
    await b.get('/setup');
    const res = await b.post('/setup', {
      email: 'boss@example.com',
      displayName: 'Boss',
      password: 'short',
      confirm: 'short',
    });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('value="boss@example.com"');
    expect(res.body).toContain('Use at least 10 characters.');
    expect(await countUsers(t.db)).toBe(0);
  });

  it('creates the administrator from ADMIN_EMAIL / ADMIN_PASSWORD on an empty database only', async () => {
    expect(await bootstrapAdmin(t.db, 'ops@example.com', PASSWORD)).toBe(true);
    expect(await bootstrapAdmin(t.db, 'other@example.com', PASSWORD)).toBe(false);
    expect((await new Browser(t.app).get('/')).headers.location).toBe('/login');
    await new Browser(t.app).login('ops@example.com');
  });

  it('signs in with a new session id each time, signs out, and refuses a wrong password', async () => {
    await seedUser(t.db, 'anna@example.com');
    const b = new Browser(t.app);
    await b.get('/login');
    const bad = await b.post('/login', { email: 'anna@example.com', password: 'wrong password!' });
    expect(bad.statusCode).toBe(401);
    expect(bad.body).toContain('E-mail or password is wrong.');
    await b.login('anna@example.com');
    const first = b.cookies.get('sid');
    await b.login('anna@example.com');
    expect(b.cookies.get('sid')).not.toBe(first);
    const out = await b.post('/logout', {});
    expect(out.statusCode).toBe(303);
    expect((await b.get('/account')).headers.location).toMatch(/^\/login/);
  });

  it('rate-limits repeated failed sign-ins on one account', async () => {
    await seedUser(t.db, 'bob@example.com');
    const b = new Browser(t.app);
    for (let i = 0; i < 8; i++) await b.post('/login', { email: 'bob@example.com', password: `nope-${i}-xxxxx` });
    const res = await b.post('/login', { email: 'bob@example.com', password: PASSWORD });
    expect(res.statusCode).toBe(429);
    const retryAfter = Number(res.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    // Per account: another account from the same address signs in at once.
    await seedUser(t.db, 'bea@example.com');
    const other = new Browser(t.app);
    expect((await other.post('/login', { email: 'bea@example.com', password: PASSWORD })).statusCode).toBe(303);
    // The owner from another address is not refused either.
    const elsewhere = new Browser(t.app);
    await elsewhere.get('/login');
    const fromElsewhere = await elsewhere.request({
      method: 'POST',
      url: '/login',
      remoteAddress: '198.51.100.7',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ email: 'bob@example.com', password: PASSWORD, _csrf: elsewhere.csrf }).toString(),
    });
    expect(fromElsewhere.statusCode).toBe(303);
  }, 90_000); // a dozen password hashes: slow on a busy two-core machine

  it('lifts the delay once it has passed: the right password is accepted again from the same address', async () => {
    await seedUser(t.db, 'cleo@example.com');
    const b = new Browser(t.app);
    for (let i = 0; i < 8; i++) await b.post('/login', { email: 'cleo@example.com', password: `nope-${i}-xxxxx` });
    const refused = await b.post('/login', { email: 'cleo@example.com', password: PASSWORD });
    expect(refused.statusCode).toBe(429);
    const waitMs = (Number(refused.headers['retry-after']) + 1) * 1000;
    // Time passes (no timed test: the stored attempt times move back by the wait the answer named).
    const rows = await t.db
      .selectFrom('sign_in_throttle')
      .selectAll()
      .where('key', 'like', '%cleo@example.com%')
      .execute();
    for (const r of rows)
      await t.db
        .updateTable('sign_in_throttle')
        .set({
          last_at: new Date(Date.parse(r.last_at) - waitMs).toISOString(),
          previous_at: r.previous_at && new Date(Date.parse(r.previous_at) - waitMs).toISOString(),
        })
        .where('key', '=', r.key)
        .execute();
    expect((await b.post('/login', { email: 'cleo@example.com', password: PASSWORD })).statusCode).toBe(303);
  }, 90_000);

  it('makes a user with a temporary password change it before anything else', async () => {
    const admin = new Browser(t.app);
    await seedUser(t.db, 'root@example.com', { admin: true });
    await admin.login('root@example.com');
    const created = await admin.post('/admin/users', { email: 'new@example.com', displayName: 'New' });
    expect(created.statusCode).toBe(200);
    const temp = /<code class="token">([^<]+)<\/code>/.exec(created.body)![1]!;

    const u = new Browser(t.app);
    await u.get('/login');
    await u.post('/login', { email: 'new@example.com', password: temp });
    const dash = await u.get('/');
    expect(dash.headers.location).toBe('/account/password');
    expect((await u.get('/account')).headers.location).toBe('/account/password');
    await u.get('/account/password');
    const changed = await u.post('/account/password', {
      current: temp,
      password: 'a brand new secret',
      confirm: 'a brand new secret',
    });
    expect(changed.statusCode).toBe(303);
    expect((await u.get('/')).statusCode).toBe(200);
  });
});
