import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../helpers.js';
import { answer, loadWorkbook, newAudit, pdfText, raise, type World, world } from '../reports/setup.js';

// 6.1.2 and 9.2.2 have numbers but no title in the standard: the titles we gave them are printed in brackets
// everywhere (pages, PDF, Excel), so that a finding never quotes them as the standard's words.
describe('editorial clause titles are shown as ours', () => {
  let w: World;
  let auditId: number;
  beforeAll(async () => {
    w = await world();
    auditId = await newAudit(w, { title: '风险审核', type: 'internal', scope: { clauses: ['6.1.2', '9.2.2'] } });
    await answer(w, auditId, { '6.1.2-1': { verdict: 'minor_nc', notes: '风险登记册未覆盖客户影响' } });
    await raise(w, auditId, {
      requirementId: '6.1.2-1',
      kind: 'nonconformity',
      grade: 'minor',
      statement: { requirement: '6.1.2 b)', evidence: '风险登记册 v2', nonconformity: '未识别对客户的影响' },
    });
  });
  afterAll(async () => {
    await w.t.close();
  });

  it('in the clause tree and on the clause page, with a legend saying why', async () => {
    const b = new Browser(w.t.app, 'zh-CN');
    await b.login('chen@example.com');
    const tree = await b.get('/standards/iso-iec-20000-1-2018');
    expect(tree.body).toContain('6.1.2 〔确认风险和机遇并形成文档化信息〕');
    expect(tree.body).toContain('9.2.2 〔审核方案〕');
    expect(tree.body).toContain('6.1 应对风险和机遇的措施</a>'); // the standard's own titles unchanged
    expect(tree.body).toContain('方括号〔〕中的标题为本工具所拟');
    const clause = await b.get('/standards/iso-iec-20000-1-2018/clauses/6.1.2');
    expect(clause.body).toContain('〔确认风险和机遇并形成文档化信息〕');
  });

  it('in the audit report (PDF) and the gap register (Excel)', async () => {
    const pdf = pdfText((await w.api('GET', `/api/v1/audits/${auditId}/report.pdf?lang=zh`, w.lead)).rawPayload);
    expect(pdf).toContain('〔确认风险和机遇并形成文档化信息〕');
    expect(pdf).not.toMatch(/6\.1\.2 确认风险/);
    const en = pdfText((await w.api('GET', `/api/v1/audits/${auditId}/report.pdf?lang=en`, w.lead)).rawPayload);
    expect(en).toContain('[Identifying risks and opportunities');
    const xlsx = await w.api('GET', `/api/v1/audits/${auditId}/gap-register.xlsx?lang=zh`, w.lead);
    const wb = await loadWorkbook(xlsx.rawPayload);
    const cells: string[] = [];
    wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((c) => cells.push(String(c.value ?? '')))));
    expect(cells).toContain('6.1.2-1');
    // The register names items by number; wherever a title of ours appears, it is in brackets.
    expect(cells.filter((c) => /(?<!〔)确认风险和机遇并形成文档化信息|(?<!〔)审核方案〕?$/.test(c))).toEqual([]);
  });
});
