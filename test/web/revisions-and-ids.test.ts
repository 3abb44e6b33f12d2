import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../helpers.js';
import { answer, newAudit, transition, userId, type World, world } from '../reports/setup.js';

// Issue 23, read in Chinese: revisions are numbered as documents are (第1版 for the first issue), an audit is named by
// its title and never by an internal number, an item's history is the earlier audits', and only answers the earlier
// audit actually gave can be taken over.
describe('revisions, names and the earlier audit, in Chinese', () => {
  let w: World;
  let first: number;
  let followUp: number;
  let b: Browser;
  beforeAll(async () => {
    w = await world();
    const chen = await userId(w, 'chen@example.com');
    first = await newAudit(w, {
      title: '2025 年度内部审核',
      type: 'internal',
      scope: { clauses: ['4.1', '4.2', '4.3'] },
      leadAuditorId: chen,
      objectives: '验证 SMS 的符合性',
      criteria: 'ISO/IEC 20000-1:2018',
    });
    await transition(w, first, 'start');
    await answer(w, first, {
      '4.1-1': { verdict: 'conforming', notes: '外部和内部因素已识别' },
      '4.2-1': { verdict: 'conforming', notes: '相关方清单齐全' },
      '4.3-1': { verdict: 'observation', notes: '范围描述可以更清楚' },
      '4.3-2': { verdict: 'not_audited' },
      '4.3-3': { verdict: 'not_audited' },
      '4.3-4': { verdict: 'not_audited' },
    });
    const patch = await w.api('PATCH', `/api/v1/audits/${first}`, w.lead, {
      conclusion: '总体符合',
      actualEnd: '2099-12-01',
    });
    expect(patch.statusCode, patch.body).toBe(200);
    await transition(w, first, 'report', 'issue', 'revise', 'report');
    // Revision 2 says why it was made before it is issued.
    const reason = await w.api('PATCH', `/api/v1/audits/${first}`, w.lead, { revisionReason: '更正审核结论' });
    expect(reason.statusCode, reason.body).toBe(200);
    await transition(w, first, 'issue');
    followUp = await newAudit(w, {
      title: '2026 年度监督审核',
      type: 'internal',
      scope: { clauses: ['4.1', '4.2', '4.3'] },
      baselineAuditId: first,
    });
    b = new Browser(w.t.app, 'zh-CN');
    await b.login('chen@example.com');
  });
  afterAll(async () => {
    await w.t.close();
  });

  it('numbers revisions from 第1版 on the audit, its revision page, the audit list and the reports page', async () => {
    const page = await b.get(`/audits/${first}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(' · 第2版');
    const list = /<h2>已发布的版本<\/h2>\s*<ul>([\s\S]*?)<\/ul>/.exec(page.body)![1]!;
    expect([...list.matchAll(/>(第\d+版)<\/a>/g)].map((m) => m[1])).toEqual(['第1版', '第2版']);
    const rev = await b.get(`/audits/${first}/revisions/0`);
    expect(rev.statusCode).toBe(200);
    expect(rev.body).toContain('<h1>2025 年度内部审核 — 第1版</h1>');
    const audits = await b.get(`/orgs/${w.orgId}/audits`);
    expect(audits.body).toContain('<small>(第2版)</small>');
    const reports = await b.get(`/orgs/${w.orgId}/reports`);
    expect(reports.statusCode).toBe(200);
    expect(reports.body).toContain(`<a href="/audits/${first}">2025 年度内部审核</a>`);
    for (const body of [page.body, rev.body, audits.body, reports.body]) {
      expect(body).not.toMatch(/第 ?0 ?版|>r\d<| r\d<|#\d+ /);
      expect(body).not.toContain(`审核 ${first}`);
    }
  });

  it('the history and the audit trail read revisions as people do and name each record, not its number', async () => {
    const page = await b.get(`/audits/${first}`);
    const history = page.body.slice(page.body.indexOf('<h2>本记录的变更历史</h2>'));
    expect(history).toContain('<tr><th scope="row">修订版</th><td>第1版</td><td>第2版</td></tr>');
    expect(history).toContain('<td>审核 <small class="hint">2025 年度内部审核</small></td>');
    expect(history).toContain('<td>检查表答案 <small class="hint">2025 年度内部审核 · 4.3-1</small></td>');
    expect(history).not.toMatch(/<small class="hint">[\d:]+<\/small>/);
    const trail = await b.get(`/orgs/${w.orgId}/trail`);
    expect(trail.statusCode).toBe(200);
    expect(trail.body).toContain('<td>审核 <small class="hint">2026 年度监督审核</small></td>');
    expect(trail.body).not.toMatch(/<small class="hint">[\d:]+<\/small>/);
  });

  it('names the earlier audit of a follow-up by its title, not its number', async () => {
    const page = await b.get(`/audits/${followUp}`);
    expect(page.body).toContain(`<dt>以既往审核为基础</dt><dd><a href="/audits/${first}">2025 年度内部审核</a></dd>`);
    expect(page.body).not.toMatch(/[\s>(（]#\d+\b/);
  });

  it('offers 沿用此答案 only for items the earlier audit assessed, and refuses the others', async () => {
    const page = await b.get(`/audits/${followUp}/checklist?clause=4`);
    expect(page.statusCode).toBe(200);
    const card = (id: string) =>
      /<article[\s\S]*?<\/article>/.exec(
        page.body.slice(page.body.lastIndexOf('<article', page.body.indexOf(`id="req-${id}"`))),
      )![0];
    for (const id of ['4.1-1', '4.2-1', '4.3-1']) {
      expect(card(id), id).toContain('既往审核');
      expect(card(id), id).toContain('沿用此答案');
    }
    for (const id of ['4.3-2', '4.3-3', '4.3-4']) {
      expect(card(id), id).not.toContain('既往审核');
      expect(card(id), id).not.toContain('沿用此答案');
    }
    const refused = await b.post(`/audits/${followUp}/responses/4.3-2/baseline`, {});
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('既往审核未评价 4.3-2（或本次未审核），没有可沿用的答案。');
    const taken = await b.post(`/audits/${followUp}/responses/4.3-1/baseline`, {});
    expect(taken.statusCode).toBe(303);
  });

  it("an item's history lists the audits before this one, never this audit itself", async () => {
    const later = await b.get(`/audits/${followUp}/items/4.3-1`);
    const section = /<h2>此检查项在以往审核中的结果<\/h2>[\s\S]*?<\/section>/.exec(later.body)![0];
    expect(section).toContain(`<a href="/audits/${first}">2025 年度内部审核</a>`);
    expect(section).not.toContain(`/audits/${followUp}"`);
    const earlier = await b.get(`/audits/${first}/items/4.3-1`);
    const none = /<h2>此检查项在以往审核中的结果<\/h2>[\s\S]*?<\/section>/.exec(earlier.body)![0];
    expect(none).toContain('此检查项尚无以往审核的结果。');
    expect(none).not.toContain('<table');
  });
});
