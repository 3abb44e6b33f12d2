import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { Browser, makeApp, PASSWORD, seedUser, type TestApp } from '../helpers.js';

const signIn = (t: TestApp, email: string, password: string, from?: string) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/token',
    headers: { 'accept-language': 'en', ...(from && { 'x-forwarded-for': from }) },
    payload: { email, password },
  });
const failures = async (t: TestApp, key: string) =>
  (await t.db.selectFrom('sign_in_throttle').select('failures').where('key', '=', key).executeTakeFirst())?.failures ??
  0;

// Sign-in and sessions on a shared instance (issue 14).
describe('sign-in throttle behind a proxy (TRUST_PROXY=1)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeApp({ trustProxy: 1 });
    for (const who of ['victim', 'owner', 'parallel', 'crowd']) await seedUser(t.db, `${who}@example.com`);
  });
  afterAll(async () => {
    await t.close();
  });

  // Attack: behind a proxy every request came from the proxy's address, so 30 failed sign-ins by one client locked
  // out everyone. With TRUST_PROXY the client's own address (X-Forwarded-For) is the one counted.
  it('counts the client’s own address: one client’s failures do not stop another client', {
    timeout: 120_000,
  }, async () => {
    for (let i = 0; i < 31; i++) await signIn(t, `nobody${i}@example.com`, 'wrong password!', '203.0.113.9');
    // Further guesses from there wait (1 s, 2 s, …): of three sent at once, some are refused.
    const more = await Promise.all(
      [1, 2, 3].map((i) => signIn(t, `more${i}@example.com`, 'wrong password!', '203.0.113.9')),
    );
    expect(more.map((r) => r.statusCode)).toContain(429);
    expect((await signIn(t, 'crowd@example.com', PASSWORD, '198.51.100.7')).statusCode).toBe(201);
  });

  // Attack: anyone could lock an account (8 wrong passwords locked it for 15 minutes, for its owner too). Now the
  // guesser's address slows down, and the owner signing in from another address gets in.
  it('never locks the owner out: the right password from a new address is accepted after at most a short wait', {
    timeout: 120_000,
  }, async () => {
    for (let i = 0; i < 12; i++) await signIn(t, 'victim@example.com', `guess-${i}-xxxx`, '203.0.113.50');
    const blocked = await signIn(t, 'victim@example.com', PASSWORD, '203.0.113.50');
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(blocked.json().message).toMatch(/^Too many failed attempts from here\. Wait \d+ seconds and try again\.$/);
    const t0 = performance.now();
    expect((await signIn(t, 'victim@example.com', PASSWORD, '192.0.2.77')).statusCode).toBe(201);
    // The throttle's share is at most 2 s (the account's short wait); the rest is hashing on a busy machine.
    expect(performance.now() - t0).toBeLessThan(2000 + 8000);
  });

  // Attack: 20 wrong passwords sent in parallel were all checked against a limit of 8, because the count was read
  // before any of them was recorded. Now each attempt is counted in one statement before its password is checked.
  // (Exactly the free 5 when all 20 arrive within a second; a slow machine may let a further one through each time
  // its delay — 1 s, 2 s, 4 s … — has passed, never all 20.)
  it('counts parallel attempts before checking: of 20 parallel guesses only the free 5 (and what the delays let through) are checked', {
    timeout: 120_000,
  }, async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => signIn(t, 'parallel@example.com', `parallel-${i}-xx`, '203.0.113.60')),
    );
    const codes = results.map((r) => r.statusCode);
    const checked = codes.filter((c) => c === 401).length;
    expect(checked).toBeGreaterThanOrEqual(5);
    expect(checked).toBeLessThanOrEqual(9);
    expect(codes.filter((c) => c === 429)).toHaveLength(20 - checked);
    expect(await failures(t, 'pair:parallel@example.com 203.0.113.60')).toBe(20);
  });
});

describe('sign-in without TRUST_PROXY (the default)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeApp();
    await seedUser(t.db, 'anna@example.com');
    await seedUser(t.db, 'changer@example.com');
  });
  afterAll(async () => {
    await t.close();
  });

  it('reads TRUST_PROXY as off, a hop count, or a list of addresses', () => {
    const base = { DATA_DIR: '/tmp/iso20000-cfg', SESSION_SECRET: 's'.repeat(40) };
    expect(loadConfig(base).trustProxy).toBe(false);
    expect(loadConfig({ ...base, TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ ...base, TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy).toEqual([
      '10.0.0.0/8',
      '127.0.0.1',
    ]);
    expect(() => loadConfig({ ...base, TRUST_PROXY: 'yes please' })).toThrow(/TRUST_PROXY/);
  });

  // Attack: without a trusted proxy, a forged X-Forwarded-For must not give each guess a fresh address.
  it('ignores a forged X-Forwarded-For: the guesses still count on the real address', {
    timeout: 120_000,
  }, async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => signIn(t, 'anna@example.com', `forged-${i}-xxx`, `10.9.${i}.1`)),
    );
    const codes = results.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 401).length).toBeGreaterThanOrEqual(5);
    expect(codes.filter((c) => c === 429).length).toBeGreaterThanOrEqual(1);
  });

  // Attack: the current-password check on the password-change page had no limit at all, so a stolen session
  // could guess the password. It now shares the sign-in throttle.
  it('throttles guesses of the current password on the password-change page', { timeout: 120_000 }, async () => {
    const b = new Browser(t.app);
    await b.login('changer@example.com');
    await b.get('/account/password');
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        b.post('/account/password', {
          current: `not-it-${i}-xxxx`,
          password: 'a brand new passphrase',
          confirm: 'a brand new passphrase',
        }),
      ),
    );
    const codes = results.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 422).length).toBeGreaterThanOrEqual(5);
    expect(codes.filter((c) => c === 429).length).toBeGreaterThanOrEqual(1);
  });
});

describe('redirect after sign-in and absolute links', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeApp({ publicUrl: 'https://audit.example.com', publicOrigin: 'https://audit.example.com' });
    await seedUser(t.db, 'root@example.com', { admin: true });
  });
  afterAll(async () => {
    await t.close();
  });

  // Attack: next=/\t/evil.test redirected off-site (browsers drop the tab and read //evil.test); a next with CR, LF,
  // DEL or characters beyond Latin-1 crashed the redirect with a raw 500 (ERR_INVALID_CHAR).
  it.each([
    ['/\t/evil.test', '/'],
    ['/\\evil.test', '/'],
    ['//evil.test', '/'],
    ['https://evil.test/', '/'],
    ['/ok\r\nSet-Cookie: x=1', '/'],
    ['/ok\u007f', '/'],
    ['/审核', '/'],
    ['/\n/evil.test', '/'],
    ['/audits/7?tab=x#findings', '/audits/7?tab=x#findings'],
  ])('sends next=%j to %s after sign-in', async (next, where) => {
    const b = new Browser(t.app);
    await b.get('/login');
    const r = await b.post('/login', { email: 'root@example.com', password: PASSWORD, next });
    expect(r.statusCode, r.body.slice(0, 200)).toBe(303);
    expect(r.headers.location).toBe(where);
  });

  // Attack: the calendar link (token included) was built from the Host header, so a forged Host made the app show
  // the user a link to the attacker's server carrying their token. It is built from PUBLIC_URL.
  it('builds the calendar link from PUBLIC_URL, never from the Host header', async () => {
    const b = new Browser(t.app);
    await b.login('root@example.com');
    const org = await b.post('/orgs', { name: 'Host test', code: 'HOST' });
    const orgId = Number(/\/orgs\/(\d+)/.exec(String(org.headers.location))?.[1]);
    expect(orgId).toBeGreaterThan(0);
    await b.get(`/orgs/${orgId}/reports`);
    const r = await b.request({
      method: 'POST',
      url: `/orgs/${orgId}/reports/calendar-link`,
      payload: new URLSearchParams({ _csrf: b.csrf }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', host: 'evil.test' },
    });
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain(`https://audit.example.com/api/v1/organizations/${orgId}/programme.ics?token=`);
    expect(r.body).not.toContain('evil.test');
  });
});
