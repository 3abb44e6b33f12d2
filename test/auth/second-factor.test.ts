import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, makeApp, PASSWORD, seedUser, type TestApp } from '../helpers.js';

// Two-step verification (issue 19): TOTP codes as RFC 6238 defines them (30-second steps, six digits, SHA-1), made
// here by otplib's generator from the key the enrolment page shows in text, as an authenticator app would.

/** The key shown in text on the enrolment page. */
const shownKey = (html: string) => /<code class="token secret">([A-Z2-7]+)<\/code>/.exec(html)?.[1];
/** A code for the step before, the current one or the next (the server accepts one step either side). */
const codeAt = (secret: string, offsetSteps = 0) =>
  generate({ secret, epoch: Math.floor(Date.now() / 1000) + offsetSteps * 30 });

async function enrol(b: Browser): Promise<{ secret: string; recovery: string[] }> {
  const page = await b.get('/account/second-factor');
  expect(page.statusCode).toBe(200);
  expect(page.body).toMatch(/<img class="qr" src="data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+"/);
  const secret = shownKey(page.body)!;
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  const done = await b.post('/account/second-factor', { code: await codeAt(secret) });
  expect(done.statusCode).toBe(200);
  const recovery = [...done.body.matchAll(/<li><code>([A-Z0-9]{5}-[A-Z0-9]{5})<\/code><\/li>/g)].map((m) => m[1]!);
  return { secret, recovery };
}

/** Signs in with the password: the answer is the redirect to the second step, and no session yet. */
async function password(b: Browser, email: string) {
  await b.get('/login');
  const r = await b.post('/login', { email, password: PASSWORD });
  expect(r.statusCode).toBe(303);
  expect(r.headers.location).toBe('/login/second-factor');
  expect(b.cookies.has('sid')).toBe(false);
  expect((await b.get('/account')).statusCode).toBe(303); // not signed in
  return b.get('/login/second-factor');
}

describe('two-step verification (TOTP)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeApp();
    await seedUser(t.db, 'ling@example.com');
    await seedUser(t.db, 'root@example.com', { admin: true });
  });
  afterAll(async () => {
    await t.close();
  });

  it('enrols with a QR code and the key in text, shows ten recovery codes once, and never shows the key again', async () => {
    const b = new Browser(t.app, 'zh-CN');
    await b.login('ling@example.com');
    const { secret, recovery } = await enrol(b);
    expect(recovery).toHaveLength(10);
    expect(new Set(recovery).size).toBe(10);
    const after = await b.get('/account/second-factor');
    expect(after.body).toContain('两步验证已启用');
    expect(after.body).not.toContain(secret);
    expect(after.body).not.toContain(recovery[0]);
    expect(after.body).toContain('剩余恢复码：10 个');
    // At rest: neither the key nor a recovery code is in the database as written.
    const row = await t.db.selectFrom('second_factor').selectAll().executeTakeFirstOrThrow();
    expect(row.secret_box).not.toContain(secret);
    const hashes = await t.db.selectFrom('recovery_code').select('code_hash').execute();
    expect(hashes.map((h) => h.code_hash).join()).not.toContain(recovery[0]!.replace('-', ''));
  });

  it('asks for the code after the password; a wrong code is refused, the right one signs in', async () => {
    const b = new Browser(t.app, 'zh-CN');
    const step = await password(b, 'ling@example.com');
    expect(step.body).toContain('身份验证器应用');
    const wrong = await b.post('/login/second-factor', { code: '000000' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).toContain('验证码不正确，或已被使用过。');
    expect(b.cookies.has('sid')).toBe(false);
    const secret = await secretOf(t, 'ling@example.com');
    const ok = await b.post('/login/second-factor', { code: await codeAt(secret, 1) });
    expect(ok.statusCode).toBe(303);
    expect((await b.get('/account')).statusCode).toBe(200);
    // The same code a second time (another browser, same password) is refused: a code works once.
    const c = new Browser(t.app, 'en');
    await password(c, 'ling@example.com');
    expect((await c.post('/login/second-factor', { code: await codeAt(secret, 1) })).statusCode).toBe(401);
  });

  it('binds the half-done sign-in to its browser: another browser without its cookie gets no session', async () => {
    const b = new Browser(t.app, 'en');
    await password(b, 'ling@example.com');
    const other = new Browser(t.app, 'en');
    await other.get('/login');
    const r = await other.post('/login/second-factor', { code: await codeAt(await secretOf(t, 'ling@example.com')) });
    expect(r.statusCode).toBe(401);
    expect(r.body).toContain('The sign-in took too long or was started in another browser');
  });

  it('accepts a recovery code once, and refuses it when replayed', async () => {
    const b = new Browser(t.app, 'en');
    await b.login('root@example.com');
    const { recovery } = await enrol(b);
    const first = new Browser(t.app, 'en');
    await password(first, 'root@example.com');
    // Typed in lower case without the dash: still the code.
    const used = recovery[3]!;
    expect((await first.post('/login/second-factor', { code: used.toLowerCase().replace('-', '') })).statusCode).toBe(
      303,
    );
    const again = new Browser(t.app, 'en');
    await password(again, 'root@example.com');
    const replay = await again.post('/login/second-factor', { code: used });
    expect(replay.statusCode).toBe(401);
    expect(replay.body).toContain('That code is not right, or has been used already.');
    expect((await again.post('/login/second-factor', { code: recovery[4]! })).statusCode).toBe(303);
  });

  it('counts wrong codes like wrong passwords (the sign-in throttle): after five, the account waits', async () => {
    await seedUser(t.db, 'guess@example.com');
    const b = new Browser(t.app, 'en');
    await b.login('guess@example.com');
    await enrol(b);
    const g = new Browser(t.app, 'en');
    await password(g, 'guess@example.com');
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await g.post('/login/second-factor', { code: `12345${i}` })).statusCode);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses).toContain(429);
  });

  it('needs the code for a password-for-token exchange; tokens made before keep working', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/token',
      headers: { 'accept-language': 'en' },
      payload: { email: 'ling@example.com', password: PASSWORD },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json().message).toBe(
      'This account uses two-step verification: give the code from your authenticator app (or a recovery code).',
    );
  });

  it('lets an administrator reset a user’s second factor: the user then signs in with the password alone', async () => {
    const admin = new Browser(t.app, 'en');
    await admin.get('/login');
    await admin.post('/login', { email: 'root@example.com', password: PASSWORD });
    await admin.post('/login/second-factor', { code: await codeAt(await secretOf(t, 'root@example.com'), 1) });
    const list = await admin.get('/admin/users');
    expect(list.statusCode).toBe(200);
    const lingId = (
      await t.db.selectFrom('app_user').select('id').where('email', '=', 'ling@example.com').executeTakeFirstOrThrow()
    ).id;
    const reset = await admin.post(`/admin/users/${lingId}/second-factor/reset`, {});
    expect(reset.statusCode).toBe(303);
    expect((await admin.get('/admin/users')).body).toContain('Two-step verification of ling@example.com was reset');
    const b = new Browser(t.app, 'en');
    await b.login('ling@example.com');
    expect((await b.get('/account')).body).toContain('Two-step verification is off');
    const trail = await t.db
      .selectFrom('audit_trail')
      .select(['entity', 'after_json'])
      .where('entity', '=', 'user')
      .where('action', '=', 'update')
      .execute();
    expect(trail.map((r) => JSON.parse(r.after_json!).secondFactor)).toEqual(
      expect.arrayContaining(['enrolled', 'reset']),
    );
  });
});

describe('MFA_REQUIRED_FOR_ADMINS=1', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeApp({ mfaRequiredForAdmins: true });
    await seedUser(t.db, 'boss@example.com', { admin: true });
    await seedUser(t.db, 'staff@example.com');
  });
  afterAll(async () => {
    await t.close();
  });

  it('holds an administrator to the enrolment page until two-step verification is set up', async () => {
    const b = new Browser(t.app, 'zh-CN');
    await b.get('/login');
    await b.post('/login', { email: 'boss@example.com', password: PASSWORD });
    expect((await b.get('/')).headers.location).toBe('/account/second-factor');
    expect((await b.get('/admin/users')).headers.location).toBe('/account/second-factor');
    const form = await b.request({
      method: 'POST',
      url: '/admin/users',
      payload: { email: 'x@example.com', displayName: 'x', _csrf: b.csrf },
    });
    expect(form.statusCode).toBe(403);
    const page = await b.get('/account/second-factor');
    expect(page.body).toContain('本系统的管理员必须使用两步验证');
    const secret = shownKey(page.body)!;
    expect((await b.post('/account/second-factor', { code: await codeAt(secret) })).statusCode).toBe(200);
    expect((await b.get('/admin/users')).statusCode).toBe(200);
  });

  it('leaves other users free to choose', async () => {
    const b = new Browser(t.app, 'en');
    await b.login('staff@example.com');
    expect((await b.get('/account')).statusCode).toBe(200);
  });
});

/** The key as the user's authenticator holds it (read back through the enrolment's own secret box). */
async function secretOf(t: TestApp, email: string): Promise<string> {
  const { secretBox } = await import('../../src/auth/secret-box.js');
  const row = await t.db
    .selectFrom('second_factor')
    .innerJoin('app_user', 'app_user.id', 'second_factor.user_id')
    .select('secret_box')
    .where('email', '=', email)
    .executeTakeFirstOrThrow();
  return secretBox(t.app.config.sessionSecret).open(row.secret_box)!;
}
