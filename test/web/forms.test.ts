import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFor, Browser, makeApp, seedUser, type TestApp } from '../helpers.js';

// Issue 17: after a validation error the page is shown again at the address the form was posted to; a reload of that
// address (GET) never answers 404; every field at fault is marked (aria-invalid, a message, autofocus on the first).
describe('page forms: invalid data is shown again where it was posted, marked field by field', () => {
  let t: TestApp;
  let b: Browser;
  let orgId: number;
  let serviceId: number;
  let findingId: number;

  beforeAll(async () => {
    t = await makeApp();
    await seedUser(t.db, 'root@example.com', { admin: true });
    const h = { authorization: `Bearer ${await bearerFor(t.app, 'root@example.com')}` };
    const api = async (url: string, payload: object) =>
      (await t.app.inject({ method: 'POST', url, headers: h, payload })).json();
    orgId = (await api('/api/v1/organizations', { name: '甲公司', code: 'JIA' })).id;
    serviceId = (await api(`/api/v1/organizations/${orgId}/services`, { name: '云主机' })).id;
    findingId = (
      await api(`/api/v1/organizations/${orgId}/findings`, {
        source: 'complaint',
        sourceReference: 'C-1',
        clauseId: '8.6.1',
        kind: 'nonconformity',
        grade: 'minor',
        statement: { requirement: 'r', evidence: 'e', nonconformity: 'n' },
      })
    ).id;
    b = new Browser(t.app, 'zh-CN');
    await b.login('root@example.com');
  });
  afterAll(async () => {
    await t.close();
  });

  // [form address, invalid fields sent, the fields that must be marked]
  const FORMS: Array<[string, Record<string, string>, string[]]> = [
    ['/orgs', { name: '', code: '!' }, ['name', 'code']],
    ['/orgs/:orgId/edit', { name: '', code: 'JIA', timeZone: 'Asia/Shanghai' }, ['name']],
    ['/orgs/:orgId/services', { name: '' }, ['name']],
    ['/orgs/:orgId/services/:serviceId/edit', { name: '' }, ['name']],
    ['/orgs/:orgId/processes', { name: '', clauseId: 'x' }, ['name', 'clauseId']],
    ['/orgs/:orgId/parties', { name: '', partyType: 'external_supplier', operates: 'service' }, ['name']],
    ['/orgs/:orgId/programmes', { title: '' }, ['title']],
    ['/orgs/:orgId/findings', { kind: 'nonconformity' }, ['source', 'statementRequirement']],
    ['/orgs/:orgId/feedback', { receivedOn: '', summary: '' }, ['summary']],
    ['/orgs/:orgId/improvements', { title: '' }, ['title']],
    ['/orgs/:orgId/reviews', { title: '' }, ['title']],
    ['/findings/:findingId/details', { dueDate: 'soon' }, ['dueDate']],
    ['/account/password', { current: '', password: 'a', confirm: 'b' }, ['current']],
    ['/account/tokens', { name: '' }, ['name']],
    ['/account/time-zone', { timeZone: 'Nowhere/Land' }, ['timeZone']],
    ['/admin/users', { email: 'not-an-address', displayName: '' }, ['email']],
  ];
  const address = (u: string) =>
    u
      .replace(':orgId', String(orgId))
      .replace(':serviceId', String(serviceId))
      .replace(':findingId', String(findingId));

  it.each(FORMS)(
    '%s: 422 at the same address, fields marked, the first focused; a reload is no 404',
    async (form, fields, marked) => {
      const url = address(form);
      const r = await b.post(url, fields);
      expect(r.statusCode, r.body.slice(0, 400)).toBe(422);
      expect(r.headers.location).toBeUndefined();
      for (const f of marked) {
        expect(r.body, `${url} ${f}`).toMatch(new RegExp(`id="f-${f}"[^>]*aria-invalid="true"`));
        expect(r.body, `${url} ${f}`).toContain(`id="f-${f}-err"`);
      }
      expect(r.body).toMatch(/aria-invalid="true" aria-describedby="[^"]+" autofocus/);
      const reload = await b.get(url);
      expect([200, 303], `GET ${url}`).toContain(reload.statusCode);
      if (reload.statusCode === 303) {
        const landing = await b.get(String(reload.headers.location));
        expect(landing.statusCode, `GET ${url} → ${reload.headers.location}`).toBe(200);
      }
    },
  );

  it('a page form posted to an address without a page of its own sends a reload to the page the form lives on', async () => {
    const cases: Array<[string, string]> = [
      ['/orgs', '/orgs/new'],
      [`/findings/${findingId}/details`, `/findings/${findingId}`],
      ['/account/tokens', '/account'],
      [`/orgs/${orgId}/feedback/1/delete`, `/orgs/${orgId}/feedback`],
    ];
    for (const [from, to] of cases) {
      const r = await b.get(from);
      expect(r.statusCode, from).toBe(303);
      expect(r.headers.location, from).toBe(to);
    }
  });

  it('delete forms ask first (data-confirm names what goes), and a past due date warns', async () => {
    const page = (await b.get(`/orgs/${orgId}/feedback`)).body;
    expect(page).not.toMatch(/<form method="post" action="[^"]*\/delete" class="inline">/);
    const layout = (await b.get('/')).body;
    expect(layout).toContain('<script src="/static/forms.js" defer></script>');
    // Below 768 px the header folds behind this menu button (static/app.css).
    expect(layout).toContain('<label for="nav-toggle" class="nav-toggle-label">菜单</label>');
    const js = (await b.get('/static/forms.js')).body;
    expect(js).toContain('window.confirm');

    await b.get(`/findings/${findingId}`);
    const saved = await b.post(`/findings/${findingId}/details`, { dueDate: '2020-01-31' });
    expect(saved.statusCode).toBe(303);
    const shown = (await b.get(`/findings/${findingId}`)).body;
    expect(shown).toMatch(/<p class="flash warn" role="status">[^<]*到期日 2020-01-31 已过/);
  });
});
