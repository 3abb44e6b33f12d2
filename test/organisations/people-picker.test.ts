import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, bearerFor, makeApp, seedUser, type TestApp } from '../helpers.js';

// Adding a member (issue 17): the e-mail field offers, as you type, the people this administrator already manages in
// their other organisations — and never a client's people they do not manage (issue 14: nothing leaks across clients).
describe('the people picker on the members page', () => {
  let t: TestApp;
  let orgA: number;
  const datalist = (html: string) => {
    const at = html.indexOf('<datalist id="people-picker">');
    return at < 0 ? '' : html.slice(at, html.indexOf('</datalist>', at));
  };

  beforeAll(async () => {
    t = await makeApp();
    await seedUser(t.db, 'root@example.com', { admin: true });
    for (const e of ['consultant@example.com', 'li@b.example', 'wang@c.example', 'zhao@a.example'])
      await seedUser(t.db, e);
    const root = { authorization: `Bearer ${await bearerFor(t.app, 'root@example.com')}` };
    const org = async (code: string) =>
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/organizations',
          headers: root,
          payload: { name: code, code },
        })
      ).json().id as number;
    const member = (o: number, email: string, role: string) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/organizations/${o}/members`,
        headers: root,
        payload: { email, role },
      });
    orgA = await org('AAA');
    const orgB = await org('BBB');
    const orgC = await org('CCC');
    await member(orgA, 'consultant@example.com', 'admin');
    await member(orgA, 'zhao@a.example', 'auditor');
    await member(orgB, 'consultant@example.com', 'admin');
    await member(orgB, 'li@b.example', 'auditee');
    await member(orgC, 'consultant@example.com', 'auditor'); // a member of C, not its administrator
    await member(orgC, 'wang@c.example', 'auditee');
  });
  afterAll(async () => {
    await t.close();
  });

  it('offers the people of the other organisations the administrator administers, not those already here', async () => {
    const b = new Browser(t.app, 'zh-CN');
    await b.login('consultant@example.com');
    const page = (await b.get(`/orgs/${orgA}/members`)).body;
    expect(page).toContain('list="people-picker"');
    expect(page).toContain('输入姓名或邮箱，即可从您管理的其他组织的人员中选择。');
    const options = datalist(page);
    expect(options).toContain('value="li@b.example"');
    expect(options).not.toContain('wang@c.example'); // C's people: the consultant does not administer C
    expect(options).not.toContain('zhao@a.example'); // already a member here
    expect(options).not.toContain('consultant@example.com');
  });

  it('offers every active account to an instance administrator', async () => {
    const b = new Browser(t.app);
    await b.login('root@example.com');
    const options = datalist((await b.get(`/orgs/${orgA}/members`)).body);
    for (const e of ['li@b.example', 'wang@c.example']) expect(options).toContain(`value="${e}"`);
  });

  it('adds the person picked, as a member of the least privilege unless chosen otherwise', async () => {
    const b = new Browser(t.app);
    await b.login('consultant@example.com');
    await b.get(`/orgs/${orgA}/members`);
    const r = await b.post(`/orgs/${orgA}/members`, { email: 'li@b.example', role: 'viewer' });
    expect(r.statusCode).toBe(303);
    expect((await b.get(`/orgs/${orgA}/members`)).body).toContain('li@b.example');
  });
});
