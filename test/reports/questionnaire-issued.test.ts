import type ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWorkbook, newAudit, transition, userId, type World, world } from './setup.js';

type Row = { requirementId: string; verdict: string; notes: string; version: number };

// Frozen means frozen (issue 15): a questionnaire previewed while the audit was open and confirmed after someone
// issued it must not change the issued record — the confirmation checks the audit's state again, not only the upload.
describe('a questionnaire confirmed after the audit was issued', () => {
  let w: World;
  let auditId: number;
  const en = () => ({ ...w.lead, 'accept-language': 'en' });
  const zh = () => ({ ...w.lead, 'accept-language': 'zh-CN' });
  const state = async () => (await w.api('GET', `/api/v1/audits/${auditId}`, w.lead)).json().responses as Row[];

  beforeAll(async () => {
    w = await world();
    auditId = await newAudit(w, {
      title: 'Internal audit, clause 4',
      type: 'internal',
      scope: { clauses: ['4.1', '4.2'] },
      leadAuditorId: await userId(w, 'chen@example.com'),
      objectives: 'Conformity of the context of the SMS',
      criteria: 'ISO/IEC 20000-1:2018 clause 4',
    });
    await transition(w, auditId, 'start');
    for (const r of await state()) {
      const put = await w.api('PUT', `/api/v1/audits/${auditId}/responses/${r.requirementId}`, w.lead, {
        verdict: 'conforming',
        notes: 'seen',
        version: r.version,
      });
      expect(put.statusCode, put.body).toBe(200);
    }
  });
  afterAll(async () => {
    await w.t.close();
  });

  it('is refused with 409 "issued; changes need a revision", and the issued answers stay as they were', async () => {
    const file = await w.api('GET', `/api/v1/audits/${auditId}/questionnaire.xlsx`, en());
    expect(file.statusCode).toBe(200);
    const wb = await loadWorkbook(file.rawPayload);
    const ws = wb.getWorksheet('Questionnaire')!;
    ws.eachRow((row) => {
      if (row.getCell(1).value === '4.1-1') row.getCell(6).value = 'changed offline after the closing meeting';
    });
    const form = new FormData();
    form.append(
      'file',
      new Blob([new Uint8Array(await (wb as ExcelJS.Workbook).xlsx.writeBuffer())], {
        type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      }),
      'filled.xlsx',
    );
    const preview = await w.t.app.inject({
      method: 'POST',
      url: `/api/v1/audits/${auditId}/questionnaire`,
      headers: en(),
      payload: form,
    });
    expect(preview.statusCode, preview.body).toBe(200);
    const { importId, changes } = preview.json() as { importId: string; changes: { requirementId: string }[] };
    expect(changes.map((c) => c.requirementId)).toEqual(['4.1-1']);

    // Meanwhile the lead completes the report and issues it.
    const patch = await w.api('PATCH', `/api/v1/audits/${auditId}`, w.lead, {
      actualStart: '2026-11-30',
      actualEnd: '2026-12-01',
      conclusion: 'Clause 4 conforms.',
    });
    expect(patch.statusCode, patch.body).toBe(200);
    await transition(w, auditId, 'report', 'issue');
    const before = await state();

    const confirm = await w.api('POST', `/api/v1/audits/${auditId}/questionnaire/confirm`, zh(), { importId });
    expect(confirm.statusCode, confirm.body).toBe(409);
    expect(confirm.json().message).toContain('已发布；修改需要新修订版');
    expect(await state()).toEqual(before);
    expect(before.find((r) => r.requirementId === '4.1-1')).toMatchObject({ notes: 'seen' });
  });

  it('cannot be reopened once issued: only a revision (a new revision number) opens it again', async () => {
    const reopen = await w.api('POST', `/api/v1/audits/${auditId}/transitions`, w.lead, { action: 'reopen' });
    expect(reopen.statusCode).toBe(422);
    const audit = (await w.api('GET', `/api/v1/audits/${auditId}`, w.lead)).json();
    expect(audit).toMatchObject({ status: 'issued', revision: 0 });
  });
});
