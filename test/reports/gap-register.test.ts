import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answer, loadWorkbook, newAudit, raise, type World, world, xlsxPart } from './setup.js';

describe('gap register (Excel)', () => {
  let w: World;
  let auditId: number;
  let responses: { requirementId: string; verdict: string; notes: string }[];

  beforeAll(async () => {
    w = await world();
    auditId = await newAudit(w, {
      title: 'Gap analysis 2026',
      type: 'gap_analysis',
      scope: { clauses: ['4', '5', '6.1'] },
    });
    await answer(w, auditId, {
      '4.1-1': { verdict: 'major_nc', notes: '未确定内外部议题' },
      '4.2-1': { verdict: 'conforming', notes: 'Register of interested parties v2' },
      '5.1-1': { verdict: 'minor_nc', notes: 'Policy not communicated' },
      '4.3-1': { verdict: 'observation', notes: '' },
    });
    await raise(w, auditId, {
      requirementId: '4.1-1',
      kind: 'nonconformity',
      grade: 'major',
      statement: { requirement: '4.1 issues', evidence: 'No list of issues', nonconformity: 'Issues not determined' },
    });
    await raise(w, auditId, {
      requirementId: '5.1-1',
      kind: 'nonconformity',
      grade: 'minor',
      statement: { requirement: '5.1', evidence: 'Interviews', nonconformity: 'Policy not communicated' },
    });
    responses = (await w.api('GET', `/api/v1/audits/${auditId}`, w.lead)).json().responses;
  });
  afterAll(async () => {
    await w.t.close();
  });

  it('has the sheets, one row per item in scope with the verdicts the audit holds, and the findings', async () => {
    const r = await w.api('GET', `/api/v1/audits/${auditId}/gap-register.xlsx?lang=en`, w.lead);
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(r.headers['content-disposition']).toContain(`JIA-audit-${auditId}-r0-gap-register.xlsx`);
    const wb = await loadWorkbook(r.rawPayload);
    expect(wb.worksheets.map((s) => s.name)).toEqual(['Summary', 'Register', 'Findings']);
    const ws = wb.getWorksheet('Register')!;
    expect(ws.getRow(1).getCell(1).value).toBe('Item');
    expect(ws.rowCount).toBe(responses.length + 1);
    const label: Record<string, string> = {
      not_assessed: 'Not assessed',
      conforming: 'Conforming',
      minor_nc: 'Minor nonconformity',
      major_nc: 'Major nonconformity',
      observation: 'Observation',
    };
    const header = (ws.getRow(1).values as unknown[]).map(String);
    const col = (name: string) => header.indexOf(name);
    responses.forEach((resp, i) => {
      const row = ws.getRow(i + 2);
      expect(row.getCell(1).value).toBe(resp.requirementId);
      expect(row.getCell(col('Verdict')).value).toBe(label[resp.verdict]);
      expect(row.getCell(col('Gap description')).value ?? '').toBe(resp.notes);
    });
    const nc = ws.getRow(responses.findIndex((x) => x.requirementId === '4.1-1') + 2);
    expect(nc.getCell(col('Status')).value).toBe('Open');
    expect(nc.getCell(col('Due date')).value).toBeInstanceOf(Date);
    const findings = wb.getWorksheet('Findings')!;
    // The two nonconformities, then the observation verdict on 4.3-1 that has no finding of its own (issue 15).
    expect(findings.rowCount).toBe(4);
    expect(findings.getRow(2).getCell(1).value).toBe(`F-${auditId}-1`);
    expect(findings.getRow(4).getCell(1).value).toBe('4.3-1');
    const summary = wb.getWorksheet('Summary')!;
    expect(summary.getRow(2).getCell(1).value).toBe('4 Context of the organization');
    expect(summary.getRow(2).getCell(2).value).toBe(responses.filter((x) => x.requirementId.startsWith('4.')).length);
  });

  it('freezes the header, filters every column, validates each dropdown column with ONE range, fills by verdict, prints landscape', async () => {
    const buf = (await w.api('GET', `/api/v1/audits/${auditId}/gap-register.xlsx?lang=zh`, w.lead)).rawPayload;
    const wb = await loadWorkbook(buf);
    expect(wb.worksheets.map((s) => s.name)).toEqual(['汇总', '差距登记册', '审核发现']);
    const ws = wb.worksheets[1]!;
    const last = responses.length + 1;
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws.autoFilter).toBe(`A1:K${last}`);
    expect(ws.pageSetup).toMatchObject({
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: '1:1',
    });
    const xml = xlsxPart(buf, 'xl/worksheets/sheet2.xml');
    const sqrefs = [...xml.matchAll(/<dataValidation [^>]*sqref="([^"]+)"/g)].map((m) => m[1]);
    expect(sqrefs).toEqual([`E2:E${last}`, `J2:J${last}`, `K2:K${last}`]); // verdict, due date, status: one range each
    expect(xml).toContain('&quot;未评价,符合,一般不符合,严重不符合,观察项,改进机会,本次未审核&quot;');
    expect((xml.match(/<cfRule /g) ?? []).length).toBe(7);
    expect(xml).toMatch(/<pageSetup [^>]*orientation="landscape"[^>]*fitToWidth="1"/);
    expect(xlsxPart(buf, 'xl/workbook.xml')).toContain('_xlnm.Print_Titles');
  });

  it('gives the implementation levels of a self-assessment, per clause and per item', async () => {
    const sa = await newAudit(w, { title: 'Self-assessment', type: 'self_assessment', scope: { clauses: ['4'] } });
    await answer(w, sa, { '4.1-1': { verdict: 'conforming', level: 4 }, '4.2-1': { verdict: 'minor_nc', level: 1 } });
    const wb = await loadWorkbook(
      (await w.api('GET', `/api/v1/audits/${sa}/gap-register.xlsx?lang=en`, w.lead)).rawPayload,
    );
    const summary = wb.getWorksheet('Summary')!;
    const head = (summary.getRow(1).values as unknown[]).map(String);
    expect(summary.getRow(2).getCell(head.indexOf('Level 4')).value).toBe(1);
    const reg = wb.getWorksheet('Register')!;
    const rh = (reg.getRow(1).values as unknown[]).map(String);
    expect(reg.getRow(2).getCell(rh.indexOf('Implementation level (0–5)')).value).toBe(4);
  });
});
