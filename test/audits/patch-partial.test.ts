import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../helpers.js';
import { makeWorld, STATEMENT, type World } from '../findings/fixture.js';

// PATCH means partial (issue 15): a field that is sent changes, every field left out stays as it was,
// a field sent as null or "" is cleared. One test per PATCH route, plus the page form that edits part of an audit.
type Json = ReturnType<typeof JSON.parse>; // a JSON body, read field by field

describe('PATCH changes only the fields sent', () => {
  let w: World;
  beforeAll(async () => {
    w = await makeWorld();
  });
  afterAll(async () => {
    await w.t.close();
  });

  const ok = async (p: Promise<LightMyRequestResponse>, code = 200) => {
    const r = await p;
    expect(r.statusCode, r.body).toBe(code);
    return r.json();
  };
  const drop = <T extends Record<string, unknown>>(o: T, ...keys: string[]) =>
    Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));

  it('PATCH /api/v1/audits/:auditId', async () => {
    const created = await ok(
      w.api('lead', 'POST', `/api/v1/organizations/${w.orgA}/audits`, {
        title: 'Partial audit',
        type: 'internal',
        scope: { clauses: ['4.1'] },
        criteria: 'ISO/IEC 20000-1:2018',
        objectives: 'Check the context',
        leadAuditorId: w.users.lead,
        plannedStart: '2026-11-02',
        plannedEnd: '2026-11-04',
      }),
      201,
    );
    const url = `/api/v1/audits/${created.id}`;
    await ok(
      w.api('lead', 'PATCH', url, {
        summary: 'Summary text',
        conclusion: 'Conclusion text',
        actualStart: '2026-11-02',
        actualEnd: '2026-11-03',
      }),
    );
    const fields = (a: Record<string, unknown>) => ({
      title: a.title,
      criteria: a.criteria,
      objectives: a.objectives,
      summary: a.summary,
      conclusion: a.conclusion,
      leadAuditorId: a.leadAuditorId,
      plannedStart: a.plannedStart,
      plannedEnd: a.plannedEnd,
      actualStart: a.actualStart,
      actualEnd: a.actualEnd,
    });
    const start = {
      title: 'Partial audit',
      criteria: 'ISO/IEC 20000-1:2018',
      objectives: 'Check the context',
      summary: 'Summary text',
      conclusion: 'Conclusion text',
      leadAuditorId: w.users.lead,
      plannedStart: '2026-11-02',
      plannedEnd: '2026-11-04',
      actualStart: '2026-11-02',
      actualEnd: '2026-11-03',
    };
    expect(fields(await ok(w.api('lead', 'GET', url)))).toEqual(start);
    const changes: Record<string, unknown> = {
      title: 'Renamed',
      criteria: 'New criteria',
      objectives: 'New objectives',
      summary: 'New summary',
      conclusion: 'New conclusion',
      leadAuditorId: w.users.reviewer,
      plannedStart: '2026-10-01',
      plannedEnd: '2026-10-09',
      actualStart: '2026-10-02',
      actualEnd: '2026-10-08',
    };
    let expected = { ...start };
    for (const [k, v] of Object.entries(changes)) {
      const after = fields(await ok(w.api('lead', 'PATCH', url, { [k]: v })));
      expected = { ...expected, [k]: v };
      expect(after, `PATCH ${k} alone`).toEqual(expected);
    }
    // null clears one field and nothing else; "" does the same.
    expect(fields(await ok(w.api('lead', 'PATCH', url, { actualEnd: null })))).toEqual({
      ...expected,
      actualEnd: null,
    });
    expect(fields(await ok(w.api('lead', 'PATCH', url, { conclusion: null, plannedEnd: '' })))).toEqual({
      ...expected,
      actualEnd: null,
      conclusion: '',
      plannedEnd: null,
    });
    expect(fields(await ok(w.api('lead', 'PATCH', url, { leadAuditorId: null })))).toMatchObject({
      leadAuditorId: null,
      actualStart: '2026-10-02',
      title: 'Renamed',
    });
  });

  it('the report-text form on the audit page never erases the actual dates', async () => {
    const created = await ok(
      w.api('lead', 'POST', `/api/v1/organizations/${w.orgA}/audits`, {
        title: 'Form audit',
        type: 'internal',
        scope: { clauses: ['4.1'] },
      }),
      201,
    );
    await ok(
      w.api('lead', 'PATCH', `/api/v1/audits/${created.id}`, { actualStart: '2026-11-30', actualEnd: '2026-12-01' }),
    );
    const b = new Browser(w.t.app);
    await b.login('lead@a.example');
    await b.get(`/audits/${created.id}`);
    const r = await b.post(`/audits/${created.id}`, { summary: 'Written on the page', conclusion: 'Fine' });
    expect(r.statusCode).toBe(303);
    const a = await ok(w.api('lead', 'GET', `/api/v1/audits/${created.id}`));
    expect([a.summary, a.conclusion, a.actualStart, a.actualEnd, a.title]).toEqual([
      'Written on the page',
      'Fine',
      '2026-11-30',
      '2026-12-01',
      'Form audit',
    ]);
  });

  it('PATCH /api/v1/organizations/:orgId', async () => {
    const url = `/api/v1/organizations/${w.orgA}`;
    await ok(
      w.api('root', 'PATCH', url, {
        defaultLocale: 'en',
        scopeStatement: 'IT services for the group',
        scopeManagingOrg: 'Alpha IT',
      }),
    );
    const pick = (o: Json) => ({ name: o.name, code: o.code, defaultLocale: o.defaultLocale, scope: o.scope });
    const start = {
      name: 'Alpha IT 服务',
      code: 'ALPHA',
      defaultLocale: 'en',
      scope: { statement: 'IT services for the group', managingOrganization: 'Alpha IT' },
    };
    expect(pick(await ok(w.api('root', 'GET', url)))).toEqual(start);
    expect(pick(await ok(w.api('root', 'PATCH', url, { name: 'Alpha IT' })))).toEqual({ ...start, name: 'Alpha IT' });
    expect(pick(await ok(w.api('root', 'PATCH', url, { code: 'ALPHA2' })))).toEqual({
      ...start,
      name: 'Alpha IT',
      code: 'ALPHA2',
    });
    expect(pick(await ok(w.api('root', 'PATCH', url, { scopeManagingOrg: null })))).toEqual({
      ...start,
      name: 'Alpha IT',
      code: 'ALPHA2',
      scope: { statement: 'IT services for the group', managingOrganization: '' },
    });
    expect(pick(await ok(w.api('root', 'PATCH', url, { defaultLocale: 'zh-CN' })))).toEqual({
      ...start,
      name: 'Alpha IT',
      code: 'ALPHA2',
      defaultLocale: 'zh-CN',
      scope: { statement: 'IT services for the group', managingOrganization: '' },
    });
  });

  it('PATCH /api/v1/reviews/:reviewId', async () => {
    const created = await ok(
      w.api('lead', 'POST', `/api/v1/organizations/${w.orgA}/reviews`, {
        title: 'MR 2026',
        heldOn: '2026-06-30',
        periodStart: '2026-01-01',
        periodEnd: '2026-06-30',
        attendees: 'CEO',
      }),
      201,
    );
    const url = `/api/v1/reviews/${created.id}`;
    await ok(w.api('lead', 'PATCH', url, { minutes: 'Minutes', narratives: { b: 'New law' } }));
    const pick = (r: Json) => drop(r, 'id', 'ref', 'createdAt', 'updatedAt', 'outputs');
    const start = {
      title: 'MR 2026',
      heldOn: '2026-06-30',
      period: { from: '2026-01-01', to: '2026-06-30' },
      attendees: 'CEO',
      minutes: 'Minutes',
      narratives: { b: 'New law' },
    };
    expect(pick(await ok(w.api('lead', 'GET', url)))).toEqual(start);
    expect(pick(await ok(w.api('lead', 'PATCH', url, { attendees: 'CEO; CIO' })))).toEqual({
      ...start,
      attendees: 'CEO; CIO',
    });
    expect(pick(await ok(w.api('lead', 'PATCH', url, { periodEnd: '2026-06-29' })))).toEqual({
      ...start,
      attendees: 'CEO; CIO',
      period: { from: '2026-01-01', to: '2026-06-29' },
    });
    expect(pick(await ok(w.api('lead', 'PATCH', url, { narratives: { j: 'Vacancy' } })))).toEqual({
      ...start,
      attendees: 'CEO; CIO',
      period: { from: '2026-01-01', to: '2026-06-29' },
      narratives: { b: 'New law', j: 'Vacancy' },
    });
    // A cleared period bound goes back to its default: no earlier review, so one year up to the day held.
    expect(pick(await ok(w.api('lead', 'PATCH', url, { periodStart: null })))).toEqual({
      ...start,
      attendees: 'CEO; CIO',
      period: { from: '2025-07-01', to: '2026-06-29' },
      narratives: { b: 'New law', j: 'Vacancy' },
    });
  });

  it('PATCH /api/v1/findings/:findingId and /api/v1/actions/:actionId', async () => {
    const svc = await ok(w.api('root', 'POST', `/api/v1/organizations/${w.orgA}/services`, { name: 'Desk' }), 201);
    const f = await ok(
      w.api('lead', 'POST', `/api/v1/audits/${w.auditA}/findings`, {
        requirementId: '8.6.1-1',
        kind: 'nonconformity',
        grade: 'minor',
        statement: STATEMENT,
      }),
      201,
    );
    const url = `/api/v1/findings/${f.id}`;
    await ok(w.api('lead', 'PATCH', url, { ownerUserId: w.users.owner, serviceId: svc.id, dueDate: '2030-01-31' }));
    const pick = (x: Json) => ({
      owner: x.owner?.id ?? null,
      serviceId: x.serviceId,
      dueDate: x.dueDate,
      st: x.statement,
    });
    const start = { owner: w.users.owner, serviceId: svc.id, dueDate: '2030-01-31', st: STATEMENT };
    expect(pick(await ok(w.api('lead', 'PATCH', url, { dueDate: '2030-02-28' })))).toEqual({
      ...start,
      dueDate: '2030-02-28',
    });
    expect(pick(await ok(w.api('lead', 'PATCH', url, { serviceId: null })))).toEqual({
      ...start,
      dueDate: '2030-02-28',
      serviceId: null,
    });

    await ok(
      w.api('lead', 'POST', `/api/v1/nonconformities/${f.id}/transitions`, {
        to: 'reaction_recorded',
        correction: 'Fixed',
        consequences: 'None',
      }),
    );
    await ok(
      w.api('lead', 'POST', `/api/v1/nonconformities/${f.id}/transitions`, {
        to: 'cause_analysed',
        method: 'five_whys',
        cause: 'No rule',
        similar: 'none',
      }),
    );
    const planned = await ok(
      w.api('lead', 'POST', `/api/v1/nonconformities/${f.id}/transitions`, {
        to: 'actions_planned',
        actions: [{ description: 'Add the rule', ownerUserId: w.users.owner, dueDate: '2030-01-15' }],
      }),
    );
    const a = planned.actions[0];
    const after = await ok(w.api('owner', 'PATCH', `/api/v1/actions/${a.id}`, { status: 'in_progress' }));
    expect(drop(after, 'status', 'overdue', 'daysOpen', 'evidence')).toEqual(
      drop(a, 'status', 'overdue', 'daysOpen', 'evidence'),
    );
    expect(after.status).toBe('in_progress');
  });
});
