import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { type ActionRegisterRow, type NcRegisterRow, writeNcRegister } from '../../reports/nc-register.js';
import { reportTexts } from '../../src/reports/texts.js';

// The register's data rows are written as sheet XML directly (not through exceljs's row objects): what a reader of
// the file gets back, cell by cell — text with XML's special characters, line breaks, empty cells, dates, numbers,
// the row heights that wrapped text needs and each column's style.

const nc = (over: Partial<NcRegisterRow>): NcRegisterRow => ({
  orgCode: 'JIA',
  orgName: 'Jia Ltd',
  ref: 'F-1-1',
  audit: 'Audit 2026',
  item: '4.1-1',
  clause: '4.1',
  grade: 'major',
  status: 'open',
  nonconformity: 'Issues not determined',
  correction: '',
  cause: '',
  effective: null,
  verification: '',
  owner: '',
  raisedOn: '2026-03-02',
  dueDate: null,
  closedOn: null,
  daysOpen: 0,
  overdue: false,
  actions: 0,
  openActions: 0,
  ...over,
});
async function* pages<T>(...p: T[][]) {
  yield* p;
}

async function written(ncs: NcRegisterRow[][], actions: ActionRegisterRow[][]) {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise((resolve) => out.on('end', resolve));
  const count = await writeNcRegister(
    out,
    {
      title: 'Register',
      generatedAt: '2026-05-01T08:00:00Z',
      nonconformities: pages(...ncs),
      actions: pages(...actions),
    },
    reportTexts,
    'en',
  );
  await ended;
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
  return { count, wb };
}

describe('NC register rows as a reader gets them back', () => {
  it('keeps text, line breaks, empty cells, dates and numbers; drops characters XML cannot hold', async () => {
    const { count, wb } = await written(
      [
        [
          nc({
            orgCode: 'C&1',
            orgName: `<Acme> "Ltd" & Sons'`,
            nonconformity: 'Line one\nline two\u0001 end',
            cause: '原因'.repeat(30),
            effective: false,
            verification: 'still open',
            owner: '王伟',
            closedOn: '2026-04-30',
            daysOpen: 59,
            overdue: true,
            actions: 2,
            openActions: 1,
          }),
        ],
        [nc({ ref: 'F-1-2', grade: null, nonconformity: 'No owner', dueDate: '2026-12-31' })],
      ],
      [
        [
          {
            orgCode: 'JIA',
            ref: 'CA-1',
            ncRef: 'F-1-1',
            description: 'Name an owner',
            owner: '',
            dueDate: '2026-06-30',
            status: 'planned',
            completedOn: null,
            overdue: false,
          },
        ],
      ],
    );
    expect(count).toBe(2);
    const s = wb.getWorksheet('Nonconformities')!;
    expect(s.autoFilter).toBe('A1:T3');
    // An empty cell reads back as nothing (undefined): shown here as ''.
    const cells = (ws: ExcelJS.Worksheet, n: number, columns: number) =>
      Array.from({ length: columns }, (_, i) => ws.getRow(n).getCell(i + 1).value ?? '');
    const values = (n: number) => cells(s, n, 20);
    expect(values(2)).toEqual([
      'C&1',
      `<Acme> "Ltd" & Sons'`,
      'F-1-1',
      'Audit 2026',
      '4.1-1',
      '4.1',
      'Major',
      'Open',
      'Line one\nline two end',
      '',
      '原因'.repeat(30),
      'Not effective: still open',
      '王伟',
      new Date('2026-03-02T00:00:00Z'),
      '',
      new Date('2026-04-30T00:00:00Z'),
      59,
      'Yes',
      2,
      1,
    ]);
    expect(values(3).slice(5, 8)).toEqual(['4.1', '', 'Open']);
    expect(values(3)[14]).toEqual(new Date('2026-12-31T00:00:00Z'));
    // 60 Chinese characters in the 13-wide cause column: 6 a line (each counts 2 of its 12 usable), 10 lines of 15
    // points plus 2; a row of one-line values keeps the default height.
    expect(s.getRow(2).height).toBe(152);
    expect(s.getRow(3).height).toBeUndefined();
    // Dates carry the date format; long texts wrap; every cell sits at the top; an empty date cell keeps its style.
    expect(s.getCell('N2').numFmt).toBe('yyyy-mm-dd');
    expect(s.getCell('O2').numFmt).toBe('yyyy-mm-dd');
    expect(s.getCell('I2').alignment).toEqual({ vertical: 'top', wrapText: true });
    expect(s.getCell('A2').alignment).toEqual({ vertical: 'top' });
    expect(s.getCell('Q2').alignment).toEqual({ vertical: 'top' });
    const a = wb.getWorksheet('Corrective actions')!;
    expect(cells(a, 2, 9)).toEqual([
      'JIA',
      'CA-1',
      'F-1-1',
      'Name an owner',
      '',
      new Date('2026-06-30T00:00:00Z'),
      'Planned',
      '',
      '',
    ]);
    expect(a.autoFilter).toBe('A1:I2');
  });

  it('writes an empty register as its two header rows', async () => {
    const { count, wb } = await written([], []);
    expect(count).toBe(0);
    expect(wb.worksheets.map((w) => w.actualRowCount)).toEqual([1, 1]);
  });
});
