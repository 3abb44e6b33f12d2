import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scopeChange, type ScopedAnswer } from '../../src/domain/scope.js';
import { makeWorld, STATEMENT, type World } from '../findings/fixture.js';
import { Browser } from '../helpers.js';

type Json = ReturnType<typeof JSON.parse>; // a JSON body, read field by field

const answer = (requirementId: string, over: Partial<ScopedAnswer> = {}): ScopedAnswer => ({
  requirementId,
  clauseId: requirementId.split('-')[0]!,
  verdict: 'not_assessed',
  notes: '',
  samples: '',
  interviewees: '',
  sample: '',
  evidenceCount: 0,
  ...over,
});

describe('what a scope change does to the answers', () => {
  const requirements = ['4.1-1', '4.2-1', '8.5.1.1-1', '8.5.2-1', '9.1-1'].map((id) => ({
    id,
    clauseId: id.split('-')[0]!,
  }));
  it('adds the items coming in, drops those going out, and names the dropped ones with anything recorded', () => {
    const answers = [
      answer('4.1-1', { verdict: 'conforming' }),
      answer('8.5.1.1-1', { notes: 'seen CAB minutes' }),
      answer('8.5.2-1', { evidenceCount: 1 }),
      answer('9.1-1'),
    ];
    const c = scopeChange(answers, requirements, ['4', '8.5.2']);
    expect(c.add).toEqual(['4.2-1']);
    expect(c.drop).toEqual(['8.5.1.1-1', '9.1-1']);
    expect(c.recorded.map((a) => a.requirementId)).toEqual(['8.5.1.1-1']);
    // A sample, people interviewed or a sample count as recorded too; a blank note does not.
    expect(
      scopeChange(
        [
          answer('9.1-1', { samples: 'INC-1..5' }),
          answer('4.2-1', { interviewees: 'Ms Wang' }),
          answer('4.1-1', { sample: '{"size":5}' }),
          answer('8.5.2-1', { notes: '  ' }),
        ],
        requirements,
        ['8.5.1'],
      ).recorded.map((a) => a.requirementId),
    ).toEqual(['9.1-1', '4.2-1', '4.1-1']);
  });
});

// Issue 17: the scope of an open audit (clauses, processes, services, sites) can change; a reduction that would drop
// recorded answers asks first and keeps them in the trail — on the page and through the API.
describe('editing the scope of an open audit', () => {
  let w: World;
  let auditId: number;
  beforeAll(async () => {
    w = await makeWorld();
    auditId = (
      await ok(
        w.api('lead', 'POST', `/api/v1/organizations/${w.orgA}/audits`, {
          title: 'Scope audit',
          type: 'internal',
          scope: { clauses: ['4.1', '4.2', '9.1'] },
          leadAuditorId: w.users.lead,
          team: [w.users.reviewer],
        }),
        201,
      )
    ).id;
  });
  afterAll(async () => {
    await w.t.close();
  });
  async function ok(p: Promise<LightMyRequestResponse>, code = 200): Promise<Json> {
    const r = await p;
    expect(r.statusCode, r.body).toBe(code);
    return r.json();
  }
  const items = async () =>
    Object.fromEntries(
      (await ok(w.api('lead', 'GET', `/api/v1/audits/${auditId}`))).responses.map((r: Json) => [
        r.requirementId,
        r.verdict,
      ]),
    ) as Record<string, string>;
  const patch = (body: object, lang = 'en') => w.api('lead', 'PATCH', `/api/v1/audits/${auditId}`, body, lang);

  it('PATCH scope: 409 naming the recorded answers it would drop, then drops them with confirmDrop, in the trail', async () => {
    await ok(
      w.api('lead', 'PUT', `/api/v1/audits/${auditId}/responses/9.1-2`, {
        verdict: 'conforming',
        notes: 'KPI report for Q3 seen',
        samples: 'Oct report',
        version: 0,
      }),
    );
    const refused = await patch({ scope: { clauses: ['4.1', '4.2', '7.5.1'] } });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({
      error: 'audits.errors.scopeDropsAnswers',
      dropped: [{ requirementId: '9.1-2', clause: '9.1', verdict: 'conforming', notes: 'KPI report for Q3 seen' }],
    });
    expect(refused.json().message).toContain('1 items that already have an answer would be dropped (9.1-2)');
    expect(await items()).toEqual({
      '4.1-1': 'not_assessed',
      '4.2-1': 'not_assessed',
      '9.1-1': 'not_assessed',
      '9.1-2': 'conforming',
      '9.1-3': 'not_assessed',
      '9.1-4': 'not_assessed',
    });

    const done = await ok(patch({ scope: { clauses: ['4.1', '4.2', '7.5.1'] }, confirmDrop: true }));
    expect(done.scope.clauses).toEqual(['4.1', '4.2', '7.5.1']);
    expect(await items()).toEqual({ '4.1-1': 'not_assessed', '4.2-1': 'not_assessed', '7.5.1-1': 'not_assessed' });
    const trail = await w.t.db
      .selectFrom('audit_trail')
      .select(['action', 'entity', 'entity_id', 'before_json', 'after_json'])
      .where('entity', 'in', ['audit', 'audit_response'])
      .where('entity_id', 'like', `${auditId}%`)
      .orderBy('id', 'desc')
      .limit(2)
      .execute();
    expect(trail.map((x) => [x.action, x.entity, x.entity_id])).toEqual([
      ['update', 'audit', String(auditId)],
      ['delete', 'audit_response', `${auditId}:9.1-2`],
    ]);
    expect(JSON.parse(trail[1]!.before_json!)).toEqual({
      verdict: 'conforming',
      level: null,
      notes: 'KPI report for Q3 seen',
      samples: 'Oct report',
      interviewees: '',
      evidenceIds: [],
    });
    expect(JSON.parse(trail[0]!.after_json!)).toMatchObject({
      added: ['7.5.1-1'],
      dropped: ['9.1-1', '9.1-2', '9.1-3', '9.1-4'],
    });
  });

  it('widens without asking; answers already given stay as they were', async () => {
    await ok(w.api('lead', 'PUT', `/api/v1/audits/${auditId}/responses/4.1-1`, { verdict: 'minor_nc', version: 0 }));
    const a = await ok(patch({ scope: { clauses: ['4.1', '4.2', '7.5.1', '9.1'] } }));
    expect(a.progress).toEqual({ items: 7, assessed: 1, percent: 14.3 });
    expect(await items()).toMatchObject({ '4.1-1': 'minor_nc', '9.1-2': 'not_assessed' });
    // Dropping only unanswered items does not ask either.
    await ok(patch({ scope: { clauses: ['4.1', '4.2', '7.5.1'] } }));
    expect(Object.keys(await items())).toEqual(['4.1-1', '4.2-1', '7.5.1-1']);
  });

  it('refuses to leave out an item a finding was raised on, naming the finding (422)', async () => {
    const f = await ok(
      w.api('lead', 'POST', `/api/v1/audits/${auditId}/findings`, {
        requirementId: '4.1-1',
        kind: 'nonconformity',
        grade: 'minor',
        statement: STATEMENT,
        ownerUserId: w.users.owner,
      }),
      201,
    );
    const r = await patch({ scope: { clauses: ['4.2', '7.5.1'] }, confirmDrop: true }, 'zh-CN');
    expect(r.statusCode).toBe(422);
    expect(r.json().message).toBe(`已提出发现的检查项不能移出范围：${f.ref} (4.1-1)。`);
    expect(Object.keys(await items())).toEqual(['4.1-1', '4.2-1', '7.5.1-1']);
    expect((await patch({ scope: { clauses: [] } })).statusCode).toBe(422);
    expect((await patch({ scope: { clauses: ['11'] } })).statusCode).toBe(422);
  });

  it('recomputes impartiality from the processes now in scope; a foreign process is 422', async () => {
    const proc = async (name: string, owner: number | null) =>
      (
        await ok(
          w.api('root', 'POST', `/api/v1/organizations/${w.orgA}/processes`, {
            name,
            clauseId: '8.6.1',
            ...(owner ? { ownerUserId: owner } : { ownerName: '周女士' }),
          }),
          201,
        )
      ).id as number;
    const incidents = await proc('事件管理', w.users.reviewer);
    const changes = await proc('变更管理', null);
    await ok(patch({ scope: { processes: [incidents] } }));
    const b = new Browser(w.t.app, 'zh-CN');
    await b.login('lead@a.example');
    const warning = '负责过程“事件管理”';
    expect((await b.get(`/audits/${auditId}`)).body).toContain(warning);
    const a = await ok(patch({ scope: { processes: [changes], services: [] } }));
    expect(a.scope).toEqual({ clauses: ['4.1', '4.2', '7.5.1'], processes: [changes], services: [] });
    expect((await b.get(`/audits/${auditId}`)).body).not.toContain(warning);
    const foreign = await ok(
      w.api('bert', 'POST', `/api/v1/organizations/${w.orgB}/processes`, {
        name: 'Beta ops',
        clauseId: '8.1',
        ownerName: 'Ops',
      }),
      201,
    );
    expect((await patch({ scope: { processes: [foreign.id] } })).statusCode).toBe(422);
  });

  it('on the audit page: the scope form asks first, naming the answers, then saves; a bad sub-clause is marked', async () => {
    const b = new Browser(w.t.app, 'zh-CN');
    await b.login('lead@a.example');
    const page = await b.get(`/audits/${auditId}`);
    expect(page.body).toContain('<h2>审核范围</h2>');
    expect(page.body).toMatch(/name="scopeClausesExtra" type="text" value="4\.1, 4\.2, 7\.5\.1"/);
    const post = (fields: [string, string][]) =>
      b.request({
        method: 'POST',
        url: `/audits/${auditId}/scope`,
        payload: new URLSearchParams([...fields, ['_csrf', b.csrf]]).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
    // Clause 4 ticked and 7.5.1 dropped from the text: 4.1-1 (minor nonconformity… with a finding) stays, 7.5.1-1 goes.
    await ok(w.api('lead', 'PUT', `/api/v1/audits/${auditId}/responses/7.5.1-1`, { verdict: 'ofi', version: 0 }));
    const fields: [string, string][] = [
      ['scopeClauses', '4'],
      ['scopeClausesExtra', ''],
      ['sites', '上海数据中心\n北京办公室'],
    ];
    const ask = await post(fields);
    expect(ask.statusCode).toBe(200);
    expect(ask.body).toContain('按此范围，1 项已有评价的检查项将移出本次审核');
    expect(ask.body).toContain('>7.5.1-1</a>');
    expect(ask.body).toContain('改进机会');
    expect(ask.body).toContain('移除 1 项评价并保存审核范围');
    expect(Object.keys(await items())).toContain('7.5.1-1');

    const done = await post([...fields, ['confirmDrop', '1']]);
    expect(done.statusCode).toBe(303);
    expect((await b.get(done.headers.location as string)).body).toContain('审核范围已保存。');
    const a = await ok(w.api('lead', 'GET', `/api/v1/audits/${auditId}`));
    expect(a.scope.clauses).toEqual(['4']);
    expect(a.scope.processes).toEqual([]);
    expect(a.sites).toEqual(['上海数据中心', '北京办公室']);
    expect(Object.keys(await items())).not.toContain('7.5.1-1');
    expect(Object.keys(await items())).toContain('4.4-1');

    const bad = await post([['scopeClausesExtra', '4.x']]);
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toMatch(
      /id="scope-scopeClausesExtra" name="scopeClausesExtra" type="text" value="4\.x" aria-invalid="true"/,
    );
    expect(bad.body).toContain('id="scope-scopeClausesExtra-err"');
  });

  it('two people widening the scope at once: both succeed and each new item is in once', async () => {
    const before = Object.keys(await items());
    const both = await Promise.all([
      patch({ scope: { clauses: ['4', '6.1'] } }),
      patch({ scope: { clauses: ['4', '6.1'] } }),
    ]);
    expect(both.map((r) => r.statusCode)).toEqual([200, 200]);
    const after = Object.keys(await items());
    expect(after.length).toBe(new Set(after).size);
    expect(after.filter((id) => id.startsWith('6.1')).length).toBeGreaterThan(0);
    expect(after.filter((id) => !id.startsWith('6.1'))).toEqual(before);
  });

  it('in reporting the scope is fixed: 409 saying to go back to fieldwork', async () => {
    await ok(w.api('lead', 'POST', `/api/v1/audits/${auditId}/transitions`, { action: 'start' }));
    await ok(patch({ scope: { clauses: ['4', '5.1'] } }));
    await ok(w.api('lead', 'POST', `/api/v1/audits/${auditId}/transitions`, { action: 'report' }));
    const r = await patch({ scope: { clauses: ['4'] } });
    expect(r.statusCode).toBe(409);
    expect(r.json().message).toContain('go back to fieldwork first');
  });
});

// Issue 17: a refused form of the audit page comes back at the address it was posted to (a reload reads the page),
// with what was typed and the field at fault marked — never a redirect that loses both.
describe('the audit page after a refused save', () => {
  let w: World;
  let auditId: number;
  beforeAll(async () => {
    w = await makeWorld();
    const r = await w.api('lead', 'POST', `/api/v1/organizations/${w.orgA}/audits`, {
      title: 'Form audit',
      type: 'internal',
      scope: { clauses: ['4.1'] },
      leadAuditorId: w.users.lead,
    });
    auditId = r.json().id;
  });
  afterAll(async () => {
    await w.t.close();
  });

  it('report text: an empty title and a bad date are marked, the objectives typed stay', async () => {
    const b = new Browser(w.t.app, 'zh-CN');
    await b.login('lead@a.example');
    await b.get(`/audits/${auditId}`);
    const r = await b.post(`/audits/${auditId}`, {
      title: '',
      objectives: '确认变更管理符合 8.5.1',
      plannedStart: '2026-13-40',
      teamPresent: '1',
    });
    expect(r.statusCode).toBe(422);
    expect(r.body).toMatch(/id="f-title" name="title" type="text" value="" aria-invalid="true"/);
    expect(r.body).toMatch(
      /id="f-plannedStart" name="plannedStart" type="date" value="2026-13-40" aria-invalid="true"/,
    );
    expect(r.body).toContain('确认变更管理符合 8.5.1</textarea>');
    const a = (await w.api('lead', 'GET', `/api/v1/audits/${auditId}`)).json();
    expect(a.title).toBe('Form audit');
    // The address posted to is the audit page's own: a reload (GET) shows it.
    expect((await b.get(`/audits/${auditId}`)).statusCode).toBe(200);
  });

  it('report content: a text over its length is marked, the others typed stay', async () => {
    const b = new Browser(w.t.app, 'en');
    await b.login('lead@a.example');
    await b.get(`/audits/${auditId}`);
    const r = await b.post(`/audits/${auditId}/report-content`, {
      auditClient: 'Alpha board',
      auditeeRepresentative: 'x'.repeat(501),
      confidentiality: 'Internal',
    });
    expect(r.statusCode).toBe(422);
    expect(r.body).toMatch(
      /id="f-auditeeRepresentative" name="auditeeRepresentative" type="text" value="x{501}" aria-invalid="true"/,
    );
    expect(r.body).toMatch(/id="f-auditClient" name="auditClient" type="text" value="Alpha board"/);
    expect((await w.api('lead', 'GET', `/api/v1/audits/${auditId}`)).json().auditClient).toBe('');
  });
});
