import type ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../helpers.js';
import { answer, type Headers, loadWorkbook, newAudit, type World, world } from './setup.js';

type Row = { requirementId: string; verdict: string; level: number | null; notes: string; version: number };

describe('self-assessment questionnaire round trip', () => {
  let w: World;
  let auditId: number;
  let otherId: number;
  let en: Headers;

  const state = async (id = auditId) => (await w.api('GET', `/api/v1/audits/${id}`, w.lead)).json().responses as Row[];
  const download = async (id = auditId, headers: Headers = en) => {
    const r = await w.api('GET', `/api/v1/audits/${id}/questionnaire.xlsx`, headers);
    expect(r.statusCode, r.body).toBe(200);
    return r;
  };
  const rowOf = (ws: ExcelJS.Worksheet, id: string) => {
    let found = 0;
    ws.eachRow((r, n) => {
      if (r.getCell(1).value === id) found = n;
    });
    return ws.getRow(found);
  };
  const upload = async (wb: ExcelJS.Workbook, query = '', id = auditId) => {
    const form = new FormData();
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
    form.append(
      'file',
      new Blob([bytes], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }),
      'filled.xlsx',
    );
    return w.t.app.inject({
      method: 'POST',
      url: `/api/v1/audits/${id}/questionnaire${query}`,
      headers: en,
      payload: form,
    });
  };

  beforeAll(async () => {
    w = await world();
    en = { ...w.auditor, 'accept-language': 'en' };
    auditId = await newAudit(w, {
      title: 'Self-assessment 2026',
      type: 'self_assessment',
      scope: { clauses: ['4', '5'] },
    });
    otherId = await newAudit(w, {
      title: 'Other self-assessment',
      type: 'self_assessment',
      scope: { clauses: ['4', '5'] },
    });
    await answer(w, auditId, {
      '4.2-1': { verdict: 'conforming', level: 3, notes: 'Stakeholder register 干系人登记册' },
    });
  });
  afterAll(async () => {
    await w.t.close();
  });

  it('gives a protected workbook: locked id and text, editable verdict, level and notes, the audit id in a hidden meta sheet', async () => {
    const r = await download();
    expect(r.headers['content-disposition']).toContain(`JIA-audit-${auditId}-questionnaire-en.xlsx`);
    const wb = await loadWorkbook(r.rawPayload);
    const ws = wb.getWorksheet('Questionnaire')!;
    const meta = wb.getWorksheet('meta')!;
    expect(meta.state).toBe('veryHidden');
    expect(meta.getCell('A4').value).toBe('auditId');
    expect(meta.getCell('B4').value).toBe(auditId);
    expect(ws.rowCount).toBe((await state()).length + 1);
    const row = rowOf(ws, '4.2-1');
    expect(row.getCell(4).value).toBe('Conforming');
    expect(row.getCell(5).value).toBe(3);
    expect(row.getCell(6).value).toBe('Stakeholder register 干系人登记册');
    expect(row.getCell(1).protection?.locked).not.toBe(false);
    expect(row.getCell(3).protection?.locked).not.toBe(false);
    for (const c of [4, 5, 6]) expect(row.getCell(c).protection).toMatchObject({ locked: false });
    expect(ws.getColumn(7).hidden).toBe(true);
    expect((ws as unknown as { sheetProtection: { sheet: boolean } }).sheetProtection.sheet).toBe(true);
  });

  it("is written in the language asked for (?lang=), else the reader's", async () => {
    const zh = await w.api('GET', `/api/v1/audits/${auditId}/questionnaire.xlsx?lang=zh`, en);
    expect(zh.headers['content-disposition']).toContain('questionnaire-zh.xlsx');
    const zs = (await loadWorkbook(zh.rawPayload)).worksheets[0]!;
    const head = async (r: typeof zh) =>
      ((await loadWorkbook(r.rawPayload)).worksheets[0]!.getRow(1).values as unknown[]).slice(1, 4);
    expect(zs.name).toBe('问卷');
    expect(await head(zh)).toEqual(['检查项', '条款', '要求']);
    expect(await head(await download())).toEqual(['Item', 'Clause', 'Requirement']);
    const byHeader = await w.api('GET', `/api/v1/audits/${auditId}/questionnaire.xlsx`, {
      ...w.auditor,
      'accept-language': 'zh-CN',
    });
    expect(await head(byHeader)).toEqual(['检查项', '条款', '要求']);
  });

  it('changes exactly the edited cells after a preview and a confirmation, in one go', async () => {
    const before = await state();
    const wb = await loadWorkbook((await download()).rawPayload);
    const ws = wb.getWorksheet('Questionnaire')!;
    rowOf(ws, '4.1-1').getCell(5).value = 2;
    rowOf(ws, '4.1-1').getCell(6).value = 'Issues listed in the SMS plan, not yet reviewed';
    rowOf(ws, '5.1-1').getCell(4).value = 'Minor nonconformity';
    rowOf(ws, '5.1-1').getCell(5).value = 1;
    rowOf(ws, '4.2-1').getCell(6).value = 'Stakeholder register 干系人登记册 (v3)';
    const preview = await upload(wb);
    expect(preview.statusCode, preview.body).toBe(200);
    const p = preview.json() as {
      importId: string;
      changes: { requirementId: string; before: object; after: object }[];
    };
    expect(p.changes.map((c) => c.requirementId).sort()).toEqual(['4.1-1', '4.2-1', '5.1-1']);
    expect(p.changes.find((c) => c.requirementId === '4.2-1')).toMatchObject({
      before: { verdict: 'conforming', level: 3, notes: 'Stakeholder register 干系人登记册' },
      after: { verdict: 'conforming', level: 3, notes: 'Stakeholder register 干系人登记册 (v3)' },
    });
    expect(await state()).toEqual(before); // a preview changes nothing
    const ok = await w.api('POST', `/api/v1/audits/${auditId}/questionnaire/confirm`, en, { importId: p.importId });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ applied: 3 });
    const after = await state();
    const changed = after.filter(
      (a) => JSON.stringify(a) !== JSON.stringify(before.find((b) => b.requirementId === a.requirementId)),
    );
    expect(changed.map((c) => c.requirementId).sort()).toEqual(['4.1-1', '4.2-1', '5.1-1']);
    expect(after.find((x) => x.requirementId === '4.1-1')).toMatchObject({
      verdict: 'not_assessed',
      level: 2,
      notes: 'Issues listed in the SMS plan, not yet reviewed',
      version: 1,
    });
    expect(after.find((x) => x.requirementId === '5.1-1')).toMatchObject({
      verdict: 'minor_nc',
      level: 1,
      notes: '',
      version: 1,
    });
    expect(after.find((x) => x.requirementId === '4.2-1')).toMatchObject({
      verdict: 'conforming',
      level: 3,
      version: 2,
    });
    // Confirming twice applies nothing twice.
    expect(
      (await w.api('POST', `/api/v1/audits/${auditId}/questionnaire/confirm`, en, { importId: p.importId })).statusCode,
    ).toBe(404);
  });

  it('refuses a bad file, naming the sheet and rows at fault, and changes nothing', async () => {
    const before = await state();
    const wb = await loadWorkbook((await download()).rawPayload);
    const ws = wb.getWorksheet('Questionnaire')!;
    const unknown = rowOf(ws, '4.3-1');
    unknown.getCell(1).value = '4.9-9';
    const seven = rowOf(ws, '4.3-2');
    seven.getCell(5).value = 7;
    const text = rowOf(ws, '4.4-1');
    text.getCell(3).value = 'The organisation may do whatever it likes';
    const fine = rowOf(ws, '5.3-1');
    fine.getCell(6).value = 'A valid edit that must not be applied either';
    const r = await upload(wb);
    expect(r.statusCode).toBe(422);
    const messages = r.json().errors as { sheet: string; row: number; message: string }[];
    expect(messages.map((e) => [e.sheet, e.row])).toEqual([
      ['Questionnaire', unknown.number],
      ['Questionnaire', seven.number],
      ['Questionnaire', text.number],
    ]);
    expect(messages[0]!.message).toBe(
      `Questionnaire row ${unknown.number}: “4.9-9” is not a checklist item of this audit.`,
    );
    expect(messages[1]!.message).toContain('the implementation level “7” must be a whole number from 0 to 5');
    expect(messages[2]!.message).toContain('the requirement text was edited');
    expect(await state()).toEqual(before);
  });

  it("refuses another audit's questionnaire, in the user's language", async () => {
    const before = await state();
    const wb = await loadWorkbook((await download(otherId, { ...w.auditor, 'accept-language': 'zh-CN' })).rawPayload);
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(await wb.xlsx.writeBuffer())]), 'other.xlsx');
    const r = await w.t.app.inject({
      method: 'POST',
      url: `/api/v1/audits/${auditId}/questionnaire`,
      headers: { ...w.auditor, 'accept-language': 'zh-CN' },
      payload: form,
    });
    expect(r.statusCode).toBe(422);
    const errors = r.json().errors as { sheet: string; row: number; message: string }[];
    expect(errors[0]).toMatchObject({ sheet: 'meta', row: 4 });
    expect(errors[0]!.message).toBe('meta 第 4 行：本文件是另一个审核的问卷，而不是审核“Self-assessment 2026”的。');
    expect(errors[1]!.message).toContain(`问卷 第 2 行`);
    expect(errors[1]!.message).toContain('此行属于另一个审核，而不是审核“Self-assessment 2026”。');
    expect(await state()).toEqual(before);
  });

  it('refuses an answer changed in the tool since the download, and a stale confirmation', async () => {
    const wb = await loadWorkbook((await download()).rawPayload);
    rowOf(wb.getWorksheet('Questionnaire')!, '5.2.1-1').getCell(6).value = 'edited offline';
    await answer(w, auditId, { '5.2.1-1': { verdict: 'conforming', level: 5, notes: 'edited in the tool' } });
    const r = await upload(wb);
    expect(r.statusCode).toBe(422);
    expect(r.json().errors[0].message).toContain('the answer was changed in the tool after this file was downloaded');

    const wb2 = await loadWorkbook((await download()).rawPayload);
    rowOf(wb2.getWorksheet('Questionnaire')!, '5.3-2').getCell(6).value = 'offline';
    const p = (await upload(wb2)).json() as { importId: string };
    await answer(w, auditId, { '5.3-2': { verdict: 'observation', level: 2, notes: 'meanwhile' } });
    const c = await w.api('POST', `/api/v1/audits/${auditId}/questionnaire/confirm`, en, { importId: p.importId });
    expect(c.statusCode).toBe(409);
    expect((await state()).find((x) => x.requirementId === '5.3-2')).toMatchObject({ notes: 'meanwhile' });
    // wang changed 5.3-2 himself (the item page) after his own preview: the refusal says so, not "someone else".
    expect(c.json().message).toBe(
      'Nothing was saved: you changed these items yourself after the preview (on the item page or with another upload): 5.3-2. Upload the file again if it should still apply.',
    );
    const zh = await w.api(
      'POST',
      `/api/v1/audits/${auditId}/questionnaire/confirm`,
      { ...w.auditor, 'accept-language': 'zh-CN' },
      { importId: p.importId },
    );
    expect(zh.statusCode).toBe(409);
    expect(zh.json().message).toBe(
      '未保存任何内容：预览之后，您本人已修改以下检查项（在检查项页面或通过另一次上传）：5.3-2。如仍需应用本文件，请重新上传。',
    );
    expect(zh.json().message).not.toContain('他人');

    // Changed by another member (chen) after the preview: the refusal names who changed what.
    const wb3 = await loadWorkbook((await download()).rawPayload);
    rowOf(wb3.getWorksheet('Questionnaire')!, '5.2.2-1').getCell(6).value = 'offline 3';
    const p3 = (await upload(wb3)).json() as { importId: string };
    const v = (await state()).find((x) => x.requirementId === '5.2.2-1')!.version;
    const byLead = await w.api('PUT', `/api/v1/audits/${auditId}/responses/5.2.2-1`, w.lead, {
      verdict: 'observation',
      level: 1,
      notes: 'by the lead',
      samples: '',
      version: v,
    });
    expect(byLead.statusCode, byLead.body).toBe(200);
    const c3 = await w.api('POST', `/api/v1/audits/${auditId}/questionnaire/confirm`, en, { importId: p3.importId });
    expect(c3.statusCode).toBe(409);
    expect(c3.json().message).toBe(
      'Nothing was saved: these items were changed after the preview (by whom, in brackets): 5.2.2-1 (chen). Upload the file again.',
    );
  });

  it('takes the same file uploaded again after it was applied as nothing to change: 200, no conflict, no trail entry', async () => {
    const wb = await loadWorkbook((await download()).rawPayload);
    rowOf(wb.getWorksheet('Questionnaire')!, '4.3-1').getCell(6).value = 'Scope statement v3, signed';
    const first = await upload(wb, '?confirm=1');
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ applied: 1 });
    const trail = async () =>
      Number(
        (
          await w.t.db
            .selectFrom('audit_trail')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const entries = await trail();
    const answers = await state();

    const again = await upload(wb, '?confirm=1');
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toEqual({ applied: 0, changes: [] });
    const preview = await upload(wb);
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json()).toMatchObject({ changes: [] });
    expect(await trail()).toBe(entries);
    expect(await state()).toEqual(answers);

    // The page says there is nothing to change, in the reader's language.
    const b = new Browser(w.t.app, 'zh-CN');
    await b.login('wang@example.com');
    await b.get(`/audits/${auditId}`);
    const form = new FormData();
    form.append('_csrf', b.csrf);
    form.append('file', new Blob([new Uint8Array(await wb.xlsx.writeBuffer())]), 'filled.xlsx');
    const page = await b.request({ method: 'POST', url: `/reports/audits/${auditId}/questionnaire`, payload: form });
    expect(page.statusCode, page.body).toBe(200);
    expect(page.body).toMatch(/文件中没有对本次审核的更改/);
    expect(await trail()).toBe(entries);
  });

  it('runs as pages: upload with the token as the first form field, a preview of old → new, confirm, back to the audit', async () => {
    const b = new Browser(w.t.app);
    await b.login('wang@example.com');
    const page = await b.get(`/audits/${auditId}`);
    expect(page.body).toContain(`/reports/audits/${auditId}/report.pdf?lang=both`);
    expect(page.body).toContain(`/reports/audits/${auditId}/gap-register.xlsx`);
    const dl = await b.get(`/reports/audits/${auditId}/questionnaire.xlsx`);
    expect(dl.statusCode).toBe(200);
    const wb = await loadWorkbook(dl.rawPayload);
    rowOf(wb.worksheets[0]!, '5.3-1').getCell(6).value = 'Roles assigned in the RACI chart';
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
    const form = new FormData();
    form.append('file', new Blob([bytes]), 'filled.xlsx');
    const noToken = await b.request({ method: 'POST', url: `/reports/audits/${auditId}/questionnaire`, payload: form });
    expect(noToken.statusCode).toBe(403);
    // The token in the query string is no longer read (URLs end up in logs and Referer headers).
    const inQuery = await b.request({
      method: 'POST',
      url: `/reports/audits/${auditId}/questionnaire?_csrf=${encodeURIComponent(b.csrf)}`,
      payload: form,
    });
    expect(inQuery.statusCode).toBe(403);
    // A token sent after the file is not waited for: the file is never read.
    const late = new FormData();
    late.append('file', new Blob([bytes]), 'filled.xlsx');
    late.append('_csrf', b.csrf);
    expect(
      (await b.request({ method: 'POST', url: `/reports/audits/${auditId}/questionnaire`, payload: late })).statusCode,
    ).toBe(403);
    const withToken = new FormData();
    withToken.append('_csrf', b.csrf);
    withToken.append('file', new Blob([bytes]), 'filled.xlsx');
    const preview = await b.request({
      method: 'POST',
      url: `/reports/audits/${auditId}/questionnaire`,
      payload: withToken,
    });
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.body).toContain('Roles assigned in the RACI chart');
    expect(preview.body).toContain(`action="/reports/audits/${auditId}/questionnaire/confirm"`);
    const importId = /name="importId" value="([a-f0-9]{32})"/.exec(preview.body)![1]!;
    const done = await b.post(`/reports/audits/${auditId}/questionnaire/confirm`, { importId });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe(`/audits/${auditId}#reports`);
    expect((await b.get(`/audits/${auditId}`)).body).toContain('Answers updated from the questionnaire: 1.');
    expect((await state()).find((x) => x.requirementId === '5.3-1')).toMatchObject({
      notes: 'Roles assigned in the RACI chart',
    });
  });
});
