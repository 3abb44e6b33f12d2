import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFor, Browser, makeApp, seedUser, type TestApp } from '../helpers.js';

// Issue 17: services, processes and other parties are edited in place (partial PATCH, read back by the list
// routes), an unticked "in scope" box means out of scope, and a delete names what refers to the entry or is refused.
describe('organisation registers: edit in place, in-scope flag, delete with dependants', () => {
  let t: TestApp;
  let orgA: number;
  let orgB: number;
  let root: Record<string, string>;
  let outsider: Record<string, string>;
  let alice: number;
  let bert: number;

  const api = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object, h = root) =>
    t.app.inject({ method, url, headers: h, ...(payload && { payload }) });
  const list = async (orgId: number, segment: string) =>
    (await api('GET', `/api/v1/organizations/${orgId}/${segment}`)).json() as Array<Record<string, unknown>>;

  beforeAll(async () => {
    t = await makeApp();
    await seedUser(t.db, 'root@example.com', { admin: true });
    alice = await seedUser(t.db, 'alice@a.example');
    bert = await seedUser(t.db, 'bert@b.example');
    root = { authorization: `Bearer ${await bearerFor(t.app, 'root@example.com')}` };
    orgA = (await api('POST', '/api/v1/organizations', { name: '甲公司', code: 'JIA' })).json().id;
    orgB = (await api('POST', '/api/v1/organizations', { name: 'Beta', code: 'BETA' })).json().id;
    await api('POST', `/api/v1/organizations/${orgA}/members`, { email: 'alice@a.example', role: 'auditor' });
    await api('POST', `/api/v1/organizations/${orgB}/members`, { email: 'bert@b.example', role: 'admin' });
    outsider = { authorization: `Bearer ${await bearerFor(t.app, 'bert@b.example')}` };
  });
  afterAll(async () => {
    await t.close();
  });

  it('PATCH services/:itemId changes only the fields sent; the list reads inScope back', async () => {
    const id = (
      await api('POST', `/api/v1/organizations/${orgA}/services`, { name: '云主机', description: '托管' })
    ).json().id;
    const r = await api('PATCH', `/api/v1/organizations/${orgA}/services/${id}`, { inScope: false });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ id, name: '云主机', description: '托管', inScope: false });
    expect((await list(orgA, 'services')).find((s) => s.id === id)).toEqual({
      id,
      name: '云主机',
      description: '托管',
      inScope: false,
    });
    const renamed = await api('PATCH', `/api/v1/organizations/${orgA}/services/${id}`, { name: '云主机服务' });
    expect(renamed.json()).toEqual({ id, name: '云主机服务', description: '托管', inScope: false });
    // A snake_case or unknown field is refused, not silently ignored; an empty name is refused.
    expect((await api('PATCH', `/api/v1/organizations/${orgA}/services/${id}`, { in_scope: true })).statusCode).toBe(
      422,
    );
    expect((await api('PATCH', `/api/v1/organizations/${orgA}/services/${id}`, { name: ' ' })).statusCode).toBe(422);
    const trail = await t.db
      .selectFrom('audit_trail')
      .select(['action', 'after_json'])
      .where('entity', '=', 'service')
      .where('entity_id', '=', String(id))
      .orderBy('id')
      .execute();
    expect(trail.map((e) => [e.action, JSON.parse(e.after_json ?? 'null')])).toEqual([
      ['create', { name: '云主机', description: '托管', inScope: true }],
      ['update', { in_scope: 0 }],
      ['update', { name: '云主机服务' }],
    ]);
  });

  it('PATCH processes/:itemId sets owner, description and clause; a non-member owner is 422', async () => {
    const id = (
      await api('POST', `/api/v1/organizations/${orgA}/processes`, { name: '事件管理', ownerName: '王敏' })
    ).json().id;
    const r = await api('PATCH', `/api/v1/organizations/${orgA}/processes/${id}`, {
      ownerUserId: alice,
      description: '记录、分类和解决事件',
      clauseId: '8.6.1',
    });
    expect(r.statusCode).toBe(200);
    expect((await list(orgA, 'processes')).find((p) => p.id === id)).toEqual({
      id,
      name: '事件管理',
      description: '记录、分类和解决事件',
      clauseId: '8.6.1',
      ownerUserId: alice,
      ownerName: '王敏',
      owner: 'alice',
      importance: 'medium',
    });
    expect(
      (await api('PATCH', `/api/v1/organizations/${orgA}/processes/${id}`, { ownerUserId: bert })).statusCode,
    ).toBe(422);
    const noOwner = await api('PATCH', `/api/v1/organizations/${orgA}/processes/${id}`, {
      ownerUserId: null,
      ownerName: '',
    });
    expect(noOwner.statusCode).toBe(422);
    expect(noOwner.json().fields).toEqual({ ownerName: ['请选择成员作为负责人，或填写负责人姓名。'] });
    const back = await api('PATCH', `/api/v1/organizations/${orgA}/processes/${id}`, { ownerUserId: null });
    expect(back.json()).toMatchObject({ ownerUserId: null, owner: '王敏', importance: 'medium' });
  });

  it('PATCH other-parties/:itemId changes what the party operates', async () => {
    const id = (
      await api('POST', `/api/v1/organizations/${orgA}/other-parties`, {
        name: '机房托管商',
        partyType: 'external_supplier',
        operates: 'service_component',
      })
    ).json().id;
    const r = await api('PATCH', `/api/v1/organizations/${orgA}/other-parties/${id}`, { operates: 'process' });
    expect(r.statusCode).toBe(200);
    expect((await list(orgA, 'other-parties')).find((p) => p.id === id)).toEqual({
      id,
      name: '机房托管商',
      partyType: 'external_supplier',
      operates: 'process',
      description: '',
    });
    expect(
      (await api('PATCH', `/api/v1/organizations/${orgA}/other-parties/${id}`, { operates: 'x' })).statusCode,
    ).toBe(422);
  });

  it('PATCH answers 404 for another organisation’s entry, through either organisation’s URL', async () => {
    const id = (await api('POST', `/api/v1/organizations/${orgA}/services`, { name: 'S' })).json().id;
    for (const seg of ['services', 'processes', 'other-parties']) {
      expect(
        (await api('PATCH', `/api/v1/organizations/${orgA}/${seg}/${id}`, { name: 'x' }, outsider)).statusCode,
      ).toBe(404);
      expect(
        (await api('PATCH', `/api/v1/organizations/${orgB}/${seg}/${id}`, { name: 'x' }, outsider)).statusCode,
      ).toBe(404);
    }
    expect((await list(orgA, 'services')).find((s) => s.id === id)).toMatchObject({ name: 'S' });
  });

  it('the service form: an unticked in-scope box adds and edits the service as out of scope, shown as such', async () => {
    const b = new Browser(t.app, 'zh-CN');
    await b.login('root@example.com');
    await b.get(`/orgs/${orgA}/services`);
    expect((await b.post(`/orgs/${orgA}/services`, { name: '打印服务', description: '' })).statusCode).toBe(303);
    const printing = (await list(orgA, 'services')).find((s) => s.name === '打印服务')!;
    expect(printing.inScope).toBe(false);
    const page = (await b.get(`/orgs/${orgA}/services`)).body;
    expect(page).toMatch(
      /<td data-label="名称">打印服务<\/td>[\s\S]*?<span class="badge out-scope">不在范围内<\/span>/,
    );

    const edit = await b.get(`/orgs/${orgA}/services/${printing.id}/edit`);
    expect(edit.statusCode).toBe(200);
    expect(edit.body).toContain('value="打印服务"');
    expect(edit.body).toMatch(/<input type="checkbox" id="f-inScope" name="inScope">/);
    expect(
      (await b.post(`/orgs/${orgA}/services/${printing.id}/edit`, { name: '打印服务', description: '', inScope: 'on' }))
        .statusCode,
    ).toBe(303);
    expect((await list(orgA, 'services')).find((s) => s.id === printing.id)!.inScope).toBe(true);
    expect(
      (await b.post(`/orgs/${orgA}/services/${printing.id}/edit`, { name: '打印服务', description: '' })).statusCode,
    ).toBe(303);
    expect((await list(orgA, 'services')).find((s) => s.id === printing.id)!.inScope).toBe(false);

    // A validation error re-renders on the edit URL with the field marked.
    const bad = await b.post(`/orgs/${orgA}/services/${printing.id}/edit`, { name: '', description: '' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toMatch(/<input id="f-name" name="name" type="text" value="" required aria-invalid="true"/);
  });

  it('the process and party edit pages save their fields', async () => {
    const b = new Browser(t.app, 'zh-CN');
    await b.login('root@example.com');
    const pid = (
      await api('POST', `/api/v1/organizations/${orgA}/processes`, { name: '变更管理', ownerName: '李雷' })
    ).json().id;
    await b.get(`/orgs/${orgA}/processes/${pid}/edit`);
    const r = await b.post(`/orgs/${orgA}/processes/${pid}/edit`, {
      name: '变更管理',
      clauseId: '8.5.1',
      ownerUserId: String(alice),
      ownerName: '',
      importance: 'high',
      description: '评审和批准变更',
    });
    expect(r.statusCode).toBe(303);
    expect((await list(orgA, 'processes')).find((p) => p.id === pid)).toMatchObject({
      clauseId: '8.5.1',
      ownerUserId: alice,
      importance: 'high',
      description: '评审和批准变更',
    });
    const listPage = (await b.get(`/orgs/${orgA}/processes`)).body;
    expect(listPage).toContain('评审和批准变更');
    expect(listPage).toContain(`href="/orgs/${orgA}/processes/${pid}/edit" aria-label="编辑: 变更管理"`);
  });

  it('delete names the dependants and is refused while an audit or finding refers to the entry (page 409, API 409)', async () => {
    const used = (await api('POST', `/api/v1/organizations/${orgA}/services`, { name: '桌面支持' })).json().id;
    const audit = await api('POST', `/api/v1/organizations/${orgA}/audits`, {
      title: '2026 年度内部审核',
      type: 'internal',
      scope: { clauses: ['8'], services: [used] },
    });
    expect(audit.statusCode).toBe(201);
    const finding = await api('POST', `/api/v1/organizations/${orgA}/findings`, {
      source: 'complaint',
      sourceReference: 'CMP-1',
      clauseId: '8.3.2',
      kind: 'nonconformity',
      grade: 'minor',
      serviceId: used,
      statement: { requirement: 'r', evidence: 'e', nonconformity: 'n' },
    });
    expect(finding.statusCode).toBe(201);

    const del = await api('DELETE', `/api/v1/organizations/${orgA}/services/${used}`);
    expect(del.statusCode).toBe(409);
    expect(del.json()).toMatchObject({
      error: 'inUse',
      dependants: [
        { kind: 'audit', id: audit.json().id, label: '2026 年度内部审核' },
        { kind: 'finding', id: finding.json().id, label: finding.json().ref },
      ],
    });

    const b = new Browser(t.app, 'zh-CN');
    await b.login('root@example.com');
    const confirm = await b.get(`/orgs/${orgA}/services/${used}/delete`);
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('「桌面支持」不能删除');
    expect(confirm.body).toContain(
      `<span class="badge">审核</span> <a href="/audits/${audit.json().id}">2026 年度内部审核</a>`,
    );
    expect(confirm.body).toContain(`<span class="badge">审核发现</span> <a href="/findings/${finding.json().id}">`);
    expect(confirm.body).not.toContain('确认删除');
    const forced = await b.post(`/orgs/${orgA}/services/${used}/delete`, {});
    expect(forced.statusCode).toBe(409);
    expect((await list(orgA, 'services')).some((s) => s.id === used)).toBe(true);
  });

  it('delete of an entry nothing refers to asks first, then deletes (page) or answers 204 (API)', async () => {
    const free = (
      await api('POST', `/api/v1/organizations/${orgA}/other-parties`, {
        name: '快递公司',
        partyType: 'external_supplier',
        operates: 'service',
      })
    ).json().id;
    const b = new Browser(t.app, 'zh-CN');
    await b.login('root@example.com');
    const listPage = (await b.get(`/orgs/${orgA}/parties`)).body;
    // The list links to the confirmation page; it does not delete on one click.
    expect(listPage).toContain(`<a class="danger" href="/orgs/${orgA}/parties/${free}/delete"`);
    const confirm = await b.get(`/orgs/${orgA}/parties/${free}/delete`);
    expect(confirm.body).toContain('删除「快递公司」？');
    expect(confirm.body).toContain('没有审核、审核发现或反馈引用此条目');
    expect((await b.post(`/orgs/${orgA}/parties/${free}/delete`, {})).statusCode).toBe(303);
    expect((await list(orgA, 'other-parties')).some((p) => p.id === free)).toBe(false);
    expect((await b.get(`/orgs/${orgA}/parties/${free}/delete`)).statusCode).toBe(404);

    const proc = (await api('POST', `/api/v1/organizations/${orgA}/processes`, { name: '临时', ownerName: 'x' })).json()
      .id;
    expect((await api('DELETE', `/api/v1/organizations/${orgA}/processes/${proc}`)).statusCode).toBe(204);
  });
});
