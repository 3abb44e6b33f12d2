import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dateIn } from '../../src/domain/time-zone.js';
import { bearerFor, seedUser } from '../helpers.js';
import { loadWorkbook, newAudit, pdfText, raise, type World, world } from './setup.js';

describe('management review input pack (9.3 a–l)', () => {
  let w: World;
  let reviewId: number;
  let ref: string;

  beforeAll(async () => {
    w = await world();
    const audit = await newAudit(w, { title: 'Internal audit 2026', type: 'internal', scope: { clauses: ['4'] } });
    await raise(w, audit, {
      requirementId: '4.1-1',
      kind: 'nonconformity',
      grade: 'minor',
      statement: { requirement: 'r', evidence: 'e', nonconformity: 'n' },
    });
    // Held today in the organisation's calendar (Asia/Shanghai), where the nonconformity was raised: from 16:00 UTC
    // the UTC date is still yesterday there.
    const today = dateIn(new Date(), 'Asia/Shanghai');
    const r = await w.api('POST', `/api/v1/organizations/${w.orgId}/reviews`, w.lead, {
      title: '2026 年度管理评审',
      heldOn: today,
      attendees: 'CEO, SMS owner',
    });
    expect(r.statusCode, r.body).toBe(201);
    reviewId = r.json().id;
    ref = r.json().ref;
    const p = await w.api('PATCH', `/api/v1/reviews/${reviewId}`, w.lead, {
      narratives: { b: '新增数据中心迁移计划 (data centre move planned)', g: 'Objectives met except availability' },
    });
    expect(p.statusCode, p.body).toBe(200);
  });
  afterAll(async () => {
    await w.t.close();
  });

  it('renders the pack as a PDF in both languages with every input a)–l), the figures and the narratives', async () => {
    const r = await w.api('GET', `/api/v1/management-reviews/${reviewId}/inputs.pdf?lang=both`, w.lead);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['content-type']).toBe('application/pdf');
    expect(r.headers['content-disposition']).toContain('-management-review-inputs-both.pdf');
    const text = pdfText(r.rawPayload);
    for (const s of [
      '客户甲 Client Jia Ltd',
      '2026 年度管理评审',
      '管理评审输入资料',
      'Management review input pack',
      '9.3 a)',
      '9.3 c) 1)',
      '9.3 l)',
      '新增数据中心迁移计划',
      'Objectives met except availability',
    ])
      expect(text).toContain(s);
  });

  it('gives the same pack as a workbook', async () => {
    const r = await w.api('GET', `/api/v1/management-reviews/${reviewId}/inputs.xlsx?lang=en`, w.lead);
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-disposition']).toContain(`JIA-${ref}-management-review-inputs-en.xlsx`);
    const wb = await loadWorkbook(r.rawPayload);
    expect(wb.worksheets.map((s) => s.name)).toEqual(['Figures', 'Breakdown', 'Actions', 'Narratives']);
    const narratives = wb.getWorksheet('Narratives')!;
    expect(narratives.actualRowCount).toBe(14 + 1);
    const raised = wb
      .getWorksheet('Figures')!
      .getRows(2, 200)!
      .find((row) => row.getCell(2).value === 'Nonconformities raised');
    expect(raised?.getCell(3).value).toBe(1);
  });

  it('answers 404 to a non-member', async () => {
    await seedUser(w.t.db, 'outsider@example.com');
    const outsider = { authorization: `Bearer ${await bearerFor(w.t.app, 'outsider@example.com')}` };
    expect((await w.api('GET', `/api/v1/management-reviews/${reviewId}/inputs.pdf`, outsider)).statusCode).toBe(404);
  });
});
