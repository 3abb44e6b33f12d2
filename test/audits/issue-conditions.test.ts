import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorld, type World } from '../findings/fixture.js';
import { Browser } from '../helpers.js';

type Json = ReturnType<typeof JSON.parse>; // a JSON body, read field by field

// Issue 15: a revision after the first says why it was made, and a certification-readiness audit states a
// recommendation, before the report is issued: refused with 422 naming them (API, in the reader's language) and
// listed on the audit page.
describe('issue rules for revisions and certification-readiness audits', () => {
  let w: World;
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
  const act = (id: number, action: string, lang?: string) =>
    w.api('lead', 'POST', `/api/v1/audits/${id}/transitions`, { action }, lang);

  /** An audit with everything the other rules ask for, every item conforming, moved to reporting. */
  async function readyAudit(type: string) {
    const id = (
      await ok(
        w.api('lead', 'POST', `/api/v1/organizations/${w.orgA}/audits`, {
          title: `Ready ${type}`,
          type,
          scope: { clauses: ['4.1'] },
          leadAuditorId: w.users.lead,
          objectives: 'o',
          criteria: 'c',
        }),
        201,
      )
    ).id as number;
    await ok(w.api('lead', 'POST', `/api/v1/audits/${id}/responses/bulk`, { verdict: 'conforming' }));
    await ok(
      w.api('lead', 'PATCH', `/api/v1/audits/${id}`, {
        conclusion: 'Conforms',
        actualStart: '2026-03-02',
        actualEnd: '2026-03-03',
      }),
    );
    for (const action of ['start', 'report']) await ok(act(id, action));
    return id;
  }

  it('asks a certification-readiness audit for its recommendation, in English and Chinese', async () => {
    const id = await readyAudit('certification_readiness');
    const en = await act(id, 'issue');
    expect(en.statusCode).toBe(422);
    expect(en.json().problems).toEqual([
      {
        code: 'missing',
        field: 'recommendation',
        message:
          'A certification-readiness audit ends in a recommendation: fill in “Recommendation (certification readiness)” under Report content.',
      },
    ]);
    const zh = await act(id, 'issue', 'zh-CN');
    expect(zh.json().problems.map((p: Json) => p.message)).toEqual([
      '认证准备度审核须给出建议：请填写报告内容中的“建议（认证准备度审核）”。',
    ]);
    const b = new Browser(w.t.app, 'zh-CN');
    await b.login('lead@a.example');
    expect((await b.get(`/audits/${id}`)).body).toContain('认证准备度审核须给出建议');
    await ok(w.api('lead', 'PATCH', `/api/v1/audits/${id}`, { recommendation: 'Ready for stage 1.' }));
    expect(await ok(act(id, 'issue'))).toEqual({ id, status: 'issued' });
  });

  it('issues an internal audit without a recommendation', async () => {
    const id = await readyAudit('internal');
    expect(await ok(act(id, 'issue'))).toEqual({ id, status: 'issued' });
  });

  it('issues the first revision without a reason and asks every later one for it', async () => {
    const id = await readyAudit('internal');
    expect(await ok(act(id, 'issue'))).toEqual({ id, status: 'issued' });
    await ok(act(id, 'revise'));
    await ok(act(id, 'report'));
    const refused = await act(id, 'issue');
    expect(refused.statusCode).toBe(422);
    expect(refused.json().problems).toEqual([
      {
        code: 'missing',
        field: 'revisionReason',
        message:
          'This revision replaces an issued report: say why it was made (“Reason for this revision” under Report content).',
      },
    ]);
    const b = new Browser(w.t.app, 'zh-CN');
    await b.login('lead@a.example');
    expect((await b.get(`/audits/${id}`)).body).toContain(
      '本修订版替代已发布的报告：请说明修订原因（报告内容中的“本修订版的修订原因”）。',
    );
    await ok(w.api('lead', 'PATCH', `/api/v1/audits/${id}`, { revisionReason: 'Conclusion reworded.' }));
    expect(await ok(act(id, 'issue'))).toEqual({ id, status: 'issued' });
    // The reason of revision 2 is not carried into revision 3: it is asked for again.
    await ok(act(id, 'revise'));
    await ok(act(id, 'report'));
    const again = await act(id, 'issue');
    expect(again.json().problems?.map((p: Json) => p.field)).toEqual(['revisionReason']);
  });
});
