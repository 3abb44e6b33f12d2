import type ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bulkNonconformities } from '../../fixtures/nonconformities.js';
import { bearerFor, seedUser } from '../helpers.js';
import { loadWorkbook, newAudit, raise, type World, world } from './setup.js';

describe('nonconformity and corrective-action register (streamed Excel)', () => {
  let w: World;
  let otherOrg: number;
  let foreignOrg: number;

  beforeAll(async () => {
    w = await world();
    const audit = await newAudit(w, { title: 'Audit', type: 'internal', scope: { clauses: ['4', '5'] } });
    await raise(w, audit, {
      requirementId: '4.1-1',
      kind: 'nonconformity',
      grade: 'major',
      statement: { requirement: 'r', evidence: 'e', nonconformity: '未确定议题' },
    });
    await raise(w, audit, {
      requirementId: '4.2-1',
      kind: 'observation',
      statement: { requirement: 'r', evidence: 'e', nonconformity: 'not an NC' },
    });
    // More than one page of 2,000 rows, so the keyset paging is exercised.
    await bulkNonconformities(w.t.db, w.orgId, 4_100);
    otherOrg = (await w.api('POST', '/api/v1/organizations', w.root, { name: 'Client Yi', code: 'YI' })).json().id;
    await w.api('POST', `/api/v1/organizations/${otherOrg}/members`, w.root, {
      email: 'chen@example.com',
      role: 'viewer',
    });
    await bulkNonconformities(w.t.db, otherOrg, 30);
    foreignOrg = (await w.api('POST', '/api/v1/organizations', w.root, { name: 'Client Bing', code: 'BING' })).json()
      .id;
    await bulkNonconformities(w.t.db, foreignOrg, 7);
  });
  afterAll(async () => {
    await w.t.close();
  });

  it("streams one organisation's register and loads back with one row per nonconformity", async () => {
    const r = await w.api('GET', `/api/v1/organizations/${w.orgId}/nonconformities.xlsx`, {
      ...w.lead,
      'accept-language': 'en',
    });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(r.headers['content-disposition']).toMatch(/filename="JIA-nonconformities-\d{4}-\d{2}-\d{2}\.xlsx"/);
    expect(r.headers['content-length']).toBeUndefined(); // streamed, not buffered
    const wb = await loadWorkbook(r.rawPayload);
    expect(wb.worksheets.map((s) => s.name)).toEqual(['Nonconformities', 'Corrective actions']);
    const nc = wb.getWorksheet('Nonconformities')!;
    expect(nc.actualRowCount).toBe(4_101 + 1);
    expect(nc.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(nc.autoFilter).toBe('A1:T4102');
    const refs = new Set<string>();
    nc.eachRow((row, n) => {
      if (n > 1) refs.add(String(row.getCell(3).value));
    });
    expect(refs.size).toBe(4_101);
    expect([...refs].filter((x) => x.startsWith('F-1-'))).toEqual(['F-1-1']); // the observation is not a nonconformity
    expect(wb.getWorksheet('Corrective actions')!.actualRowCount).toBe(4_100 + 1);
  });

  it('spans every organisation the caller belongs to, and none other', async () => {
    const r = await w.api('GET', '/api/v1/nonconformities.xlsx', { ...w.lead, 'accept-language': 'zh-CN' });
    expect(r.statusCode).toBe(200);
    const wb = await loadWorkbook(r.rawPayload);
    const nc = wb.getWorksheet('不符合')!;
    const codes = new Map<string, number>();
    nc.eachRow((row, n) => {
      if (n > 1) codes.set(String(row.getCell(1).value), (codes.get(String(row.getCell(1).value)) ?? 0) + 1);
    });
    expect(Object.fromEntries(codes)).toEqual({ JIA: 4_101, YI: 30 });
  });

  it('has one nonconformity column, then the correction, cause and effectiveness review of its lifecycle; ?lang= picks the language', async () => {
    const nc = await w.t.db
      .selectFrom('finding')
      .select('id')
      .where('ref', '=', 'F-1-1')
      .where('organization_id', '=', w.orgId)
      .executeTakeFirstOrThrow();
    const move = async (body: object) => {
      const r = await w.api('POST', `/api/v1/nonconformities/${nc.id}/transitions`, w.lead, body);
      expect(r.statusCode, r.body).toBe(200);
      return r.json();
    };
    await move({ to: 'reaction_recorded', correction: '补充识别内外部议题', consequences: 'none' });
    await move({ to: 'cause_analysed', method: 'five_whys', cause: 'No owner for 4.1', similar: 'none' });
    const wang = await w.t.db
      .selectFrom('app_user')
      .select('id')
      .where('email', '=', 'wang@example.com')
      .executeTakeFirstOrThrow();
    const planned = await move({
      to: 'actions_planned',
      actions: [{ description: 'Name an owner', ownerUserId: wang.id, dueDate: '2030-01-31' }],
    });
    const done = await w.api('PATCH', `/api/v1/actions/${planned.actions[0].id}`, w.lead, { status: 'done' });
    expect(done.statusCode, done.body).toBe(200);
    await move({ to: 'actions_implemented' });
    await move({ to: 'effectiveness_reviewed', effective: true, verification: 'Issues list reviewed in March' });

    const header = (ws: ExcelJS.Worksheet) => (ws.getRow(1).values as unknown[]).slice(1).map(String);
    // ?lang=en wins over a Chinese Accept-Language.
    const en = await loadWorkbook(
      (
        await w.api('GET', `/api/v1/organizations/${w.orgId}/nonconformities.xlsx?lang=en`, {
          ...w.lead,
          'accept-language': 'zh-CN',
        })
      ).rawPayload,
    );
    const sheet = en.getWorksheet('Nonconformities')!;
    expect(header(sheet)).toEqual([
      'Org.',
      'Organisation',
      'Ref.',
      'Audit',
      'Item',
      'Clause',
      'Grade',
      'Status',
      'Nonconformity',
      'Correction',
      'Cause (analysis)',
      'Effectiveness (review)',
      'Owner',
      'Raised',
      'Due',
      'Closed',
      'Days open',
      'Overdue',
      'Actions',
      'Open actions',
    ]);
    const row = sheet.getRow(2);
    expect(row.getCell(3).value).toBe('F-1-1');
    expect(row.getCell(9).value).toBe('未确定议题');
    expect(row.getCell(10).value).toBe('补充识别内外部议题');
    expect(row.getCell(11).value).toBe('No owner for 4.1');
    expect(row.getCell(12).value).toBe('Effective: Issues list reviewed in March');
    expect(row.getCell(14).value).toBeInstanceOf(Date);
    // A nonconformity with no lifecycle step yet leaves the three columns empty.
    expect([10, 11, 12].map((c) => sheet.getRow(3).getCell(c).value ?? '')).toEqual(['', '', '']);

    const zh = await loadWorkbook(
      (
        await w.api('GET', `/api/v1/organizations/${w.orgId}/nonconformities.xlsx?lang=zh`, {
          ...w.lead,
          'accept-language': 'en',
        })
      ).rawPayload,
    );
    const zs = zh.getWorksheet('不符合')!;
    expect(header(zs).slice(2, 12)).toEqual([
      '编号',
      '审核',
      '检查项',
      '条款',
      '等级',
      '状态',
      '不符合事实',
      '纠正',
      '原因分析',
      '有效性评审',
    ]);
    expect(zs.getRow(2).getCell(12).value).toBe('有效: Issues list reviewed in March');
    expect(zh.getWorksheet('纠正措施')).toBeDefined();
  });

  it('answers 404 for an organisation the caller is not a member of', async () => {
    await seedUser(w.t.db, 'outsider@example.com');
    const outsider = { authorization: `Bearer ${await bearerFor(w.t.app, 'outsider@example.com')}` };
    expect((await w.api('GET', `/api/v1/organizations/${w.orgId}/nonconformities.xlsx`, outsider)).statusCode).toBe(
      404,
    );
    const none = await loadWorkbook((await w.api('GET', '/api/v1/nonconformities.xlsx', outsider)).rawPayload);
    expect(none.worksheets[0]!.actualRowCount).toBe(1);
  });
});
