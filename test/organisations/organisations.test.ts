import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFor, Browser, makeApp, seedUser, type TestApp } from '../helpers.js';

describe('organisations, isolation, CSRF, localised validation, API tokens', () => {
  let t: TestApp;
  let orgA: number;
  let orgB: number;
  let serviceA: number;
  let adminToken: string;

  beforeAll(async () => {
    t = await makeApp();
    await seedUser(t.db, 'root@example.com', { admin: true });
    await seedUser(t.db, 'alice@a.example');
    await seedUser(t.db, 'bert@b.example');
    adminToken = await bearerFor(t.app, 'root@example.com');
    const create = async (name: string, code: string) => {
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/v1/organizations',
        headers: { authorization: `Bearer ${adminToken}` },
        payload: { name, code },
      });
      expect(r.statusCode).toBe(201);
      return r.json().id as number;
    };
    orgA = await create('Alpha IT 服务', 'alpha');
    orgB = await create('Beta Hosting', 'BETA');
    const auth = { authorization: `Bearer ${adminToken}` };
    await t.app.inject({
      method: 'POST',
      url: `/api/v1/organizations/${orgA}/members`,
      headers: auth,
      payload: { email: 'alice@a.example', role: 'auditor' },
    });
    await t.app.inject({
      method: 'POST',
      url: `/api/v1/organizations/${orgB}/members`,
      headers: auth,
      payload: { email: 'bert@b.example', role: 'admin' },
    });
    const s = await t.app.inject({
      method: 'POST',
      url: `/api/v1/organizations/${orgA}/services`,
      headers: auth,
      payload: { name: 'Cloud hosting' },
    });
    expect(s.statusCode).toBe(201);
    serviceA = s.json().id;
  });
  afterAll(async () => {
    await t.close();
  });

  it('creates an organisation through the API with its id and an upper-cased code', async () => {
    const r = await t.app.inject({
      method: 'GET',
      url: `/api/v1/organizations/${orgA}`,
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({
      id: orgA,
      code: 'ALPHA',
      name: 'Alpha IT 服务',
      services: [{ id: serviceA, name: 'Cloud hosting' }],
    });
  });

  it('lists only the caller’s organisations', async () => {
    const token = await bearerFor(t.app, 'bert@b.example');
    const r = await t.app.inject({
      method: 'GET',
      url: '/api/v1/organizations',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(r.json().map((o: { code: string }) => o.code)).toEqual(['BETA']);
  });

  it('answers 404 to a user of organisation B for organisation A’s pages and API, whatever id', async () => {
    const b = new Browser(t.app);
    await b.login('bert@b.example');
    for (const url of [
      `/orgs/${orgA}`,
      `/orgs/${orgA}/services`,
      `/orgs/${orgA}/members`,
      `/orgs/${orgA}/edit`,
      `/orgs/999999`,
    ]) {
      expect((await b.get(url)).statusCode, url).toBe(404);
    }
    const token = await bearerFor(t.app, 'bert@b.example');
    const h = { authorization: `Bearer ${token}` };
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/organizations/${orgA}`, headers: h })).statusCode).toBe(
      404,
    );
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/api/v1/organizations/${orgA}/services/${serviceA}`, headers: h }))
        .statusCode,
    ).toBe(404);
    // Deleting A's service through B's own URL must not reach it either.
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/api/v1/organizations/${orgB}/services/${serviceA}`, headers: h }))
        .statusCode,
    ).toBe(404);
    const still = await t.app.inject({
      method: 'GET',
      url: `/api/v1/organizations/${orgA}/services`,
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect(still.json()).toHaveLength(1);
  });

  it('answers 403 when the role lacks the permission (an auditor editing the organisation)', async () => {
    const b = new Browser(t.app);
    await b.login('alice@a.example');
    expect((await b.get(`/orgs/${orgA}`)).statusCode).toBe(200);
    expect((await b.get(`/orgs/${orgA}/edit`)).statusCode).toBe(403);
    const r = await b.post(`/orgs/${orgA}/services`, { name: 'Sneaky' });
    expect(r.statusCode).toBe(403);
  });

  it('refuses a state-changing form without a CSRF token (403) and writes nothing', async () => {
    const b = new Browser(t.app);
    await b.login('root@example.com');
    const r = await b.post(`/orgs/${orgA}/services`, { name: 'No token' }, { csrf: false });
    expect(r.statusCode).toBe(403);
    const wrong = await b.request({
      method: 'POST',
      url: `/orgs/${orgA}/services`,
      payload: 'name=Forged&_csrf=forged',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(wrong.statusCode).toBe(403);
    const api = await b.request({
      method: 'POST',
      url: `/api/v1/organizations/${orgA}/services`,
      payload: { name: 'Cookie API' },
    });
    expect(api.statusCode).toBe(403);
    const list = await t.app.inject({
      method: 'GET',
      url: `/api/v1/organizations/${orgA}/services`,
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect(list.json().map((s: { name: string }) => s.name)).toEqual(['Cloud hosting']);
  });

  it('gives validation errors in the user’s language and writes nothing', async () => {
    for (const [lang, text] of [
      ['en', 'Use 2–20 letters, digits, - or _.'],
      ['zh-CN', '请使用 2–20 个字母、数字、- 或 _。'],
    ] as const) {
      const b = new Browser(t.app, lang);
      await b.login('root@example.com');
      await b.get('/orgs/new');
      const r = await b.post('/orgs', { name: 'Bad code org', code: 'x', defaultLocale: 'en' });
      expect(r.statusCode).toBe(422);
      expect(r.body).toContain(text);
      expect(r.body).toContain('value="Bad code org"');
    }
    const api = await t.app.inject({
      method: 'POST',
      url: '/api/v1/organizations',
      headers: { authorization: `Bearer ${adminToken}`, 'accept-language': 'zh-CN' },
      payload: { name: '', code: '!' },
    });
    expect(api.statusCode).toBe(422);
    expect(api.json().fields.name).toEqual(['此项必填。']);
    const orgs = await t.db.selectFrom('organization').select('code').execute();
    expect(orgs.map((o) => o.code).sort()).toEqual(['ALPHA', 'BETA']);
  });

  it('adds services, processes with owners and other parties (8.2.3) through the forms', async () => {
    const b = new Browser(t.app);
    await b.login('root@example.com');
    await b.get(`/orgs/${orgA}/processes`);
    const p = await b.post(`/orgs/${orgA}/processes`, {
      name: 'Incident management',
      clauseId: '8.6.1',
      ownerUserId: '',
      ownerName: '',
      importance: 'high',
    });
    expect(p.statusCode).toBe(422);
    expect(p.body).toContain('Choose a member as owner');
    const alice = await t.db
      .selectFrom('app_user')
      .select('id')
      .where('email', '=', 'alice@a.example')
      .executeTakeFirstOrThrow();
    const ok = await b.post(`/orgs/${orgA}/processes`, {
      name: 'Incident management',
      clauseId: '8.6.1',
      ownerUserId: String(alice.id),
      ownerName: '',
      importance: 'high',
    });
    expect(ok.statusCode).toBe(303);
    const party = await b.post(`/orgs/${orgA}/parties`, {
      name: 'DC Co',
      partyType: 'external_supplier',
      operates: 'service_component',
      description: '',
    });
    expect(party.statusCode).toBe(303);
    const page = await b.get(`/orgs/${orgA}`);
    expect(page.body).toContain('Incident management — alice');
    expect(page.body).toContain('DC Co — External supplier');
    const trail = await t.db
      .selectFrom('audit_trail')
      .select(['entity', 'action'])
      .where('organization_id', '=', orgA)
      .execute();
    expect(trail).toEqual(
      expect.arrayContaining([
        { entity: 'process', action: 'create' },
        { entity: 'other_party', action: 'create' },
      ]),
    );
  });

  it('runs the bearer token lifecycle: create, use, list without secret, revoke → 401', async () => {
    const token = await bearerFor(t.app, 'alice@a.example');
    const h = { authorization: `Bearer ${token}` };
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/organizations', headers: h })).statusCode).toBe(200);
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/auth/tokens', headers: h });
    expect(JSON.stringify(list.json())).not.toContain(token);
    const stored = await t.db.selectFrom('api_token').select('token_hash').execute();
    expect(stored.some((s) => s.token_hash === token)).toBe(false);
    const id = list.json()[0].id;
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/auth/tokens/${id}`, headers: h })).statusCode).toBe(
      204,
    );
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/organizations', headers: h })).statusCode).toBe(401);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/token',
          payload: { email: 'alice@a.example', password: 'wrong-password' },
        })
      ).statusCode,
    ).toBe(401);
  });

  it('revokes a token from the profile page', async () => {
    const token = await bearerFor(t.app, 'bert@b.example');
    const b = new Browser(t.app);
    await b.login('bert@b.example');
    const page = await b.get('/account');
    const id = /\/account\/tokens\/(\d+)\/revoke/.exec(page.body)![1];
    expect((await b.post(`/account/tokens/${id}/revoke`, {})).statusCode).toBe(303);
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: '/api/v1/organizations',
          headers: { authorization: `Bearer ${token}` },
        })
      ).statusCode,
    ).toBe(401);
  });

  it('serves the whole UI in Chinese or English from Accept-Language, switchable per user', async () => {
    const b = new Browser(t.app, 'zh-CN,zh;q=0.9');
    await b.login('root@example.com');
    expect((await b.get('/')).body).toContain('工作台');
    await b.post('/lang', { locale: 'en', next: '/' });
    const en = await b.get('/');
    expect(en.body).toContain('Dashboard');
    expect(en.body).toContain('<html lang="en">');
  });

  it('publishes an OpenAPI document and a health check', async () => {
    const doc = await t.app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(doc.statusCode).toBe(200);
    expect(Object.keys(doc.json().paths)).toEqual(
      expect.arrayContaining(['/api/v1/organizations', '/api/v1/auth/token']),
    );
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
  });

  it('answers JSON errors without stack traces and HTML error pages in the user’s language', async () => {
    const r = await t.app.inject({
      method: 'GET',
      url: '/api/v1/nothing-here',
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect(r.body).not.toContain('    at ');
    expect(r.statusCode).toBe(404);
    expect(r.json()).toMatchObject({ error: 'notFound' });
    const bert = await bearerFor(t.app, 'bert@b.example');
    const page = await t.app.inject({
      method: 'GET',
      url: '/nope',
      headers: { 'accept-language': 'zh-CN', authorization: `Bearer ${bert}`, accept: 'text/html' },
    });
    expect(page.body).toContain('未找到');
  });
});
