import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { bearerFor, Browser, makeApp, seedUser, type TestApp } from '../helpers.js';

// Issue 17: times are stored in UTC and read in the organisation's zone (or the user's own); "due" and "overdue"
// are the organisation's. 2026-12-02T16:30Z is already 2026-12-03 00:30 in Shanghai, still 2026-12-02 elsewhere.
const NEAR_MIDNIGHT = new Date('2026-12-02T16:30:00Z');

describe('time zones: organisation and user zone, dates near midnight, due and overdue', () => {
  let t: TestApp;
  let orgId: number;
  let root: Record<string, string>;
  const api = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: root, ...(payload && { payload }) });

  beforeAll(async () => {
    t = await makeApp();
    await seedUser(t.db, 'root@example.com', { admin: true });
    root = { authorization: `Bearer ${await bearerFor(t.app, 'root@example.com')}` };
    orgId = (
      await api('POST', '/api/v1/organizations', { name: '甲公司', code: 'JIA', scopeStatement: '数据中心服务' })
    ).json().id;
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  afterAll(async () => {
    await t.close();
  });

  it('GET and PATCH /api/v1/organizations/:orgId carry timeZone (default Asia/Shanghai; unknown zone 422)', async () => {
    expect((await api('GET', `/api/v1/organizations/${orgId}`)).json()).toMatchObject({ timeZone: 'Asia/Shanghai' });
    for (const bad of ['Mars/Olympus', 'CST', '', 'Asia/Shanghai; drop table']) {
      const r = await api('PATCH', `/api/v1/organizations/${orgId}`, { timeZone: bad });
      expect(r.statusCode, bad).toBe(422);
    }
    const r = await api('PATCH', `/api/v1/organizations/${orgId}`, { timeZone: 'Europe/Berlin' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({
      timeZone: 'Europe/Berlin',
      name: '甲公司',
      scope: { statement: '数据中心服务' },
    });
    await api('PATCH', `/api/v1/organizations/${orgId}`, { timeZone: 'Asia/Shanghai' });
  });

  it('the organisation form offers the IANA zones and saves the one chosen; an unknown one is marked', async () => {
    const b = new Browser(t.app, 'zh-CN');
    await b.login('root@example.com');
    const form = (await b.get(`/orgs/${orgId}/edit`)).body;
    expect(form).toContain('<option value="Asia/Shanghai" selected>Asia/Shanghai</option>');
    expect(form).toContain('<option value="America/New_York">America/New_York</option>');
    const fields = { name: '甲公司', code: 'JIA', defaultLocale: 'zh-CN', scopeStatement: '', scopeManagingOrg: '' };
    const bad = await b.post(`/orgs/${orgId}/edit`, { ...fields, timeZone: 'Nowhere/Land' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toMatch(/<select id="f-timeZone" name="timeZone" aria-invalid="true"/);
    expect(bad.body).toContain('请从列表中选择时区');
    expect((await b.post(`/orgs/${orgId}/edit`, { ...fields, timeZone: 'Asia/Tokyo' })).statusCode).toBe(303);
    expect((await api('GET', `/api/v1/organizations/${orgId}`)).json().timeZone).toBe('Asia/Tokyo');
    await api('PATCH', `/api/v1/organizations/${orgId}`, { timeZone: 'Asia/Shanghai' });
  });

  it('a change made at 16:30 UTC reads 00:30 the next day in Shanghai, and 17:30 for a user in Berlin', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NEAR_MIDNIGHT);
    await api('POST', `/api/v1/organizations/${orgId}/services`, { name: '夜间值守' });
    vi.useRealTimers();
    const b = new Browser(t.app, 'zh-CN');
    await b.login('root@example.com');
    const trail = (await b.get(`/orgs/${orgId}/trail`)).body;
    expect(trail).toContain('<td>2026-12-03 00:30</td>');
    expect(trail).not.toContain('2026-12-02 16:30');

    const account = (await b.get('/account')).body;
    expect(account).toContain('<option value="" selected>所在组织的时区（默认）</option>');
    expect((await b.post('/account/time-zone', { timeZone: 'Not/AZone' })).statusCode).toBe(422);
    expect((await b.post('/account/time-zone', { timeZone: 'Europe/Berlin' })).statusCode).toBe(303);
    expect((await b.get('/account')).body).toContain('<option value="Europe/Berlin" selected>');
    expect((await b.get(`/orgs/${orgId}/trail`)).body).toContain('<td>2026-12-02 17:30</td>');
    expect((await b.post('/account/time-zone', { timeZone: '' })).statusCode).toBe(303);
    expect((await b.get(`/orgs/${orgId}/trail`)).body).toContain('<td>2026-12-03 00:30</td>');
  });

  it('raised on, due and overdue are the organisation’s calendar days', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NEAR_MIDNIGHT);
    const raised = await api('POST', `/api/v1/organizations/${orgId}/findings`, {
      source: 'complaint',
      sourceReference: 'C-1',
      clauseId: '8.6.1',
      kind: 'nonconformity',
      grade: 'major',
      statement: { requirement: 'r', evidence: 'e', nonconformity: 'n' },
    });
    expect(raised.statusCode).toBe(201);
    // Shanghai's day, not UTC's 2026-12-02; a major nonconformity is due 30 days later.
    expect(raised.json()).toMatchObject({ raisedOn: '2026-12-03', dueDate: '2027-01-02', overdue: false });
    const id = raised.json().id;

    // Due on 2 December: at 16:30 UTC that day is over in Shanghai (overdue), not in New York.
    await api('PATCH', `/api/v1/findings/${id}`, { dueDate: '2026-12-02' });
    expect((await api('GET', `/api/v1/findings/${id}`)).json().overdue).toBe(true);
    const register = await api('GET', `/api/v1/organizations/${orgId}/nonconformities?overdue=1`);
    expect(register.json().map((r: { id: number }) => r.id)).toContain(id);
    await api('PATCH', `/api/v1/organizations/${orgId}`, { timeZone: 'America/New_York' });
    expect((await api('GET', `/api/v1/findings/${id}`)).json().overdue).toBe(false);
    const registerNy = await api('GET', `/api/v1/organizations/${orgId}/nonconformities?overdue=1`);
    expect(registerNy.json().map((r: { id: number }) => r.id)).not.toContain(id);
    await api('PATCH', `/api/v1/organizations/${orgId}`, { timeZone: 'Asia/Shanghai' });
  });
});
