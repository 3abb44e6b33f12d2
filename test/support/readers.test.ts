// The readers the document tests rely on, checked against documents whose layout the test itself dictates.
import ExcelJS from 'exceljs';
import type { TDocumentDefinitions } from 'pdfmake/interfaces.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPORT_FONT, renderPdf } from '../../reports/pdf/render.js';
import { type PdfPage, pdfLayout, pdfText } from './pdf.js';
import { zipPart, zipParts } from './zip.js';

const A4 = { width: 595.28, height: 841.89 }; // points
const MARGIN = { left: 50, top: 70 };

const doc: TDocumentDefinitions = {
  pageSize: 'A4',
  pageMargins: [MARGIN.left, MARGIN.top, 50, 60],
  defaultStyle: { font: REPORT_FONT, fontSize: 10 },
  watermark: { text: '草稿 DRAFT', angle: -45, opacity: 0.2 },
  content: [
    { text: '审核报告 Audit report', fontSize: 20, bold: true },
    { text: ['受审核组织：', { text: 'Client Jia', bold: true }], margin: [0, 30, 0, 0] },
    { columns: [{ text: 'left column', width: 200 }, { text: 'right column' }], margin: [0, 10, 0, 0] },
    { text: '第二页 Page two', pageBreak: 'before' },
  ],
};

describe('pdf reader (pdf.js)', () => {
  let pdf: Buffer;
  let pages: PdfPage[];
  beforeAll(async () => {
    pdf = await renderPdf(doc);
    pages = pdfLayout(pdf);
  });

  it('gives every page with its size in points', () => {
    expect(pages.map((p) => p.page)).toEqual([1, 2]);
    for (const p of pages) {
      expect(p.width).toBeCloseTo(A4.width, 1);
      expect(p.height).toBeCloseTo(A4.height, 1);
    }
  });

  it('places the first line at the page margins, from the top left, with its font and size', () => {
    const [heading, label, columns] = pages[0]!.lines;
    expect(heading).toMatchObject({ page: 1, text: '审核报告 Audit report', fontSize: 20 });
    expect(heading!.x).toBeCloseTo(MARGIN.left, 0);
    // The em box starts at or just below the margin (the font's ascent is above the em box).
    expect(heading!.y).toBeGreaterThanOrEqual(MARGIN.top);
    expect(heading!.y).toBeLessThan(MARGIN.top + 20 / 2);
    expect(heading!.runs.map((r) => r.font)).toEqual(['NotoSansSC-Bold']);
    // 30 pt of margin below a 20 pt line: the next line starts more than 50 pt lower.
    expect(label!.y - heading!.y).toBeGreaterThan(50);
    expect(label!.fontSize).toBe(10);
    expect(label!.runs.map((r) => [r.text, r.font])).toEqual([
      ['受审核组织：', 'NotoSansSC-Regular'],
      ['Client Jia', 'NotoSansSC-Bold'],
    ]);
    // Two columns side by side are one line; the right one starts 200 pt further right.
    expect(columns!.text).toBe('left column right column');
    const [left, right] = columns!.runs;
    expect(right!.x - left!.x).toBeCloseTo(200, 0);
    expect(left!.width).toBeGreaterThan(0);
    expect(left!.x + left!.width).toBeLessThan(right!.x);
  });

  it('keeps a rotated watermark out of the lines of text, as a line of its own at the end', () => {
    for (const p of pages) {
      const last = p.lines.at(-1)!;
      expect(last.text).toBe('草稿 DRAFT');
      expect(last.runs[0]!.angle).not.toBe(0);
      expect(p.lines.slice(0, -1).every((l) => l.runs.every((r) => r.angle === 0))).toBe(true);
    }
  });

  it('reads the text line by line, top to bottom, each page ending with a form feed', () => {
    const text = pdfText(pdf);
    expect(text.split('\f')).toHaveLength(3);
    const [one, two] = text.split('\f');
    expect(one!.trim().split('\n')).toEqual([
      '审核报告 Audit report',
      '受审核组织：Client Jia',
      'left column right column',
      '草稿 DRAFT',
    ]);
    expect(two!.trim().split('\n')).toEqual(['第二页 Page two', '草稿 DRAFT']);
  });

  it('says what is wrong with a file that is not a PDF', () => {
    expect(() => pdfText(Buffer.from('not a pdf'))).toThrow(/pdf\.js could not read the PDF: .*Invalid PDF/i);
  });
});

describe('zip reader (fflate)', () => {
  it('reads one part of an .xlsx, and names the parts there are when asked for a missing one', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('差距登记 Gap register').getCell('A1').value = '4.1-1';
    const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
    expect(zipParts(xlsx)).toEqual(expect.arrayContaining(['xl/workbook.xml', 'xl/worksheets/sheet1.xml']));
    expect(zipPart(xlsx, 'xl/workbook.xml')).toContain('name="差距登记 Gap register"');
    expect(() => zipPart(xlsx, 'xl/nothing.xml')).toThrow(/no part xl\/nothing\.xml .*xl\/workbook\.xml/);
  });
});
