import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProgrammeModel } from '../../reports/programme/model.js';
import { RenderPool } from '../../src/reports/render-pool.js';

const model: ProgrammeModel = {
  organisation: { name: '示例公司 Example Ltd', code: 'EX' },
  programme: null,
  generatedAt: '2026-11-28T00:00:00.000Z',
  publicUrl: 'https://audit.example.com',
  audits: [
    {
      id: 1,
      title: '内部审核 2026',
      type: 'internal',
      status: 'planned',
      revision: 1,
      programme: null,
      plannedStart: '2026-12-01',
      plannedEnd: '2026-12-03',
      actualStart: null,
      actualEnd: null,
      scope: ['4', '5'],
      leadAuditor: 'Li Lei',
      team: [],
      updatedAt: '2026-11-28T00:00:00.000Z',
      sequence: 0,
    },
  ],
};

describe('render thread for PDFs and workbooks', () => {
  let pool: RenderPool;
  afterEach(async () => {
    await pool.close();
  });

  it('builds a document on the thread and hands back its bytes', async () => {
    pool = new RenderPool();
    const bytes = await pool.render({ kind: 'programmeScheduleXlsx', model, lang: 'zh' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    const cells = wb.worksheets.flatMap((ws) => ws.getSheetValues().flat().map(String));
    expect(cells.some((c) => c.includes('内部审核 2026'))).toBe(true);
  });

  it('fails only the request whose document cannot be built; the next one is built', async () => {
    pool = new RenderPool();
    const broken = { ...model, audits: undefined } as unknown as ProgrammeModel;
    await expect(pool.render({ kind: 'programmeScheduleXlsx', model: broken, lang: 'en' })).rejects.toThrow(
      /render thread/,
    );
    expect((await pool.render({ kind: 'programmeScheduleXlsx', model, lang: 'en' })).subarray(0, 2).toString()).toBe(
      'PK',
    );
  });

  it('stops the thread once idle, so its memory goes back, and starts it again on the next document', async () => {
    pool = new RenderPool(50);
    await pool.render({ kind: 'programmeScheduleXlsx', model, lang: 'zh' });
    expect(pool.running).toBe(true);
    await expect.poll(() => pool.running, { timeout: 5000 }).toBe(false);
    expect((await pool.render({ kind: 'programmeScheduleXlsx', model, lang: 'zh' })).subarray(0, 2).toString()).toBe(
      'PK',
    );
  });
});
