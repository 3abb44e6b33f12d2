import type ExcelJS from 'exceljs';

// The house style every workbook shares, and the one adapter over exceljs's untyped data-validation API.

export const NAVY = 'FF102A43';
export const SHADE = 'FFEEF1F5';
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export interface Column {
  header: string;
  key: string;
  min?: number;
  max?: number;
  wrap?: boolean;
}

/** Display width of a string in Excel character units: CJK and full-width characters count twice. */
export function textWidth(s: string): number {
  let w = 0;
  for (const ch of s)
    w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch)
      ? 2
      : 1;
  return w;
}

/** Widest line of each column's values (and header), clipped to the column's bounds; long text wraps instead. */
export function fitWidths(columns: readonly Column[], rows: readonly Record<string, unknown>[]): number[] {
  return columns.map((c) => {
    let w = Math.max(...c.header.split('\n').map(textWidth));
    for (const r of rows) {
      const v = r[c.key];
      if (v === null || v === undefined) continue;
      for (const line of String(v).split('\n')) w = Math.max(w, textWidth(line));
      if (w >= (c.max ?? 60)) break;
    }
    return Math.min(Math.max(w + 2, c.min ?? 6), c.max ?? 60);
  });
}

/** Columns with fitted widths, a bold shaded header row frozen at the top, wrapped text. */
export function setColumns(
  ws: ExcelJS.Worksheet,
  columns: readonly Column[],
  rows: readonly Record<string, unknown>[],
) {
  const widths = fitWidths(columns, rows);
  ws.columns = columns.map((c, i) => ({
    header: c.header,
    key: c.key,
    width: widths[i],
    style: { alignment: { vertical: 'top', wrapText: c.wrap ?? true } },
  }));
  const head = ws.getRow(1);
  head.font = { bold: true, color: { argb: NAVY } };
  head.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: SHADE } };
  head.alignment = { vertical: 'middle', wrapText: true };
  head.border = { bottom: { style: 'thin', color: { argb: NAVY } } };
}

/** Autofilter over the header and every data row. */
export function filterAll(ws: ExcelJS.Worksheet, columns: number, lastRow: number) {
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: Math.max(lastRow, 1), column: columns } };
}

/** Landscape A4, fitted to one page wide, the header row printed on every page. */
export function printLandscape(ws: ExcelJS.Worksheet, titleRows = '1:1') {
  ws.pageSetup = {
    ...ws.pageSetup,
    paperSize: 9,
    orientation: 'landscape',
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    printTitlesRow: titleRows,
    margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.5, header: 0.3, footer: 0.3 },
  };
  ws.headerFooter = { ...ws.headerFooter, oddFooter: '&L&A&R&P / &N' };
}

export const columnLetter = (n: number): string =>
  n <= 26
    ? String.fromCharCode(64 + n)
    : columnLetter(Math.floor((n - 1) / 26)) + String.fromCharCode(65 + ((n - 1) % 26));

interface RangeValidations {
  add(range: string, validation: ExcelJS.DataValidation): void;
}

/**
 * ONE data validation for a whole column range (exceljs issue #2820: cell-by-cell validations get overlapping sqrefs).
 * `dataValidations.add` exists in exceljs 4.4 but not in its typings; this is the only place that reaches for it.
 */
export function validateRange(ws: ExcelJS.Worksheet, range: string, validation: ExcelJS.DataValidation) {
  (ws as unknown as { dataValidations: RangeValidations }).dataValidations.add(range, validation);
}

/** A dropdown: the list is written inline, so labels must not contain commas (and stay under Excel's 255 characters). */
export function dropdown(ws: ExcelJS.Worksheet, range: string, values: readonly string[], error: string) {
  const list = values.map((v) => v.replace(/[,"]/g, ' ')).join(',');
  validateRange(ws, range, {
    type: 'list',
    allowBlank: true,
    formulae: [`"${list}"`],
    showErrorMessage: true,
    errorStyle: 'stop',
    error,
  });
}

/** Light fills for whole rows by the value of one column (differential styles take bgColor). */
export function fillRowsBy(
  ws: ExcelJS.Worksheet,
  range: string,
  keyColumn: string,
  fills: readonly { value: string; argb: string }[],
) {
  const first = /\d+/.exec(range.split(':')[0]!)![0];
  ws.addConditionalFormatting({
    ref: range,
    rules: fills.map((f, i) => ({
      type: 'expression',
      priority: i + 1,
      formulae: [`$${keyColumn}${first}="${f.value.replace(/"/g, '""')}"`],
      style: { fill: { type: 'pattern', pattern: 'solid', bgColor: { argb: f.argb } } },
    })),
  });
}

/** The workbook as bytes. */
export async function workbookBuffer(wb: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from((await wb.xlsx.writeBuffer()) as ArrayBuffer);
}
