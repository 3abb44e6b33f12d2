import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, makeApp, PASSWORD, seedUser, type TestApp } from '../helpers.js';
import { startProvider, type TestProvider, throughProvider } from '../support/oidc-provider.js';

// Single sign-on with OpenID Connect (issue 19), against a real OpenID provider (oidc-provider) on an ephemeral port.
// The app's address is testConfig's PUBLIC_URL default, http://127.0.0.1:3000: requests to it are injected.
const APP = 'http://127.0.0.1:3000';
const CALLBACK = `${APP}/login/oidc/callback`;

/** Clicks "Sign in with …", passes the provider, and gives the callback address the provider sent the browser to. */
async function toCallback(b: Browser): Promise<string> {
  const start = await b.get('/login/oidc');
  expect(start.statusCode).toBe(303);
  const back = await throughProvider(String(start.headers.location), CALLBACK);
  return back.slice(APP.length);
}

const signedInAs = async (b: Browser) => {
  const account = await b.get('/account');
  return account.statusCode === 200 ? /&lt;([^&]+)&gt;/.exec(account.body)?.[1] : undefined;
};

describe('single sign-on (OpenID Connect)', () => {
  let idp: TestProvider;
  let t: TestApp;
  beforeAll(async () => {
    idp = await startProvider([CALLBACK]);
    t = await makeApp({
      oidc: {
        issuer: idp.issuer,
        clientId: idp.clientId,
        clientSecret: idp.clientSecret,
        providerName: 'Example IdP',
        allowedDomains: ['example.cn'],
      },
    });
    await seedUser(t.db, 'mei@example.com');
  });
  afterAll(async () => {
    await t?.close();
    await idp?.close();
  });
  const as = (email: string, emailVerified = true, name = 'Li Hua') => {
    idp.account = { sub: `sub-${email}`, email, emailVerified, name };
    idp.rewriteIdToken = null;
  };

  it('offers "Sign in with <provider>" on the sign-in page, in both languages, beside the password form', async () => {
    const zh = await new Browser(t.app, 'zh-CN').get('/login');
    expect(zh.body).toContain('使用 Example IdP 登录');
    expect(zh.body).toContain('name="password"');
    expect((await new Browser(t.app, 'en').get('/login')).body).toContain('Sign in with Example IdP');
  });

  it('creates the account of a new person whose verified e-mail is in an allowed domain, and records the sign-in', async () => {
    as('neu@example.cn', true, '李华');
    const b = new Browser(t.app, 'zh-CN');
    const done = await b.get(await toCallback(b));
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/');
    expect(await signedInAs(b)).toBe('neu@example.cn');
    const user = await t.db
      .selectFrom('app_user')
      .selectAll()
      .where('email', '=', 'neu@example.cn')
      .executeTakeFirstOrThrow();
    expect(user.display_name).toBe('李华');
    expect(user.is_admin).toBe(0);
    const trail = await t.db.selectFrom('audit_trail').selectAll().where('user_id', '=', user.id).execute();
    expect(trail.map((r) => r.entity).sort()).toEqual(['sign_in', 'user']);
    expect(JSON.parse(trail.find((r) => r.entity === 'sign_in')!.after_json!)).toEqual({
      via: 'oidc',
      issuer: idp.issuer,
    });
    // Its password sign-in does not open: the account has no password of its own.
    const p = new Browser(t.app, 'en');
    await p.get('/login');
    expect((await p.post('/login', { email: 'neu@example.cn', password: PASSWORD })).statusCode).toBe(401);
  });

  it('shows an account made by single sign-on where its sign-in comes from, and no password to change', async () => {
    as('neu@example.cn', true, '李华');
    const b = new Browser(t.app, 'zh-CN');
    expect((await b.get(await toCallback(b))).statusCode).toBe(303);
    const page = await b.get('/account');
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('href="/account/password"');
    expect(page.body).not.toContain('>修改密码</a>');
    expect(page.body).toContain('您通过单点登录（Example IdP）登录：本账户在此没有密码，请在 Example IdP 修改密码。');
    // The password page has nothing for it either: back to the account page, which says why.
    const direct = await b.get('/account/password');
    expect(direct.statusCode).toBe(303);
    expect(direct.headers.location).toBe('/account');
    expect((await b.get('/account')).body).toContain('本账户在此没有可修改的密码：它通过单点登录登录。');
    const post = await b.post('/account/password', {
      current: 'x',
      password: 'a new long passphrase',
      confirm: 'a new long passphrase',
    });
    expect(post.statusCode).toBe(303);
    const hash = await t.db
      .selectFrom('app_user')
      .select('password_hash')
      .where('email', '=', 'neu@example.cn')
      .executeTakeFirstOrThrow();
    expect(hash.password_hash).toBe('none');
    // An account with a password of its own still has the link, even when it signed in through the provider.
    const p = new Browser(t.app, 'en');
    await p.login('mei@example.com');
    const own = await p.get('/account');
    expect(own.body).toContain('href="/account/password"');
    expect(own.body).not.toContain('You sign in through single sign-on');
  });

  it('signs an existing account in by its verified e-mail (any domain), keeping where the person was going', async () => {
    as('Mei@Example.com');
    const b = new Browser(t.app, 'en');
    const start = await b.get('/login/oidc?next=%2Faccount');
    const back = await throughProvider(String(start.headers.location), CALLBACK);
    const done = await b.get(back.slice(APP.length));
    expect(done.headers.location).toBe('/account');
    expect(await signedInAs(b)).toBe('mei@example.com');
    expect(await t.db.selectFrom('app_user').select('id').where('email', 'like', '%mei%').execute()).toHaveLength(1);
  });

  it('refuses a callback whose state was tampered with', async () => {
    as('mei@example.com');
    const b = new Browser(t.app, 'en');
    const back = await toCallback(b);
    const tampered = back.replace(/state=[^&]+/, 'state=forged-state-value');
    expect(tampered).not.toBe(back);
    const r = await b.get(tampered);
    expect(r.statusCode).toBe(401);
    expect(r.body).toContain('Example IdP did not confirm who you are');
    expect(b.cookies.has('sid')).toBe(false);
  });

  it('refuses a callback that reaches another browser (no attempt cookie there)', async () => {
    as('mei@example.com');
    const back = await toCallback(new Browser(t.app, 'en'));
    const other = new Browser(t.app, 'zh-CN');
    const r = await other.get(back);
    expect(r.statusCode).toBe(400);
    expect(r.body).toContain('单点登录耗时过长，或是在另一个浏览器中开始的');
    expect(other.cookies.has('sid')).toBe(false);
  });

  it('refuses an ID token made out to another client (wrong audience)', async () => {
    as('mei@example.com');
    idp.rewriteIdToken = (c) => ({ ...c, aud: 'another-client' });
    const b = new Browser(t.app, 'en');
    const r = await b.get(await toCallback(b));
    expect(r.statusCode).toBe(401);
    expect(b.cookies.has('sid')).toBe(false);
  });

  it('refuses an expired ID token', async () => {
    as('mei@example.com');
    const hourAgo = Math.floor(Date.now() / 1000) - 3600;
    idp.rewriteIdToken = (c) => ({ ...c, iat: hourAgo - 300, exp: hourAgo });
    const b = new Browser(t.app, 'en');
    const r = await b.get(await toCallback(b));
    expect(r.statusCode).toBe(401);
    expect(b.cookies.has('sid')).toBe(false);
  });

  it('accepts the same flow untouched (the rewriting alone made the two above fail)', async () => {
    as('mei@example.com');
    idp.rewriteIdToken = (c) => c; // re-signed with the provider's key, claims unchanged
    const b = new Browser(t.app, 'en');
    expect((await b.get(await toCallback(b))).statusCode).toBe(303);
    expect(await signedInAs(b)).toBe('mei@example.com');
  });

  it('refuses an e-mail address the provider has not verified, even of an existing account', async () => {
    as('mei@example.com', false);
    const b = new Browser(t.app, 'zh-CN');
    const r = await b.get(await toCallback(b));
    expect(r.statusCode).toBe(403);
    expect(r.body).toContain('Example IdP 显示您的电子邮箱尚未验证');
    expect(b.cookies.has('sid')).toBe(false);
  });

  it('refuses a new person of a domain that is not allowed, saying so in their language', async () => {
    as('stranger@other.org');
    const zh = new Browser(t.app, 'zh-CN');
    const r = await zh.get(await toCallback(zh));
    expect(r.statusCode).toBe(403);
    expect(r.body).toContain('不会为 other.org 的邮箱自动创建账号：请联系管理员为您添加。');
    const en = new Browser(t.app, 'en');
    expect((await en.get(await toCallback(en))).body).toContain(
      'accounts for other.org are not created automatically: ask an administrator to add you.',
    );
    expect(await t.db.selectFrom('app_user').select('id').where('email', '=', 'stranger@other.org').execute()).toEqual(
      [],
    );
  });
});

describe('LOCAL_PASSWORDS=0', () => {
  let idp: TestProvider;
  let t: TestApp;
  beforeAll(async () => {
    idp = await startProvider([CALLBACK]);
    t = await makeApp({
      localPasswords: false,
      oidc: {
        issuer: idp.issuer,
        clientId: idp.clientId,
        clientSecret: idp.clientSecret,
        providerName: 'Corp SSO',
        allowedDomains: [],
      },
    });
    await seedUser(t.db, 'mei@example.com');
  });
  afterAll(async () => {
    await t?.close();
    await idp?.close();
  });

  it('shows only the single sign-on button and refuses passwords, in the browser and for API tokens', async () => {
    const b = new Browser(t.app, 'en');
    const page = await b.get('/login');
    expect(page.body).toContain('Sign in with Corp SSO');
    expect(page.body).not.toContain('name="password"');
    const r = await b.post('/login', { email: 'mei@example.com', password: PASSWORD });
    expect(r.statusCode).toBe(403);
    expect(r.body).toContain('Sign-in with e-mail and password is switched off here');
    const api = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/token',
      payload: { email: 'mei@example.com', password: PASSWORD },
    });
    expect(api.statusCode).toBe(403);
    idp.account = { sub: 'm', email: 'mei@example.com', emailVerified: true, name: 'Mei' };
    expect((await b.get(await toCallback(b))).statusCode).toBe(303);
    expect(await signedInAs(b)).toBe('mei@example.com');
  });
});
