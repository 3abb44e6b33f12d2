import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorld, type World } from '../findings/fixture.js';
import { Browser } from '../helpers.js';

type Json = ReturnType<typeof JSON.parse>; // a JSON body, read field by field

// Sampling, honestly (issue 15) and the bulk verdict (issue 17): "not audited in this audit" is a verdict of its own,
// never counted as conforming; issue is allowed once every item is assessed or not audited.
describe('not audited in this audit, and verdicts in bulk', () => {
  let w: World;
  let auditId: number;
  beforeAll(async () => {
    w = await makeWorld();
  });
  afterAll(async () => {
    await w.t.close();
  });
  const ok = async (p: Promise<LightMyRequestResponse>, code = 200): Promise<Json> => {
    const r = await p;
    expect(r.statusCode, r.body).toBe(code);
    return r.json();
  };
  const verdictsOf = (a: Json) =>
    Object.fromEntries(a.responses.map((r: Json) => [r.requirementId, r.verdict])) as Record<string, string>;

  it('accepts not_audited in PUT …/responses/:requirementId', async () => {
    auditId = (
      await ok(
        w.api('lead', 'POST', `/api/v1/organizations/${w.orgA}/audits`, {
          title: 'Sampled audit',
          type: 'internal',
          scope: { clauses: ['4.1', '4.2', '9.1'] },
          leadAuditorId: w.users.lead,
        }),
        201,
      )
    ).id;
    const a = await ok(w.api('lead', 'GET', `/api/v1/audits/${auditId}`));
    expect(Object.keys(verdictsOf(a))).toEqual(['4.1-1', '4.2-1', '9.1-1', '9.1-2', '9.1-3', '9.1-4']);
    const put = await ok(
      w.api('lead', 'PUT', `/api/v1/audits/${auditId}/responses/9.1-4`, { verdict: 'not_audited', version: 0 }),
    );
    expect(put).toMatchObject({ requirementId: '9.1-4', verdict: 'not_audited', version: 1 });
  });

  it('POST …/responses/bulk: 200 with the number changed; only unassessed items; lead or team only', async () => {
    const url = `/api/v1/audits/${auditId}/responses/bulk`;
    await ok(w.api('lead', 'PUT', `/api/v1/audits/${auditId}/responses/4.1-1`, { verdict: 'conforming', version: 0 }));
    // reviewer is an auditor of the organisation but not on this audit's team; viewer cannot respond at all.
    expect((await w.api('reviewer', 'POST', url, { clause: '4', verdict: 'not_audited' })).statusCode).toBe(403);
    expect((await w.api('viewer', 'POST', url, { clause: '4', verdict: 'not_audited' })).statusCode).toBe(403);
    expect((await w.api('bert', 'POST', url, { clause: '4', verdict: 'not_audited' })).statusCode).toBe(404);
    expect((await w.api('lead', 'POST', url, { clause: '4.x', verdict: 'not_audited' })).statusCode).toBe(422);
    expect(await ok(w.api('lead', 'POST', url, { clause: '4', verdict: 'not_audited', onlyUnassessed: true }))).toEqual(
      { changed: 1 },
    );
    // Again: nothing is left to change in clause 4.
    expect(await ok(w.api('lead', 'POST', url, { clause: '4', verdict: 'not_audited' }))).toEqual({ changed: 0 });
    const a = await ok(w.api('lead', 'GET', `/api/v1/audits/${auditId}`));
    expect(verdictsOf(a)).toEqual({
      '4.1-1': 'conforming',
      '4.2-1': 'not_audited',
      '9.1-1': 'not_assessed',
      '9.1-2': 'not_assessed',
      '9.1-3': 'not_assessed',
      '9.1-4': 'not_audited',
    });
    // A form left open on a bulk-changed item is stale now.
    const stale = await w.api('lead', 'PUT', `/api/v1/audits/${auditId}/responses/4.2-1`, {
      verdict: 'conforming',
      version: 0,
    });
    expect(stale.statusCode).toBe(409);
    const trail = await w.t.db
      .selectFrom('audit_trail')
      .select(['entity_id'])
      .where('entity', '=', 'audit_response')
      .where('entity_id', '=', `${auditId}:bulk`)
      .execute();
    expect(trail).toHaveLength(1);
  });

  it('readiness is over the examined items, coverage beside it; not audited never counts as conforming', async () => {
    await ok(w.api('lead', 'PUT', `/api/v1/audits/${auditId}/responses/9.1-1`, { verdict: 'minor_nc', version: 0 }));
    await ok(w.api('lead', 'PUT', `/api/v1/audits/${auditId}/responses/9.1-2`, { verdict: 'observation', version: 0 }));
    await ok(w.api('lead', 'PUT', `/api/v1/audits/${auditId}/responses/9.1-3`, { verdict: 'not_audited', version: 0 }));
    const a = await ok(w.api('lead', 'GET', `/api/v1/audits/${auditId}`));
    // Clause 4: 1 conforming of 1 examined (1 not audited) → 100 %; clause 9: (0.25 + 0.75) / 2 = 50 %.
    // Overall: (1 + 0.25 + 0.75) / 3 = 66.7 %; examined 3 of 6.
    expect(a.progress).toEqual({ items: 6, assessed: 6, percent: 100 });
    expect(a.coverage).toEqual({ items: 6, examined: 3, notAudited: 3, percent: 50 });
    expect(a.readiness.overall).toBe(66.7);
    expect(
      a.readiness.byClause.map((c: Json) => [
        c.clause,
        c.items,
        c.examined,
        c.notAudited,
        c.readiness,
        c.counts.conforming,
      ]),
    ).toEqual([
      ['4', 2, 1, 1, 100, 1],
      ['9', 4, 2, 2, 50, 0],
    ]);
    const b = new Browser(w.t.app, 'zh-CN');
    await b.login('lead@a.example');
    const page = await b.get(`/audits/${auditId}`);
    expect(page.body).toContain('已审核 3 / 6');
    expect(page.body).toContain('本次未审核');
  });

  it('issues once every item is assessed or not audited, and every NC verdict carries a finding of its grade', async () => {
    await ok(w.api('lead', 'PATCH', `/api/v1/audits/${auditId}`, { objectives: 'o', criteria: 'c', conclusion: 'x' }));
    for (const action of ['start', 'report'])
      await ok(w.api('lead', 'POST', `/api/v1/audits/${auditId}/transitions`, { action }));
    const issue = () => w.api('lead', 'POST', `/api/v1/audits/${auditId}/transitions`, { action: 'issue' });
    const refused = await issue();
    expect(refused.statusCode).toBe(422);
    // Not audited items are no problem; the minor verdict on 9.1-1 without a nonconformity is, and the end date.
    expect(refused.json().problems).toEqual([
      { code: 'missing', field: 'actualEnd', message: '“Actual end” is not filled in.' },
      {
        code: 'ncWithoutFinding',
        requirementId: '9.1-1',
        grade: 'minor',
        message:
          '9.1-1 has the verdict “Minor nonconformity” but no nonconformity of that grade was raised on it: raise one, or change the verdict.',
      },
    ]);
    const statement = { requirement: 'r', evidence: 'e', nonconformity: 'n' };
    const raise = (grade: string) =>
      ok(
        w.api('lead', 'POST', `/api/v1/audits/${auditId}/findings`, {
          requirementId: '9.1-1',
          kind: 'nonconformity',
          grade,
          statement,
        }),
        201,
      );
    await raise('major'); // the wrong grade does not count
    await ok(w.api('lead', 'PATCH', `/api/v1/audits/${auditId}`, { actualEnd: '2099-01-01' }));
    expect((await issue()).json().problems.map((p: Json) => p.code)).toEqual(['ncWithoutFinding']);
    await raise('minor');
    expect(await ok(issue())).toEqual({ id: auditId, status: 'issued' });
  });

  it('lists what is missing on the audit page, localised', async () => {
    const id = (
      await ok(
        w.api('lead', 'POST', `/api/v1/organizations/${w.orgA}/audits`, {
          title: 'Listed',
          type: 'internal',
          scope: { clauses: ['4.1'] },
        }),
        201,
      )
    ).id;
    await ok(w.api('lead', 'POST', `/api/v1/audits/${id}/transitions`, { action: 'start' }));
    const b = new Browser(w.t.app, 'zh-CN');
    await b.login('lead@a.example');
    const page = (await b.get(`/audits/${id}`)).body;
    for (const m of [
      '发布报告前还需处理 (6)',
      '尚未填写“审核组长”。',
      '尚未填写“审核目标”。',
      '尚未填写“审核准则”。',
      '尚未填写“实际结束”。',
      '尚未填写“审核结论”。',
      '4.1-1 尚未评价：请给出评价，或设为“本次未审核”。',
    ])
      expect(page).toContain(m);
  });

  it('the checklist sets every unassessed item of a clause in one action, after a confirmation naming the count', async () => {
    const id = (
      await ok(
        w.api('lead', 'POST', `/api/v1/organizations/${w.orgA}/audits`, {
          title: 'Page bulk',
          type: 'internal',
          scope: { clauses: ['4', '5.1'] },
          leadAuditorId: w.users.lead,
        }),
        201,
      )
    ).id;
    const b = new Browser(w.t.app, 'zh-CN');
    await b.login('lead@a.example');
    const list = await b.get(`/audits/${id}/checklist`);
    const before = (await ok(w.api('lead', 'GET', `/api/v1/audits/${id}`))).responses as Json[];
    const inFour = before.filter((r) => r.clause.startsWith('4')).length;
    const all = before.length;
    expect(list.body).toContain(`将全部 ${all} 项未评价的检查项设为“本次未审核”…`);
    expect(list.body).toContain(`条款 4 中全部未评价的检查项（${inFour} 项）`);
    const ask = await b.post(`/audits/${id}/responses/bulk`, {
      clause: '4',
      verdict: 'not_audited',
      target: 'unassessed',
    });
    expect(ask.statusCode).toBe(200);
    expect(ask.body).toContain(`条款 4 中还有 ${inFour} 项未评价，将全部设为“本次未审核”。`);
    // Nothing changed yet.
    expect(Object.values(verdictsOf(await ok(w.api('lead', 'GET', `/api/v1/audits/${id}`))))).not.toContain(
      'not_audited',
    );
    const done = await b.post(`/audits/${id}/responses/bulk`, {
      clause: '4',
      verdict: 'not_audited',
      confirm: String(inFour),
    });
    expect(done.statusCode).toBe(303);
    const flash = await b.get(done.headers.location as string);
    expect(flash.body).toContain(`已将 ${inFour} 项设为“本次未审核”。`);
    const after = verdictsOf(await ok(w.api('lead', 'GET', `/api/v1/audits/${id}`)));
    expect(Object.entries(after).filter(([, v]) => v === 'not_audited').length).toBe(inFour);
    expect(Object.entries(after).filter(([k, v]) => k.startsWith('5.') && v === 'not_assessed').length).toBe(
      all - inFour,
    );
  });

  it('sets a chosen verdict on the items selected on a clause page, after a confirmation naming them (page and API)', async () => {
    const id = (
      await ok(
        w.api('lead', 'POST', `/api/v1/organizations/${w.orgA}/audits`, {
          title: 'Selection bulk',
          type: 'internal',
          scope: { clauses: ['9.1'] },
          leadAuditorId: w.users.lead,
        }),
        201,
      )
    ).id;
    await ok(w.api('lead', 'PUT', `/api/v1/audits/${id}/responses/9.1-3`, { verdict: 'minor_nc', version: 0 }));
    await ok(w.api('lead', 'PUT', `/api/v1/audits/${id}/responses/9.1-4`, { verdict: 'conforming', version: 0 }));
    const b = new Browser(w.t.app, 'zh-CN');
    await b.login('lead@a.example');
    const page = await b.get(`/audits/${id}/checklist?clause=9`);
    expect(page.body).toContain('<h3 id="bulk-h">批量设置评价</h3>');
    expect(page.body).toMatch(
      /<input type="checkbox" name="requirementIds" value="9\.1-2" form="bulk"> 选择<span class="sr-only"> 9\.1-2<\/span>/,
    );
    const post = (fields: [string, string][]) =>
      b.request({
        method: 'POST',
        url: `/audits/${id}/responses/bulk`,
        payload: new URLSearchParams([...fields, ['_csrf', b.csrf]]).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
    // "Selected" with nothing ticked: back to the page, saying what to do.
    const none = await post([
      ['clause', '9'],
      ['target', 'selected'],
      ['verdict', 'conforming'],
    ]);
    expect(none.statusCode).toBe(303);
    expect(none.headers.location).toBe(`/audits/${id}/checklist?clause=9`);
    expect((await b.get(none.headers.location as string)).body).toContain('请先选择检查项');
    const picked: [string, string][] = [
      ['clause', '9'],
      ['target', 'selected'],
      ['verdict', 'conforming'],
      ['requirementIds', '9.1-1'],
      ['requirementIds', '9.1-3'],
      ['requirementIds', '9.1-4'],
    ];
    const ask = await post(picked);
    expect(ask.statusCode).toBe(200);
    expect(ask.body).toContain('选中的 2 项将设为“符合”：');
    expect(ask.body).toContain('其中 1 项已有其他评价，将被替换');
    expect(ask.body).toContain('选中的检查项中有 1 项已是“符合”，保持不变。');
    expect(ask.body).toContain('设置 2 项');
    expect(verdictsOf(await ok(w.api('lead', 'GET', `/api/v1/audits/${id}`)))).toMatchObject({
      '9.1-1': 'not_assessed',
    });
    const done = await post([...picked, ['confirm', '2']]);
    expect(done.statusCode).toBe(303);
    expect((await b.get(done.headers.location as string)).body).toContain('已将 2 项设为“符合”。');
    expect(verdictsOf(await ok(w.api('lead', 'GET', `/api/v1/audits/${id}`)))).toEqual({
      '9.1-1': 'conforming',
      '9.1-2': 'not_assessed',
      '9.1-3': 'conforming',
      '9.1-4': 'conforming',
    });
    const trail = await w.t.db
      .selectFrom('audit_trail')
      .select(['before_json'])
      .where('entity_id', '=', `${id}:bulk`)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(trail.before_json!)).toEqual({ verdicts: { '9.1-1': 'not_assessed', '9.1-3': 'minor_nc' } });
    // The API: the items named; onlyUnassessed (the default) leaves answered ones alone, false replaces them.
    const url = `/api/v1/audits/${id}/responses/bulk`;
    expect(
      await ok(w.api('lead', 'POST', url, { verdict: 'observation', requirementIds: ['9.1-1', '9.1-2'] })),
    ).toEqual({ changed: 1 });
    expect(
      await ok(
        w.api('lead', 'POST', url, { verdict: 'ofi', requirementIds: ['9.1-1', '9.1-4'], onlyUnassessed: false }),
      ),
    ).toEqual({ changed: 2 });
    expect(verdictsOf(await ok(w.api('lead', 'GET', `/api/v1/audits/${id}`)))).toEqual({
      '9.1-1': 'ofi',
      '9.1-2': 'observation',
      '9.1-3': 'conforming',
      '9.1-4': 'ofi',
    });
  });
});
