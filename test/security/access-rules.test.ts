import type { LightMyRequestResponse } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { createApiToken, createSession } from '../../src/auth/queries.js';
import { createUser } from '../../src/users/queries.js';
import { evidenceForm } from '../evidence/upload-helpers.js';
import { Browser, makeApp, PASSWORD, seedUser, type TestApp } from '../helpers.js';
import { quickWorld, type QuickWorld, setUpOnce } from '../support/quick-world.js';

// The access hook (src/web/access.ts), one rule at a time, on one app: who is signed in (cookie or bearer), which
// language errors speak, CSRF on unsafe requests, the password-change and second-factor holds, and the organisation
// check (404 to non-members, 403 to a role without the permission). The route walks in isolation-matrix.test.ts check
// the same rules on every route; this file answers in seconds, so `npm run mutate:integration` can run it per mutant.
// Expectations are the documented answers (status, the message in the user's language), never read from the code.

const EN = {
  signIn: 'Please sign in.',
  csrf: 'The form has expired or did not come from this site. Reload the page and try again.',
  forbidden: 'Your role in this organisation does not allow this.',
  notFound: 'Not found.',
  badRequest: 'The request could not be understood.',
  media: 'This kind of content is not accepted.',
  password: 'The password is temporary and must be changed in the browser first.',
};
const ZH = {
  signIn: '请先登录。',
  csrf: '表单已过期或并非来自本站，请刷新页面后重试。',
  forbidden: '您在该组织中的角色不允许此操作。',
  password: '当前为临时密码，请先在浏览器中修改密码。',
};
const MAX_ID = 2_147_483_647; // the largest id a route accepts (a PostgreSQL integer)

const message = (r: LightMyRequestResponse) => (r.json() as { message: string }).message;
/**
 * A user with a local password (a stored hash no password matches: no scrypt at set-up), signed in by the tests with
 * a session made directly; the password pages serve only accounts that have a password of their own.
 */
async function localUser(t: TestApp, email: string, isAdmin = false) {
  const id = await createUser(t.db, {
    email,
    displayName: email.split('@')[0]!,
    password: null,
    isAdmin,
    mustChangePassword: false,
  });
  await t.db
    .updateTable('app_user')
    .set({ password_hash: `scrypt$32768$8$1$${'A'.repeat(22)}==$${'A'.repeat(43)}=` })
    .where('id', '=', id)
    .execute();
  return id;
}

describe('the access hook, rule by rule', () => {
  let w: QuickWorld;
  let t: TestApp;
  let lead: Browser; // lead auditor of A, signed in with a cookie
  let root: Browser; // instance administrator, admin of A and B
  let held: Browser; // must change a temporary password
  let heldToken: string;
  const memberCount = async () =>
    (await t.db.selectFrom('membership').select('id').where('organization_id', '=', w.orgA).execute()).length;

  setUpOnce(async () => {
    w = await quickWorld();
    t = w.t;
    lead = await w.browser('lead');
    root = await w.browser('root');
    const heldId = await localUser(t, 'held@a.example');
    await w.api('root', 'POST', `/api/v1/organizations/${w.orgA}/members`, { email: 'held@a.example', role: 'admin' });
    held = new Browser(t.app);
    held.cookies.set('sid', await createSession(t.db, heldId));
    expect((await held.get('/account')).statusCode).toBe(200);
    expect(held.csrf).not.toBe('');
    heldToken = await createApiToken(t.db, heldId, 'held');
    await t.db.updateTable('app_user').set({ must_change_password: 1 }).where('id', '=', heldId).execute();
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('who is asking', () => {
    it('answers 401 "please sign in" to an API call without credentials, in the language asked for', async () => {
      const en = await t.app.inject({ url: '/api/v1/organizations', headers: { 'accept-language': 'en' } });
      expect([en.statusCode, message(en)]).toEqual([401, EN.signIn]);
      const zh = await t.app.inject({ url: '/api/v1/organizations', headers: { 'accept-language': 'zh-CN' } });
      expect([zh.statusCode, message(zh)]).toEqual([401, ZH.signIn]);
    });

    it('lets the lang cookie win over Accept-Language, and ignores a cookie naming no language', async () => {
      const zh = await t.app.inject({
        url: '/api/v1/organizations',
        headers: { 'accept-language': 'en', cookie: 'lang=zh-CN' },
      });
      expect(message(zh)).toBe(ZH.signIn);
      const en = await t.app.inject({
        url: '/api/v1/organizations',
        headers: { 'accept-language': 'en', cookie: 'lang=xx' },
      });
      expect(message(en)).toBe(EN.signIn);
    });

    it("speaks the signed-in user's own language over the cookie and the header", async () => {
      await t.db.updateTable('app_user').set({ locale: 'zh-CN' }).where('id', '=', w.users.viewer).execute();
      try {
        const r = await t.app.inject({
          method: 'PATCH',
          url: `/api/v1/organizations/${w.orgA}`,
          headers: { authorization: `Bearer ${w.tokens.viewer}`, 'accept-language': 'en', cookie: 'lang=en' },
          payload: { name: 'Renamed' },
        });
        expect([r.statusCode, message(r)]).toEqual([403, ZH.forbidden]);
      } finally {
        await t.db.updateTable('app_user').set({ locale: null }).where('id', '=', w.users.viewer).execute();
      }
    });

    it('reads a bearer token after "Bearer " (blanks around the token ignored), and no other scheme', async () => {
      const ok = await t.app.inject({
        url: '/api/v1/organizations',
        headers: { authorization: `Bearer  ${w.tokens.lead} ` },
      });
      expect(ok.statusCode).toBe(200);
      expect(ok.json().map((o: { code: string }) => o.code)).toEqual(['ALPHA']);
      const basic = await t.app.inject({
        url: '/api/v1/organizations',
        headers: { authorization: `Basic ${w.tokens.lead}` },
      });
      expect(basic.statusCode).toBe(401);
    });

    it('does not fall back to the session cookie when a bearer token is unknown', async () => {
      const r = await lead.request({
        url: '/api/v1/organizations',
        headers: { authorization: 'Bearer no-such-token' },
      });
      expect([r.statusCode, message(r)]).toEqual([401, EN.signIn]);
      expect((await lead.get('/api/v1/organizations')).statusCode).toBe(200);
    });

    it('serves a route without an access rule to any signed-in user (the default), and no one else', async () => {
      const r = await w.api('viewer', 'GET', '/api/v1/organizations');
      expect(r.statusCode).toBe(200);
      expect(r.json().map((o: { code: string }) => o.code)).toEqual(['ALPHA']);
    });

    it('serves public pages signed out', async () => {
      expect((await t.app.inject({ url: '/login' })).statusCode).toBe(200);
    });

    it("shows the account page with the user's stored preferences (other language, time zone)", async () => {
      await t.db
        .updateTable('app_user')
        .set({ show_other_language: 1, time_zone: 'Asia/Shanghai' })
        .where('id', '=', w.users.lead)
        .execute();
      try {
        const page = (await lead.get('/account')).body;
        expect(page).toMatch(/id="showOtherLanguage" name="showOtherLanguage" value="on" checked>/);
        expect(page).toContain('<option value="Asia/Shanghai" selected>');
        await t.db.updateTable('app_user').set({ time_zone: 'Mars/Olympus' }).where('id', '=', w.users.lead).execute();
        expect((await lead.get('/account')).body).toContain('<option value="" selected>');
      } finally {
        await t.db
          .updateTable('app_user')
          .set({ show_other_language: 0, time_zone: null })
          .where('id', '=', w.users.lead)
          .execute();
      }
      const plain = (await lead.get('/account')).body;
      expect(plain).toMatch(/id="showOtherLanguage" name="showOtherLanguage" value="on">/);
      expect(plain).toContain('<option value="" selected>');
    });
  });

  describe('CSRF', () => {
    it('refuses a signed-in JSON write without a token (403), and changes nothing', async () => {
      const before = await memberCount();
      const r = await lead.request({
        method: 'POST',
        url: `/api/v1/organizations/${w.orgA}/processes`,
        payload: { name: 'Sneaky', ownerName: 'x' },
      });
      expect([r.statusCode, message(r)]).toEqual([403, EN.csrf]);
      const processes = await t.db.selectFrom('process').select('name').where('organization_id', '=', w.orgA).execute();
      expect(processes).toEqual([]);
      expect(await memberCount()).toBe(before);
    });

    it('refuses PUT, PATCH and DELETE from a cookie without a token too', async () => {
      for (const method of ['PUT', 'PATCH', 'DELETE'] as const) {
        const r = await root.request({
          method,
          url: `/api/v1/organizations/${w.orgA}`,
          payload: { name: 'Renamed' },
        });
        expect([method, r.statusCode, message(r)]).toEqual([method, 403, EN.csrf]);
      }
      const org = await t.db.selectFrom('organization').select('name').where('id', '=', w.orgA).executeTakeFirst();
      expect(org?.name).toBe('Alpha IT 服务');
    });

    it('accepts the same write with the token in X-CSRF-Token', async () => {
      const r = await root.request({
        method: 'PATCH',
        url: `/api/v1/organizations/${w.orgB}`,
        headers: { 'x-csrf-token': root.csrf },
        payload: { name: 'Beta Hosting Ltd' },
      });
      expect(r.statusCode).toBe(200);
      expect(r.json().name).toBe('Beta Hosting Ltd');
    });

    it('asks no token of a bearer call (no ambient credential) nor of a GET', async () => {
      const r = await w.api('root', 'PATCH', `/api/v1/organizations/${w.orgB}`, { name: 'Beta Hosting' });
      expect(r.statusCode).toBe(200);
      expect((await root.get(`/api/v1/organizations/${w.orgB}`)).json().name).toBe('Beta Hosting');
    });

    it('refuses signed-out form posts without a token (urlencoded, with a charset, and multipart)', async () => {
      const form = await t.app.inject({
        method: 'POST',
        url: '/login',
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8' },
        payload: `email=lead%40a.example&password=${encodeURIComponent(PASSWORD)}`,
      });
      expect(form.statusCode).toBe(403);
      expect(form.headers['set-cookie'] ?? '').not.toContain('sid=');
      const multipart = await t.app.inject({
        method: 'POST',
        url: '/login',
        payload: evidenceForm({ email: 'lead@a.example', password: PASSWORD }),
      });
      expect(multipart.statusCode).toBe(403);
      expect(multipart.headers['set-cookie'] ?? '').not.toContain('sid=');
    });

    it('asks no token of a signed-out JSON call without cookies (the token exchange)', async () => {
      await seedUser(t.db, 'viewer2@a.example');
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/token',
        payload: { email: 'viewer2@a.example', password: PASSWORD },
      });
      expect(r.statusCode).toBe(201);
    });

    it("takes an upload's token from the form field before the file, or from the header; refuses one without", async () => {
      const count = async () =>
        (await t.db.selectFrom('evidence').select('id').where('organization_id', '=', w.orgA).execute()).length;
      const before = await count();
      const post = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
        lead.request({
          method: 'POST',
          url: `/api/v1/organizations/${w.orgA}/evidence`,
          headers,
          payload: evidenceForm(fields, { name: 'minutes.txt', bytes: Buffer.from('minutes'), type: 'text/plain' }),
        });
      const without = await post({ title: 'No token', kind: 'record' });
      expect([without.statusCode, message(without)]).toEqual([403, EN.csrf]);
      const wrong = await post({ _csrf: 'forged', title: 'Forged', kind: 'record' });
      expect(wrong.statusCode).toBe(403);
      expect(await count()).toBe(before);
      const field = await post({ _csrf: lead.csrf, title: 'Field token', kind: 'record' });
      expect(field.statusCode).toBe(201);
      const header = await post({ title: 'Header token', kind: 'record' }, { 'x-csrf-token': lead.csrf });
      expect(header.statusCode).toBe(201);
      expect(await count()).toBe(before + 2);
    });

    it('answers 415 to a multipart body sent to a route that takes no upload', async () => {
      const r = await t.app.inject({
        method: 'POST',
        url: `/api/v1/organizations/${w.orgA}/processes`,
        headers: { authorization: `Bearer ${w.tokens.root}`, 'accept-language': 'en' },
        payload: evidenceForm({ name: 'P', ownerName: 'O' }),
      });
      expect([r.statusCode, message(r)]).toEqual([415, EN.media]);
    });
  });

  describe('input no handler may see', () => {
    it('answers 400 to a NUL character in the body, the query or the path', async () => {
      const body = await w.api('root', 'PATCH', `/api/v1/organizations/${w.orgB}`, { name: 'a\u0000b' });
      expect([body.statusCode, message(body)]).toEqual([400, EN.badRequest]);
      const query = await w.api('root', 'GET', '/api/v1/organizations?x=%00');
      expect(query.statusCode).toBe(400);
      const path = await w.api('root', 'GET', `/api/v1/organizations/${w.orgB}%00`);
      expect(path.statusCode).toBe(400);
    });
  });

  describe('the password-change hold', () => {
    it('sends the held user to the password page from any page, and lets them see it and sign out', async () => {
      const page = await held.get('/account');
      expect([page.statusCode, page.headers.location]).toEqual([302, '/account/password']);
      expect((await held.get('/account/password')).statusCode).toBe(200);
    });

    it('answers 403 "temporary password" to their API calls (cookie or token) and their form posts', async () => {
      const api = await held.get('/api/v1/organizations');
      expect([api.statusCode, message(api)]).toEqual([403, EN.password]);
      const token = await t.app.inject({
        url: '/account',
        headers: { authorization: `Bearer ${heldToken}`, 'accept-language': 'zh-CN' },
      });
      expect(token.statusCode).toBe(403); // a page asked with a token: held too, not sent to the password page
      expect(token.body).toContain(ZH.password);
      const before = await memberCount();
      const post = await held.request({
        method: 'DELETE',
        url: `/api/v1/organizations/${w.orgA}/members/1`,
        headers: { 'x-csrf-token': held.csrf },
      });
      expect([post.statusCode, message(post)]).toEqual([403, EN.password]);
      expect(await memberCount()).toBe(before);
    });
  });

  describe('instance administration', () => {
    it('refuses a system-administrator route to a member who is not one (403), and serves the administrator', async () => {
      const r = await w.api('lead', 'POST', '/api/v1/organizations', { name: 'Gamma', code: 'GAMMA' });
      expect([r.statusCode, message(r)]).toEqual([403, EN.forbidden]);
      expect((await lead.get('/orgs/new')).statusCode).toBe(403);
      expect((await root.get('/orgs/new')).statusCode).toBe(200);
    });
  });

  describe('organisation routes', () => {
    it('answers 404 to an id that is no id (letters, zero, a fraction, beyond the largest)', async () => {
      for (const id of ['abc', '0', '-1', '1.5', String(MAX_ID + 1)]) {
        const r = await w.api('root', 'GET', `/api/v1/organizations/${id}`);
        expect([id, r.statusCode, message(r)]).toEqual([id, 404, EN.notFound]);
      }
    });

    it('serves an organisation whose id is the largest id', async () => {
      const a = await t.db.selectFrom('organization').selectAll().where('id', '=', w.orgA).executeTakeFirstOrThrow();
      await t.db
        .insertInto('organization')
        .values({ ...a, id: MAX_ID, name: 'Omega', code: 'OMEGA' })
        .execute();
      await t.db
        .insertInto('membership')
        .values({ organization_id: MAX_ID, user_id: w.users.viewer, role: 'viewer', created_at: a.created_at })
        .execute();
      const r = await w.api('viewer', 'GET', `/api/v1/organizations/${MAX_ID}`);
      expect([r.statusCode, r.json().code, r.json().role]).toEqual([200, 'OMEGA', 'viewer']);
    });

    it("answers 404 to a member of another organisation for the organisation and for its audit's id", async () => {
      const org = await w.api('bert', 'GET', `/api/v1/organizations/${w.orgA}`);
      expect([org.statusCode, message(org)]).toEqual([404, EN.notFound]);
      const audit = await w.api('bert', 'GET', `/api/v1/audits/${w.auditA}`);
      expect([audit.statusCode, message(audit)]).toEqual([404, EN.notFound]);
      expect((await w.api('bert', 'GET', `/api/v1/audits/${w.auditB}`)).statusCode).toBe(200);
      expect((await w.api('bert', 'GET', '/api/v1/audits/999999')).statusCode).toBe(404);
    });

    it('answers 404 to a membership whose role is not one of the roles', async () => {
      await t.db
        .updateTable('membership')
        .set({ role: 'owner' })
        .where('organization_id', '=', w.orgB)
        .where('user_id', '=', w.users.bert)
        .execute();
      try {
        expect((await w.api('bert', 'GET', `/api/v1/organizations/${w.orgB}`)).statusCode).toBe(404);
      } finally {
        await t.db
          .updateTable('membership')
          .set({ role: 'admin' })
          .where('organization_id', '=', w.orgB)
          .where('user_id', '=', w.users.bert)
          .execute();
      }
    });

    it('gives a member what their role grants, with their role, and 403 for what it does not', async () => {
      const read = await w.api('viewer', 'GET', `/api/v1/organizations/${w.orgA}`);
      expect([read.statusCode, read.json().role, read.json().name]).toEqual([200, 'viewer', 'Alpha IT 服务']);
      const write = await w.api('viewer', 'PATCH', `/api/v1/organizations/${w.orgA}`, { name: 'Renamed' });
      expect([write.statusCode, message(write)]).toEqual([403, EN.forbidden]);
      const audit = await w.api('viewer', 'GET', `/api/v1/audits/${w.auditA}`);
      expect(audit.statusCode).toBe(200);
      const page = await lead.get(`/orgs/${w.orgA}`);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('Alpha IT 服务');
    });
  });
});

describe('the second-factor hold (MFA_REQUIRED_FOR_ADMINS=1)', () => {
  let t: TestApp;
  let boss: Browser;
  setUpOnce(async () => {
    t = await makeApp({ mfaRequiredForAdmins: true });
    boss = new Browser(t.app);
    // Signed in by password (no second factor yet): held to the enrolment page, which carries a form.
    boss.cookies.set('sid', await createSession(t.db, await localUser(t, 'boss@example.com', true), 'password'));
    expect((await boss.get('/account/second-factor')).statusCode).toBe(200);
    expect(boss.csrf).not.toBe('');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('sends the administrator to the enrolment page from any other page', async () => {
    const r = await boss.get('/account');
    expect([r.statusCode, r.headers.location]).toEqual([302, '/account/second-factor']);
    expect((await boss.get('/account/second-factor')).statusCode).toBe(200);
    expect((await boss.get('/account/password')).statusCode).toBe(200);
  });

  it('answers 403 to their API calls and form posts until they enrol, and lets them sign out', async () => {
    const api = await boss.get('/api/v1/organizations');
    expect(api.statusCode).toBe(403);
    const post = await boss.post('/orgs', { name: 'Gamma', code: 'GAMMA' });
    expect(post.statusCode).toBe(403);
    expect(await t.db.selectFrom('organization').select('id').execute()).toEqual([]);
    const out = await boss.post('/logout', {});
    expect([out.statusCode, out.headers.location]).toEqual([303, '/login']);
  });
});

describe('the access hook, more rules', () => {
  let w: QuickWorld;
  setUpOnce(async () => {
    w = await quickWorld();
  });
  afterAll(async () => {
    await w?.t.close();
  });

  it('speaks the default language, Chinese, when nothing names one', async () => {
    const r = await w.t.app.inject({ url: '/api/v1/organizations' });
    expect([r.statusCode, message(r)]).toEqual([401, ZH.signIn]);
  });

  it('ignores a stored language that is not one of the two', async () => {
    await w.t.db.updateTable('app_user').set({ locale: 'fr' }).where('id', '=', w.users.viewer).execute();
    const r = await w.api('viewer', 'PATCH', `/api/v1/organizations/${w.orgA}`, { name: 'Renamed' });
    expect([r.statusCode, message(r)]).toEqual([403, EN.forbidden]);
  });

  it('asks no CSRF token of a bearer call that also carries cookies', async () => {
    const r = await w.t.app.inject({
      method: 'PATCH',
      url: `/api/v1/organizations/${w.orgB}`,
      headers: { authorization: `Bearer ${w.tokens.root}`, cookie: 'lang=en' },
      payload: { name: 'Beta Hosting GmbH' },
    });
    expect([r.statusCode, r.json().name]).toEqual([200, 'Beta Hosting GmbH']);
  });

  it('ends the session on sign-out: its cookie opens nothing afterwards', async () => {
    const b = await w.browser('viewer');
    const sid = b.cookies.get('sid')!;
    const out = await b.post('/logout', {});
    expect([out.statusCode, out.headers.location]).toEqual([303, '/login']);
    const again = await w.t.app.inject({ url: '/api/v1/organizations', headers: { cookie: `sid=${sid}` } });
    expect(again.statusCode).toBe(401);
  });

  it('holds a held user’s form post to a page with 403, not a redirect, and changes nothing', async () => {
    const b = await w.browser('owner');
    await w.t.db.updateTable('app_user').set({ must_change_password: 1 }).where('id', '=', w.users.owner).execute();
    const r = await b.post('/account/time-zone', { timeZone: 'Asia/Shanghai' });
    expect(r.statusCode).toBe(403);
    expect(r.body).toContain(EN.password);
    const row = await w.t.db
      .selectFrom('app_user')
      .select('time_zone')
      .where('id', '=', w.users.owner)
      .executeTakeFirst();
    expect(row?.time_zone).toBeNull();
  });
});

describe('errors while the user cannot be identified (the database gone)', () => {
  let t: TestApp;
  let sid: string;
  setUpOnce(async () => {
    t = await makeApp();
    sid = await createSession(t.db, await localUser(t, 'gone@example.com'));
    await t.db.destroy();
  });
  afterAll(async () => {
    await t?.app.close();
  });

  it('still answers in the language asked for: the lang cookie, else Accept-Language, else Chinese', async () => {
    const ask = (headers: Record<string, string>) =>
      t.app.inject({ url: '/api/v1/organizations', headers: { cookie: `sid=${sid}`, ...headers } });
    const en = await ask({ 'accept-language': 'en' });
    const zh = await ask({ 'accept-language': 'en', cookie: `sid=${sid}; lang=zh-CN` });
    const none = await ask({});
    expect([en.statusCode, message(en)]).toEqual([
      500,
      expect.stringMatching(/^Something went wrong on our side \(reference req-\w+\)\.$/),
    ]);
    expect([zh.statusCode, message(zh)]).toEqual([500, expect.stringMatching(/^系统出现错误（参考编号 req-\w+）。$/)]);
    expect([none.statusCode, message(none)]).toEqual([
      500,
      expect.stringMatching(/^系统出现错误（参考编号 req-\w+）。$/),
    ]);
  });
});
