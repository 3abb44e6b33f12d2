import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../helpers.js';
import { newAudit, transition, type World, world } from '../reports/setup.js';

type Row = { requirementId: string; version: number };

// Before issue the audit page lists what is missing; 200 unassessed items are one line per clause with a link to that
// clause's open items, not 200 lines. The API's 422 still names every item (the contract of issue 15).
describe('what stands between an audit and its issue, on the audit page', () => {
  let w: World;
  let auditId: number;
  let clause4: string[];
  let clause5: string[];

  beforeAll(async () => {
    w = await world();
    auditId = await newAudit(w, { title: '内部审核 2026', type: 'internal', scope: { clauses: ['4', '5'] } });
    await transition(w, auditId, 'start');
    const rows = (await w.api('GET', `/api/v1/audits/${auditId}`, w.lead)).json().responses as Row[];
    clause4 = rows.filter((r) => r.requirementId.startsWith('4.')).map((r) => r.requirementId);
    clause5 = rows.filter((r) => r.requirementId.startsWith('5.')).map((r) => r.requirementId);
    // Every item of clause 5 but the last is assessed: that one is named by itself.
    for (const r of rows.filter((x) => clause5.slice(0, -1).includes(x.requirementId))) {
      const put = await w.api('PUT', `/api/v1/audits/${auditId}/responses/${r.requirementId}`, w.lead, {
        verdict: 'conforming',
        version: r.version,
      });
      expect(put.statusCode, put.body).toBe(200);
    }
  });
  afterAll(async () => {
    await w.t.close();
  });

  it('folds the unassessed items of a clause into one line linking to its open items, and names a lone one', async () => {
    expect(clause4.length).toBeGreaterThan(3);
    const b = new Browser(w.t.app, 'zh-CN');
    await b.login('chen@example.com');
    const page = (await b.get(`/audits/${auditId}`)).body;
    const list = page.slice(
      page.indexOf('id="issue-problems"'),
      page.indexOf('</ul>', page.indexOf('id="issue-problems"')),
    );
    expect(list).toContain(`条款 4：${clause4.length} 项尚未评价`);
    expect(list).toContain(`href="/audits/${auditId}/checklist?clause=4&amp;filter=open"`);
    for (const id of clause4) expect(list).not.toContain(`${id} 尚未评价`);
    const lone = clause5.at(-1)!;
    expect(list).toContain(`${lone} 尚未评价`);
    expect(list).toContain(`checklist?item=${lone}#req-${lone}`);
  });

  it('still names every unassessed item in the API’s refusal', async () => {
    const r = await w.api('POST', `/api/v1/audits/${auditId}/transitions`, w.lead, { action: 'report' });
    expect(r.statusCode).toBe(200);
    const issue = await w.api('POST', `/api/v1/audits/${auditId}/transitions`, w.lead, { action: 'issue' });
    expect(issue.statusCode).toBe(422);
    const named = (issue.json().problems as { code: string; requirementId?: string }[])
      .filter((p) => p.code === 'notAssessed')
      .map((p) => p.requirementId);
    expect(named).toEqual([...clause4, clause5.at(-1)]);
  });
});
