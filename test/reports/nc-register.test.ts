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
    expect(nc.autoFilter).toBe('A1:Q4102');
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
