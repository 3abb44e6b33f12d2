import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { impartialityConcerns } from '../../src/domain/impartiality.js';
import { bearerFor, Browser, makeApp, seedUser, type TestApp } from '../helpers.js';

// Editing an audit that is still open (issue 17): the team and the lead auditor change, and 9.2.2 c impartiality is
// worked out from the team, assignments and owners as they are now, and only while the audit is open.

describe('impartiality as the audit stands now (9.2.2 c)', () => {
  const incident = { id: 1, name: '事件管理', ownerUserId: 7, ownerName: '王五' };
  const change = { id: 2, name: '变更管理', ownerUserId: 8, ownerName: '赵六' };
  it('flags a team member owning a process nobody independent audits yet, and no longer once someone is assigned', () => {
    const base = { open: true, team: [7, 9], processes: [incident, change], scopeProcessIds: [] };
    expect(impartialityConcerns({ ...base, assignments: [] })).toEqual([
      { process: '事件管理', owner: '王五', kind: 'unassigned' },
    ]);
    expect(impartialityConcerns({ ...base, assignments: [{ processId: 1, auditorId: 9 }] })).toEqual([]);
  });
  it('flags an assigned auditor who has become the owner of the process, and a process outside the scope only then', () => {
    expect(
      impartialityConcerns({
        open: true,
        team: [8],
        processes: [incident, change],
        scopeProcessIds: [1],
        assignments: [{ processId: 2, auditorId: 8 }],
      }),
    ).toEqual([{ process: '变更管理', owner: '赵六', kind: 'assigned' }]);
  });
  it('has nothing to show on an issued or closed audit', () => {
    expect(
      impartialityConcerns({
        open: false,
        team: [7],
        processes: [incident],
        scopeProcessIds: [],
        assignments: [{ processId: 1, auditorId: 7 }],
      }),
    ).toEqual([]);
  });
});

describe('editing an open audit', () => {
  let t: TestApp;
  let orgId: number;
  let auditId: number;
  let processId: number;
  let wangId: number;
  let chenId: number;
  let liId: number;
  let lead: { authorization: string };
  const api = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: lead, ...(payload && { payload }) });

  beforeAll(async () => {
    t = await makeApp();
    await seedUser(t.db, 'root@example.com', { admin: true });
    chenId = await seedUser(t.db, 'chen@example.com');
    wangId = await seedUser(t.db, 'wang@example.com');
    liId = await seedUser(t.db, 'li@example.com');
    const root = { authorization: `Bearer ${await bearerFor(t.app, 'root@example.com')}` };
    const post = (url: string, payload: object) => t.app.inject({ method: 'POST', url, headers: root, payload });
    orgId = (await post('/api/v1/organizations', { name: '客户乙', code: 'YI' })).json().id;
    await post(`/api/v1/organizations/${orgId}/members`, { email: 'chen@example.com', role: 'lead_auditor' });
    await post(`/api/v1/organizations/${orgId}/members`, { email: 'wang@example.com', role: 'auditor' });
    await post(`/api/v1/organizations/${orgId}/members`, { email: 'li@example.com', role: 'auditor' });
    processId = (
      await post(`/api/v1/organizations/${orgId}/processes`, {
        name: '事件管理',
        clauseId: '8.6.1',
        ownerUserId: wangId,
      })
    ).json().id;
    lead = { authorization: `Bearer ${await bearerFor(t.app, 'chen@example.com')}` };
    auditId = (
      await api('POST', `/api/v1/organizations/${orgId}/audits`, {
        title: '2026 审核',
        type: 'internal',
        scope: { clauses: ['8.6'] },
        leadAuditorId: chenId,
      })
    ).json().id;
  });
  afterAll(async () => {
    await t.close();
  });

  it('changes the team and the lead auditor of a planned audit; a member taken off loses their assignments, in the trail', async () => {
    let r = await api('PATCH', `/api/v1/audits/${auditId}`, { team: [wangId, liId] });
    expect(r.statusCode, r.body).toBe(200);
    expect(
      r
        .json()
        .team.map((m: { id: number }) => m.id)
        .sort(),
    ).toEqual([chenId, wangId, liId].sort());
    expect(
      (await api('POST', `/api/v1/audits/${auditId}/assignments`, { processId, auditorId: liId })).statusCode,
    ).toBe(201);
    r = await api('PATCH', `/api/v1/audits/${auditId}`, { team: [wangId], leadAuditorId: wangId });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().leadAuditorId).toBe(wangId);
    expect(
      r
        .json()
        .team.map((m: { id: number }) => m.id)
        .sort(),
    ).toEqual([wangId]);
    const assigned = await t.db.selectFrom('audit_assignment').selectAll().where('audit_id', '=', auditId).execute();
    expect(assigned).toEqual([]);
    const trail = await t.db
      .selectFrom('audit_trail')
      .select(['action', 'entity', 'entity_id'])
      .where('entity', 'in', ['audit_assignment', 'audit_team'])
      .orderBy('id')
      .execute();
    expect(trail.map((x) => [x.action, x.entity])).toEqual([
      ['update', 'audit_team'],
      ['create', 'audit_assignment'],
      ['delete', 'audit_assignment'],
      ['update', 'audit_team'],
    ]);
    expect((await api('PATCH', `/api/v1/audits/${auditId}`, { team: [999] })).statusCode).toBe(422);
  });

  it('shows the impartiality warning only while it applies: gone once an independent auditor is assigned', async () => {
    await api('PATCH', `/api/v1/audits/${auditId}`, { team: [wangId, liId], leadAuditorId: chenId });
    const b = new Browser(t.app, 'zh-CN');
    await b.login('chen@example.com');
    let page = await b.get(`/audits/${auditId}`);
    expect(page.body).toContain('wang 是审核组成员，且负责过程“事件管理”');
    expect(
      (await api('POST', `/api/v1/audits/${auditId}/assignments`, { processId, auditorId: liId })).statusCode,
    ).toBe(201);
    page = await b.get(`/audits/${auditId}`);
    expect(page.body).not.toContain('负责过程“事件管理”');
    // The team is edited on the page too: all boxes cleared leaves the lead alone.
    const saved = await b.post(`/audits/${auditId}`, { teamPresent: '1', title: '2026 审核' });
    expect(saved.statusCode).toBe(303);
    const a = (await api('GET', `/api/v1/audits/${auditId}`)).json();
    expect(a.team.map((m: { id: number }) => m.id)).toEqual([chenId]);
  });
});
