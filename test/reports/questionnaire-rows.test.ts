import type ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Headers, loadWorkbook, newAudit, type World, world } from './setup.js';

// Row-by-row checks of an uploaded questionnaire (issue 22: each rule shown to catch its own breach): a row copied
// over another, an implementation level typed into an audit that is not a self-assessment, and an edited locked
// clause cell are each refused with the row named, in the reader's language, and nothing is applied.
describe('questionnaire rows the tool refuses', () => {
  let w: World;
  let internalId: number;
  let selfId: number;
  let zh: Headers;

  const rowOf = (ws: ExcelJS.Worksheet, id: string) => {
    let found = 0;
    ws.eachRow((r, n) => {
      if (found === 0 && r.getCell(1).value === id) found = n;
    });
    expect(found, `row of ${id}`).toBeGreaterThan(0);
    return ws.getRow(found);
  };
  const sheetOf = async (auditId: number) => {
    const r = await w.api('GET', `/api/v1/audits/${auditId}/questionnaire.xlsx`, zh);
    expect(r.statusCode).toBe(200);
    const wb = await loadWorkbook(r.rawPayload);
    return { wb, ws: wb.worksheets.find((s) => s.state === 'visible')! };
  };
  const upload = async (auditId: number, wb: ExcelJS.Workbook) => {
    const form = new FormData();
    form.append(
      'file',
      new Blob([new Uint8Array(await wb.xlsx.writeBuffer())], {
        type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      }),
      'filled.xlsx',
    );
    const r = await w.t.app.inject({
      method: 'POST',
      url: `/api/v1/audits/${auditId}/questionnaire`,
      headers: zh,
      payload: form,
    });
    return { status: r.statusCode, errors: (r.json().errors ?? []) as { row: number; message: string }[] };
  };
  const answers = async (auditId: number) => (await w.api('GET', `/api/v1/audits/${auditId}`, w.lead)).json().responses;

  beforeAll(async () => {
    w = await world();
    zh = { ...w.auditor, 'accept-language': 'zh-CN' };
    internalId = await newAudit(w, { title: '内部审核 2026', type: 'internal', scope: { clauses: ['4'] } });
    selfId = await newAudit(w, { title: '自我评估 2026', type: 'self_assessment', scope: { clauses: ['4'] } });
  });
  afterAll(async () => {
    await w.t.close();
  });

  it('refuses an item that appears twice, naming the row where it first appears', async () => {
    const before = await answers(selfId);
    const { wb, ws } = await sheetOf(selfId);
    const first = rowOf(ws, '4.3-1');
    const copy = rowOf(ws, '4.3-2');
    first.eachCell({ includeEmpty: true }, (cell, col) => {
      copy.getCell(col).value = cell.value;
    });
    first.getCell(6).value = '范围已确定';
    const r = await upload(selfId, wb);
    expect(r.status).toBe(422);
    expect(r.errors.map((e) => e.row)).toEqual([copy.number]);
    expect(r.errors[0]!.message).toContain(`该检查项重复出现（首次在第 ${first.number} 行）`);
    expect(await answers(selfId)).toEqual(before);
  });

  it('refuses an implementation level in an audit that is not a self-assessment', async () => {
    const before = await answers(internalId);
    const { wb, ws } = await sheetOf(internalId);
    const row = rowOf(ws, '4.1-1');
    row.getCell(5).value = 3;
    const r = await upload(internalId, wb);
    expect(r.status).toBe(422);
    expect(r.errors.map((e) => e.row)).toEqual([row.number]);
    expect(r.errors[0]!.message).toContain('只有自我评估才记录实施水平');
    expect(await answers(internalId)).toEqual(before);
  });

  it('accepts the same level in a self-assessment', async () => {
    const { wb, ws } = await sheetOf(selfId);
    rowOf(ws, '4.1-1').getCell(5).value = 3;
    const r = await upload(selfId, wb);
    expect(r.status).toBe(200);
  });

  it('refuses an edited clause cell, which is locked', async () => {
    const before = await answers(selfId);
    const { wb, ws } = await sheetOf(selfId);
    const row = rowOf(ws, '4.2-1');
    row.getCell(2).value = '8.1';
    row.getCell(6).value = '相关方已识别';
    const r = await upload(selfId, wb);
    expect(r.status).toBe(422);
    expect(r.errors.map((e) => e.row)).toEqual([row.number]);
    expect(r.errors[0]!.message).toContain('锁定的单元格（B 列）被修改');
    expect(await answers(selfId)).toEqual(before);
  });
});
