import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFor, Browser, makeApp, seedUser, type TestApp } from '../helpers.js';

describe('audit programme, audits and checklist execution', () => {
  let t: TestApp;
  let orgId: number;
  let lead: { authorization: string };
  let auditor: { authorization: string };
  let auditorId: number;
  let ownerProcessId: number;

  const api = (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, headers: object, payload?: object) =>
    t.app.inject({ method, url, headers: headers as Record<string, string>, ...(payload && { payload }) });

  beforeAll(async () => {
    t = await makeApp();
    await seedUser(t.db, 'root@example.com', { admin: true });
    auditorId = await seedUser(t.db, 'wang@example.com');
    await seedUser(t.db, 'chen@example.com');
    const root = { authorization: `Bearer ${await bearerFor(t.app, 'root@example.com')}` };
    orgId = (await api('POST', '/api/v1/organizations', root, { name: 'Client 甲', code: 'JIA' })).json().id;
    await api('POST', `/api/v1/organizations/${orgId}/members`, root, { email: 'wang@example.com', role: 'auditor' });
    await api('POST', `/api/v1/organizations/${orgId}/members`, root, {
      email: 'chen@example.com',
      role: 'lead_auditor',
    });
    ownerProcessId = (
      await api('POST', `/api/v1/organizations/${orgId}/processes`, root, {
        name: 'Incident management',
        clauseId: '8.6.1',
        ownerUserId: auditorId,
      })
    ).json().id;
    lead = { authorization: `Bearer ${await bearerFor(t.app, 'chen@example.com')}` };
    auditor = { authorization: `Bearer ${await bearerFor(t.app, 'wang@example.com')}` };
  });
  afterAll(async () => {
    await t.close();
  });

  const newAudit = async (payload: object) => {
    const r = await api('POST', `/api/v1/organizations/${orgId}/audits`, lead, payload);
    expect(r.statusCode, r.body).toBe(201);
    return r.json().id as number;
  };

  it('creates an audit through the API with one response per item in scope and progress', async () => {
    const id = await newAudit({ title: 'Change mgmt audit', type: 'internal', scope: { clauses: ['8.5.1'] } });
    const a = (await api('GET', `/api/v1/audits/${id}`, auditor)).json();
    expect(a.status).toBe('planned');
    // 8.5.1 Change management: 8.5.1.1 one obligation, 8.5.1.2 four, 8.5.1.3 ten (checklists/iso-iec-20000-1-2018.yaml).
    expect(a.responses.map((r: { requirementId: string }) => r.requirementId)).toEqual([
      '8.5.1.1-1',
      ...[1, 2, 3, 4].map((n) => `8.5.1.2-${n}`),
      ...[1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((n) => `8.5.1.3-${n}`),
    ]);
    expect(a.responses[0]).toMatchObject({ verdict: 'not_assessed', notes: '', evidence: [], version: 0 });
    expect(a.progress).toEqual({ items: a.responses.length, assessed: 0, percent: 0 });
  });

  it('makes a certification-readiness audit cover all of clauses 4–10', async () => {
    const id = await newAudit({ title: 'Readiness', type: 'certification_readiness', scope: { clauses: ['4'] } });
    const a = (await api('GET', `/api/v1/audits/${id}`, lead)).json();
    expect(a.scope.clauses).toEqual(['4', '5', '6', '7', '8', '9', '10']);
    expect(a.responses).toHaveLength(212);
  });

  it('saves a response (200), refuses not_applicable (422) and a stale version (409) with the other answer', async () => {
    const id = await newAudit({ title: 'Incident audit', type: 'internal', scope: { clauses: ['8.6'] } });
    const url = `/api/v1/audits/${id}/responses/8.6.1-1`;
    const ok = await api('PUT', url, auditor, { verdict: 'conforming', notes: '抽查 INC-1042，处理及时', version: 0 });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ verdict: 'conforming', version: 1 });
    const na = await api('PUT', url, auditor, { verdict: 'not_applicable', notes: '', version: 1 });
    expect(na.statusCode).toBe(422);
    const stale = await api('PUT', url, lead, { verdict: 'minor_nc', notes: 'mine', version: 0 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().current).toMatchObject({
      verdict: 'conforming',
      notes: '抽查 INC-1042，处理及时',
      version: 1,
      answeredBy: 'wang',
    });
    const after = (await api('GET', `/api/v1/audits/${id}`, lead)).json();
    expect(after.responses.find((r: { requirementId: string }) => r.requirementId === '8.6.1-1')).toMatchObject({
      verdict: 'conforming',
      version: 1,
    });
    expect(after.progress.assessed).toBe(1);
  });

  it('runs planned → in progress → reporting → issued; an issued audit is read-only; a revision reopens it and keeps the issued one', async () => {
    const id = await newAudit({ title: 'Small audit', type: 'internal', scope: { clauses: ['4.1'] } });
    const tr = (action: string) => api('POST', `/api/v1/audits/${id}/transitions`, lead, { action });
    expect((await tr('issue')).statusCode).toBe(422);
    expect((await tr('start')).json().status).toBe('in_progress');
    expect((await tr('report')).json().status).toBe('reporting');
    const blocked = await tr('issue');
    expect(blocked.statusCode).toBe(422);
    // Every missing thing named, in the reader's language (no Accept-Language: the default zh-CN).
    expect(blocked.json().problems).toEqual([
      { code: 'missing', field: 'leadAuditorId', message: '尚未填写“审核组长”。' },
      { code: 'missing', field: 'objectives', message: '尚未填写“审核目标”。' },
      { code: 'missing', field: 'criteria', message: '尚未填写“审核准则”。' },
      { code: 'missing', field: 'actualEnd', message: '尚未填写“实际结束”。' },
      { code: 'missing', field: 'conclusion', message: '尚未填写“审核结论”。' },
      { code: 'notAssessed', requirementId: '4.1-1', message: '4.1-1 尚未评价：请给出评价，或设为“本次未审核”。' },
    ]);
    const chen = await t.db
      .selectFrom('app_user')
      .select('id')
      .where('email', '=', 'chen@example.com')
      .executeTakeFirstOrThrow();
    await api('PATCH', `/api/v1/audits/${id}`, lead, {
      leadAuditorId: chen.id,
      objectives: 'Check 4.1',
      criteria: 'ISO/IEC 20000-1:2018',
      conclusion: 'Conforms with one observation.',
      actualEnd: '2099-12-31',
    });
    await api('PUT', `/api/v1/audits/${id}/responses/4.1-1`, auditor, {
      verdict: 'observation',
      notes: 'Issues list not reviewed since 2024',
      version: 0,
    });
    const issued = await tr('issue');
    expect(issued.json().status, issued.body).toBe('issued');
    const locked = await api('PUT', `/api/v1/audits/${id}/responses/4.1-1`, auditor, {
      verdict: 'conforming',
      version: 1,
    });
    expect(locked.statusCode).toBe(409);
    expect(locked.json().error).toBe('audits.errors.readOnly');
    // The message names the state in the reader's language, never the raw enum value.
    expect(locked.json().message).toContain('“已发布”');
    expect(locked.json().message).not.toContain('issued');
    const refused = await tr('start');
    expect(refused.json().message).toBe('审核状态为“已发布”时不能执行“开始审核”。');
    expect((await tr('revise')).json().status).toBe('in_progress');
    await api('PUT', `/api/v1/audits/${id}/responses/4.1-1`, auditor, { verdict: 'conforming', version: 1 });
    const b = new Browser(t.app);
    await b.login('chen@example.com');
    const rev0 = await b.get(`/audits/${id}/revisions/0`);
    expect(rev0.statusCode).toBe(200);
    expect(rev0.body).toContain('Issues list not reviewed since 2024');
    expect((await api('GET', `/api/v1/audits/${id}`, lead)).json()).toMatchObject({
      revision: 1,
      status: 'in_progress',
    });
  });

  it('says what a state change did ("审核已开始"), not the bare name of the new state', async () => {
    const id = await newAudit({ title: 'Flash audit', type: 'internal', scope: { clauses: ['4.1'] } });
    const b = new Browser(t.app, 'zh-CN');
    await b.login('chen@example.com');
    await b.get(`/audits/${id}`);
    const r = await b.post(`/audits/${id}/transitions`, { action: 'start' });
    expect(r.statusCode).toBe(303);
    const page = await b.get(`/audits/${id}`);
    expect(page.body).toContain('role="status">审核已开始。</p>');
  });

  it('9.2.2 c: refuses to assign an auditor to a process they own, naming process and owner', async () => {
    const id = await newAudit({ title: 'Ops audit', type: 'internal', scope: { clauses: ['8'] } });
    const r = await api('POST', `/api/v1/audits/${id}/assignments`, lead, { processId: ownerProcessId, auditorId });
    expect(r.statusCode).toBe(422);
    expect(r.json().message).toContain('Incident management');
    expect(r.json().message).toContain('wang');
    const chen = await t.db
      .selectFrom('app_user')
      .select('id')
      .where('email', '=', 'chen@example.com')
      .executeTakeFirstOrThrow();
    expect(
      (await api('POST', `/api/v1/audits/${id}/assignments`, lead, { processId: ownerProcessId, auditorId: chen.id }))
        .statusCode,
    ).toBe(201);
  });

  it('starts a follow-up audit from a baseline: earlier answers stand beside each item and can be taken over', async () => {
    const first = await newAudit({ title: 'Audit 2025', type: 'internal', scope: { clauses: ['7.2'] } });
    await api('PUT', `/api/v1/audits/${first}/responses/7.2-1`, auditor, {
      verdict: 'minor_nc',
      notes: '培训记录缺失 (training records missing)',
      version: 0,
    });
    const second = await newAudit({
      title: 'Follow-up 2026',
      type: 'internal',
      scope: { clauses: ['7.2'] },
      baselineAuditId: first,
    });
    const b = new Browser(t.app);
    await b.login('wang@example.com');
    const page = await b.get(`/audits/${second}/checklist`);
    expect(page.body).toContain('Earlier audit');
    expect(page.body).toContain('培训记录缺失 (training records missing)');
    const take = await b.post(`/audits/${second}/responses/7.2-1/baseline`, {});
    expect(take.statusCode).toBe(303);
    const a = (await api('GET', `/api/v1/audits/${second}`, lead)).json();
    expect(a.responses[0]).toMatchObject({
      requirementId: '7.2-1',
      verdict: 'minor_nc',
      notes: '培训记录缺失 (training records missing)',
    });
  });

  it('fills the checklist as a plain form without JavaScript and filters it', async () => {
    const id = await newAudit({ title: 'Form audit', type: 'internal', scope: { clauses: ['5'] } });
    const b = new Browser(t.app, 'zh-CN');
    await b.login('wang@example.com');
    const page = await b.get(`/audits/${id}/checklist`);
    expect(page.body).toContain('没有“不适用”');
    const save = await b.post(`/audits/${id}/responses/5.1-1`, {
      verdict: 'major_nc',
      notes: 'No SMS plan',
      samples: '',
      interviewees: 'CIO',
      version: '0',
    });
    expect(save.statusCode).toBe(303);
    expect(save.headers.location).toBe(`/audits/${id}/checklist?item=5.1-1#req-5.1-1`);
    const nc = await b.get(`/audits/${id}/checklist?filter=nonconforming`);
    expect(nc.body).toContain('id="req-5.1-1"');
    expect(nc.body).not.toContain('id="req-5.2.1-1"');
    const stale = await b.post(`/audits/${id}/responses/5.1-1`, {
      verdict: 'conforming',
      notes: 'overwrite?',
      version: '0',
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('No SMS plan');
  });

  it('covers a programme: names the clauses not audited within the cycle', async () => {
    const p = await api('POST', `/api/v1/organizations/${orgId}/programmes`, lead, {
      title: 'Certification cycle 2026–2028',
      periodStart: '2026-01-01',
      periodEnd: '2028-12-31',
      processImportance: 'Incident and change management are critical',
      changesAffecting: 'Data centre move in 2027',
      previousResults: '2 minor NCs in 8.5.1',
    });
    expect(p.statusCode).toBe(201);
    const pid = p.json().id;
    await newAudit({
      title: 'Year 1',
      type: 'internal',
      scope: { clauses: ['4', '5', '6', '7', '8'] },
      programmeId: pid,
    });
    const cov = (await api('GET', `/api/v1/programmes/${pid}`, auditor)).json();
    expect(cov.coverage.uncovered).toEqual(['9.1', '9.2', '9.3', '9.4', '10.1', '10.2']);
    const b = new Browser(t.app);
    await b.login('chen@example.com');
    const page = await b.get(`/programmes/${pid}`);
    expect(page.body).toContain('Not covered within this cycle: 9.1, 9.2, 9.3, 9.4, 10.1, 10.2');
    expect(page.body).toContain('Data centre move in 2027');
  });

  it('shows the audit page with a readiness chart and the cross-audit history table', async () => {
    const b = new Browser(t.app);
    await b.login('chen@example.com');
    const list = (await api('GET', `/api/v1/organizations/${orgId}/audits`, lead)).json();
    const page = await b.get(`/audits/${list[0].id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<svg');
    const hist = await b.get(`/orgs/${orgId}/history?verdict=minor_nc`);
    expect(hist.body).toContain('7.2-1');
    expect((await b.get(`/orgs/${orgId}/readiness`)).statusCode).toBe(200);
  });

  it('refuses an auditor (role without audit.manage) creating audits: 403, and another organisation: 404', async () => {
    expect(
      (
        await api('POST', `/api/v1/organizations/${orgId}/audits`, auditor, {
          title: 'x',
          type: 'internal',
          scope: { clauses: ['4'] },
        })
      ).statusCode,
    ).toBe(403);
    await seedUser(t.db, 'outsider@example.com');
    const out = { authorization: `Bearer ${await bearerFor(t.app, 'outsider@example.com')}` };
    const list = (await api('GET', `/api/v1/organizations/${orgId}/audits`, lead)).json();
    expect((await api('GET', `/api/v1/audits/${list[0].id}`, out)).statusCode).toBe(404);
    expect(
      (await api('PUT', `/api/v1/audits/${list[0].id}/responses/4.1-1`, out, { verdict: 'conforming', version: 0 }))
        .statusCode,
    ).toBe(404);
  });
});
