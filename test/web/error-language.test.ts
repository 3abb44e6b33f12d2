import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../helpers.js';
import { answer, newAudit, transition, userId, type World, world } from '../reports/setup.js';
import { rawWords } from '../support/raw-words.js';

// Issue 16: an error a Chinese user reads names statuses, verdicts, roles, actions and fields in Chinese; no enum
// value, field key or English sentence reaches them. Each case below drives one refusal in zh-CN.
describe('error messages in Chinese name nothing raw', () => {
  let w: World;
  let b: Browser;
  let auditId: number;
  let issuedId: number;
  const zh = { 'accept-language': 'zh-CN' };
  const call = (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: object) =>
    w.t.app.inject({ method, url, headers: { ...w.lead, ...zh }, ...(payload && { payload }) });
  const expectWords = (message: string, ...words: string[]) => {
    expect(rawWords(message), message).toEqual([]);
    for (const word of words) expect(message).toContain(word);
  };

  beforeAll(async () => {
    w = await world();
    auditId = await newAudit(w, { title: '年度内部审核', type: 'internal', scope: { clauses: ['4.1'] } });
    const chen = await userId(w, 'chen@example.com');
    issuedId = await newAudit(w, {
      title: '已发布的审核',
      type: 'internal',
      scope: { clauses: ['4.1'] },
      leadAuditorId: chen,
      objectives: '目标',
      criteria: '准则',
    });
    await transition(w, issuedId, 'start');
    await answer(w, issuedId, { '4.1-1': { verdict: 'conforming' } });
    expect(
      (await call('PATCH', `/api/v1/audits/${issuedId}`, { conclusion: '符合', actualEnd: '2099-01-01' })).statusCode,
    ).toBe(200);
    await transition(w, issuedId, 'report', 'issue');
    b = new Browser(w.t.app, 'zh-CN');
    await b.login('chen@example.com');
  });
  afterAll(async () => {
    await w.t.close();
  });

  it('a wrong choice of verdict, type or role is "choose one of the listed options", with the field by its label', async () => {
    const verdict = await call('PUT', `/api/v1/audits/${auditId}/responses/4.1-1`, { verdict: 'bogus', version: 0 });
    expect(verdict.statusCode).toBe(422);
    expectWords(verdict.json().message, '评价：请选择一个评价结果');
    const type = await call('POST', `/api/v1/organizations/${w.orgId}/audits`, {
      title: 'x',
      type: 'inspection',
      scope: { clauses: ['4'] },
    });
    expect(type.statusCode).toBe(422);
    expectWords(type.json().message.replace('x', ''));
    const role = await w.t.app.inject({
      method: 'POST',
      url: `/api/v1/organizations/${w.orgId}/members`,
      headers: { ...w.root, ...zh },
      payload: { email: 'new@example.com', role: 'boss' },
    });
    expect(role.statusCode).toBe(422);
    expectWords(role.json().message.replace('new@example.com', ''));
  });

  it('an action the audit status does not allow names both in Chinese', async () => {
    const r = await call('POST', `/api/v1/audits/${auditId}/transitions`, { action: 'issue' });
    expect(r.statusCode).toBe(422);
    expectWords(r.json().message, '已规划');
  });

  it('a write to an issued audit says it is issued, in words', async () => {
    const r = await call('PUT', `/api/v1/audits/${issuedId}/responses/4.1-1`, { verdict: 'minor_nc', version: 1 });
    expect(r.statusCode).toBe(409);
    expectWords(r.json().message, '已发布');
  });

  it('a nonconformity moved out of order names its statuses in Chinese', async () => {
    const nc = await call('POST', `/api/v1/audits/${auditId}/findings`, {
      requirementId: '4.1-1',
      kind: 'nonconformity',
      grade: 'minor',
      statement: { requirement: '要求', evidence: '证据', nonconformity: '未满足' },
    });
    expect(nc.statusCode, nc.body).toBe(201);
    const r = await call('POST', `/api/v1/nonconformities/${nc.json().id}/transitions`, { to: 'closed' });
    expect(r.statusCode).toBe(422);
    expectWords(r.json().message, '待处理');
    const target = await call('POST', `/api/v1/nonconformities/${nc.json().id}/transitions`, { to: 'finished' });
    expect(target.statusCode).toBe(422);
    expectWords(target.json().message);
  });

  it('a stale save never shows a question mark for the person, and a form error page names fields by label', async () => {
    const first = await call('PUT', `/api/v1/audits/${auditId}/responses/4.1-2`, { verdict: 'conforming', version: 0 });
    expect([200, 404]).toContain(first.statusCode);
    const page = await b.post(`/audits/${auditId}/responses/4.1-1`, { verdict: 'bogus', version: '0' });
    expect(page.statusCode).toBeGreaterThanOrEqual(400);
    const text = page.body.replace(/<[^>]+>/g, ' ').replace(/<script[\s\S]*?<\/script>/g, ' ');
    const main = text.slice(text.indexOf('跳到正文'));
    expect(main).not.toContain(' ? ');
    expect(main).not.toMatch(/\bverdict\b|\bversion\b|not_assessed|"conforming"/);
  });
});
