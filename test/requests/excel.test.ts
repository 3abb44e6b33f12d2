import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evidenceForm } from '../evidence/upload-helpers.js';
import { makeWorld, type World } from '../findings/fixture.js';
import { Browser } from '../helpers.js';

type Json = ReturnType<typeof JSON.parse>;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

// The request list in Excel (issue 18): exported, edited with exceljs as a person would in a spreadsheet program,
// imported back; a bad row is refused with its row number in Chinese and nothing is written.
describe('evidence request list in Excel', () => {
  let w: World;
  beforeAll(async () => {
    w = await makeWorld();
    await w.t.db.updateTable('audit').set({ lead_auditor_id: w.users.lead }).where('id', '=', w.auditA).execute();
    const r = await w.api('lead', 'POST', `/api/v1/audits/${w.auditA}/evidence-requests`, {
      requirementIds: ['8.6.1-1'],
      need: 'Incident records of March',
      addresseeId: w.users.owner,
      dueDate: '2030-01-15',
    });
    expect(r.statusCode, r.body).toBe(201);
  });
  afterAll(async () => {
    await w.t.close();
  });

  const download = async () => {
    const r = await w.t.app.inject({
      method: 'GET',
      url: `/api/v1/audits/${w.auditA}/evidence-requests.xlsx`,
      headers: { authorization: `Bearer ${w.tokens.lead}`, 'accept-language': 'zh-CN' },
    });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain(XLSX);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
    return wb;
  };
  const upload = async (wb: ExcelJS.Workbook, confirm = false) =>
    w.t.app.inject({
      method: 'POST',
      url: `/api/v1/audits/${w.auditA}/evidence-requests/import${confirm ? '?confirm=1' : ''}`,
      headers: { authorization: `Bearer ${w.tokens.lead}`, 'accept-language': 'zh-CN' },
      payload: evidenceForm(
        {},
        { name: 'requests.xlsx', bytes: Buffer.from((await wb.xlsx.writeBuffer()) as ArrayBuffer), type: XLSX },
      ),
    });
  const list = async () =>
    ((await w.api('lead', 'GET', `/api/v1/audits/${w.auditA}/evidence-requests`)).json() as Json[]).map((r) => [
      r.ref,
      r.requirementIds.join(','),
      r.need,
      r.addressee.email,
      r.dueDate,
    ]);

  it('exports the list in Chinese, with the request as sent', async () => {
    const wb = await download();
    const ws = wb.getWorksheet('证据请求')!;
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual([
      '编号',
      '检查项',
      '所需内容',
      '向谁索取（电子邮件）',
      '截止日期',
      '状态',
      '回复',
    ]);
    expect((ws.getRow(2).values as unknown[]).slice(1, 7)).toEqual([
      'ER-1',
      '8.6.1-1',
      'Incident records of March',
      'owner@a.example',
      new Date('2030-01-15T00:00:00Z'),
      '待回复',
    ]);
    expect(ws.getCell('E2').numFmt).toBe('yyyy-mm-dd');
  });

  it('refuses a bad file naming every wrong row in Chinese, and writes nothing', async () => {
    const wb = await download();
    const ws = wb.getWorksheet('证据请求')!;
    ws.addRow(['', '8.6.1-1', 'Problem records', 'owner@a.example', '2030-02-30']);
    ws.addRow(['', '8.6.1-1, 9.9-1', 'Known errors', 'nobody@a.example', '2030-02-01']);
    ws.addRow(['ER-9', '8.6.1-1', 'x', 'owner@a.example', '2030-02-01']);
    const r = await upload(wb, true);
    expect(r.statusCode, r.body).toBe(422);
    expect(r.json().errors.map((e: Json) => e.message)).toEqual([
      '第 3 行：请按 YYYY-MM-DD 填写截止日期。',
      '第 4 行：9.9-1 不是本审核范围内的检查项。',
      '第 4 行：nobody@a.example 不是可添加证据的成员的电子邮件。',
      '第 5 行：ER-9 不是本审核的请求（新请求请留空编号）。',
    ]);
    expect(await list()).toEqual([['ER-1', '8.6.1-1', 'Incident records of March', 'owner@a.example', '2030-01-15']]);
  });

  it('imports an edited row and a new one: previewed, then applied with confirm=1', async () => {
    const wb = await download();
    const ws = wb.getWorksheet('证据请求')!;
    ws.getCell('E2').value = new Date(Date.UTC(2030, 0, 31)); // a spreadsheet program turns the text into a date
    ws.addRow(['', '8.5.1.3-1', 'Change records of Q1', 'Owner@A.example', '2030-02-15']);
    const preview = await upload(wb);
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json()).toEqual({
      rows: 2,
      creates: [
        {
          row: 3,
          requirementIds: ['8.5.1.3-1'],
          need: 'Change records of Q1',
          addresseeId: w.users.owner,
          addresseeEmail: 'owner@a.example',
          dueDate: '2030-02-15',
        },
      ],
      updates: [{ row: 2, id: expect.any(Number), ref: 'ER-1', patch: { dueDate: '2030-01-31' } }],
    });
    expect((await list()).length).toBe(1);
    const applied = await upload(wb, true);
    expect(applied.statusCode, applied.body).toBe(201);
    expect(await list()).toEqual([
      ['ER-1', '8.6.1-1', 'Incident records of March', 'owner@a.example', '2030-01-31'],
      ['ER-2', '8.5.1.3-1', 'Change records of Q1', 'owner@a.example', '2030-02-15'],
    ]);
    const kinds = await w.t.db
      .selectFrom('notification')
      .select('kind')
      .where('user_id', '=', w.users.owner)
      .where('kind', '=', 'evidence_requested')
      .execute();
    expect(kinds.length).toBe(2);
    // The same file again: nothing left to change.
    const again = await upload(await download());
    expect([again.statusCode, again.json().creates, again.json().updates]).toEqual([200, [], []]);
  });

  it('previews and confirms an import through the pages', async () => {
    const b = new Browser(w.t.app, 'zh-CN');
    await b.login('lead@a.example');
    await b.get(`/audits/${w.auditA}/evidence-requests`);
    const wb = await download();
    wb.getWorksheet('证据请求')!.addRow(['', '7.5.4-1', '文件控制程序', 'owner@a.example', '2030-03-01']);
    const preview = await b.request({
      method: 'POST',
      url: `/reports/audits/${w.auditA}/evidence-requests`,
      payload: evidenceForm(
        { _csrf: b.csrf },
        { name: 'r.xlsx', bytes: Buffer.from((await wb.xlsx.writeBuffer()) as ArrayBuffer), type: XLSX },
      ),
    });
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.body).toContain('将发出 1 条新请求：');
    const plan = /name="plan" value="([^"]*)"/
      .exec(preview.body)![1]!
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'");
    const done = await b.post(`/reports/audits/${w.auditA}/evidence-requests/confirm`, { plan });
    expect(done.statusCode).toBe(303);
    expect((await list()).at(-1)).toEqual(['ER-3', '7.5.4-1', '文件控制程序', 'owner@a.example', '2030-03-01']);
  });
  it('applies changes only to requests still open: a withdrawn one edited in the file is refused, nothing written', async () => {
    const er2 = ((await w.api('lead', 'GET', `/api/v1/audits/${w.auditA}/evidence-requests`)).json() as Json[]).find(
      (r) => r.ref === 'ER-2',
    );
    const withdrawn = await w.api('lead', 'POST', `/api/v1/evidence-requests/${er2.id}/transitions`, {
      action: 'withdraw',
    });
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    const before = await list();
    const wb = await download();
    // The help sheet says which sent requests an import may change (it once said "unchanged" for all of them).
    const help = wb.worksheets.map((s) => s.getSheetValues().flat().join(' ')).join(' ');
    expect(help).toContain('状态为“待回复”或“要求补充”的，导入时按所改的检查项、所需内容、被请求人和截止日期更新');
    const ws = wb.getWorksheet('证据请求')!;
    ws.getCell('C2').value = 'Incident records of March and April'; // ER-1, still open
    ws.getCell('C3').value = 'Change records of Q2'; // ER-2, withdrawn
    const r = await upload(wb, true);
    expect(r.statusCode, r.body).toBe(422);
    expect(r.json().errors.map((e: Json) => e.message)).toEqual(['第 3 行：ER-2 为“已撤回”：不能再更改。']);
    expect(await list()).toEqual(before);
  });
});
