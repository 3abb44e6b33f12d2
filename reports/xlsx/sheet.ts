import { createRequire } from 'node:module';
import { deflateRawSync } from 'node:zlib';
import type ExcelJS from 'exceljs';
import { installFilterNames } from './filter-names.js';

// The house style every workbook shares, and the one adapter over exceljs's untyped data-validation API.

export const NAVY = 'FF102A43';
export const SHADE = 'FFEEF1F5';
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * Every font we set names its face and size: a font with only `bold` is written as <font><b/></font>, which
 * LibreOffice and WPS read as their own default (Arial 10, 宋体 9) instead of the workbook's Calibri 11.
 * Chinese text falls back to the system's East-Asian font in every program.
 */
export const FONT_NAME = 'Calibri';
export const FONT_SIZE = 11;
export const font = (extra: Partial<ExcelJS.Font> = {}): Partial<ExcelJS.Font> => ({
  name: FONT_NAME,
  family: 2,
  size: FONT_SIZE,
  ...extra,
});
export const HEADER_FONT = font({ bold: true, color: { argb: NAVY } });
/** Totals and the labels of the facts under a table. */
export const BOLD_FONT = font({ bold: true });
/** Points per line of 11-point text (Excel's default row height), and the tallest row Excel allows. */
const LINE_PT = 15;
const MAX_ROW_PT = 409;
/** The smallest printed text: fit-to-width may shrink 11-point text by 8/11 at most. */
export const MIN_PRINT_PT = 8;

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

/**
 * Width of a line when it wraps: Calibri's letters average about 0.9 of its digit width (the unit of column widths);
 * textWidth's whole units, meant for fitting columns, would wrap long Latin lines one line early.
 */
const wrapWidth = (s: string): number => {
  const wide = textWidth(s) - [...s].length; // each CJK character counts 2 in textWidth: this is their number
  return wide * 2 + ([...s].length - wide) * 0.9;
};

/** Lines of one paragraph wrapped at word boundaries (each CJK character may start a line), as programs wrap. */
function wrappedLines(text: string, usable: number): number {
  const tokens =
    text.match(
      /\s+|[\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\uff00-\uffef]|[^\s\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\uff00-\uffef]+/g,
    ) ?? [];
  let lines = 1;
  let x = 0;
  for (const t of tokens) {
    const w = wrapWidth(t);
    if (/^\s/.test(t)) {
      x += w; // a space at the end of a line takes no room on the next
      continue;
    }
    if (x > 0 && x + w > usable) {
      lines++;
      x = 0;
    }
    if (w > usable) {
      lines += Math.ceil(w / usable) - 1; // a word longer than the column breaks inside
      x = w - (Math.ceil(w / usable) - 1) * usable;
    } else x += w;
  }
  return lines;
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
  styleHeader(ws.getRow(1));
}

/** The header row's look: bold navy Calibri on a light shade, wrapped, a rule underneath. */
export function styleHeader(head: ExcelJS.Row) {
  head.font = HEADER_FONT;
  head.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: SHADE } };
  head.alignment = { vertical: 'middle', wrapText: true };
  head.border = { bottom: { style: 'thin', color: { argb: NAVY } } };
}

/** Autofilter over the header and every data row (with the defined name other programs need, filter-names.ts). */
export function filterAll(ws: ExcelJS.Worksheet, columns: number, lastRow: number) {
  installFilterNames();
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: Math.max(lastRow, 1), column: columns } };
}

/** How many lines a value takes in a column `width` characters wide (wrapped text; an explicit break starts one). */
export function linesIn(value: unknown, width: number, wrap: boolean): number {
  if (value === null || value === undefined || value instanceof Date || typeof value === 'number') return 1;
  const text =
    typeof value === 'object' && 'richText' in value
      ? (value as ExcelJS.CellRichTextValue).richText.map((r) => r.text).join('')
      : String(value);
  const lines = text.split('\n');
  if (!wrap) return 1;
  const usable = Math.max(width - 1, 1);
  return lines.reduce((n, line) => n + wrappedLines(line, usable), 0);
}

/** Points for a row of that many lines (undefined: one line, the program's own height). */
export const rowPoints = (lines: number): number | undefined =>
  lines > 1 ? Math.min(MAX_ROW_PT, lines * LINE_PT + 2) : undefined;

/**
 * Row heights for wrapped text: no program but Excel re-measures rows on opening, and Excel itself only when it
 * has to, so a row of wrapped notes shows its first line unless the file says how tall it is.
 */
export function fitRowHeights(ws: ExcelJS.Worksheet, fromRow = 1) {
  const widths = Array.from({ length: ws.columnCount + 1 }, (_, c) =>
    c === 0 || ws.getColumn(c).hidden ? 0 : (ws.getColumn(c).width ?? 9),
  );
  ws.eachRow({ includeEmpty: false }, (row, n) => {
    if (n < fromRow || row.height) return; // a height the builder set (e.g. for cells merged across columns) stays
    let lines = 1;
    row.eachCell({ includeEmpty: false }, (cell, c) => {
      const w = widths[c] ?? 9;
      if (w === 0) return; // a hidden column
      lines = Math.max(lines, linesIn(cell.value, w, cell.alignment?.wrapText ?? false));
    });
    const pt = rowPoints(lines);
    if (pt) row.height = pt;
  });
}

/** Screen pixels of a column `w` characters wide in Calibri 11 (Excel: 7 px a character and 5 px of padding). */
const pixels = (w: number) => w * 7 + 5;
/** What an A4 page holds between 0.4-inch margins, in pixels at 96 dpi. */
const PAGE_PX = { portrait: ((210 / 25.4 - 0.8) * 96) | 0, landscape: ((297 / 25.4 - 0.8) * 96) | 0 };

/**
 * Fit-to-width never shrinks text below 8 points: when the visible columns are wider than a landscape page holds
 * at 8/11 scale, the wrapped columns give up width (down to 12 characters; their rows grow instead). Returns the
 * orientation the columns need: portrait when they fit a portrait page at full size.
 */
export function fitColumnsToPage(ws: ExcelJS.Worksheet): 'portrait' | 'landscape' {
  const cols = Array.from({ length: ws.columnCount }, (_, i) => ws.getColumn(i + 1)).filter((c) => !c.hidden);
  const total = () => cols.reduce((n, c) => n + pixels(c.width ?? 9), 0);
  const budget = Math.floor(PAGE_PX.landscape * (FONT_SIZE / MIN_PRINT_PT) * 0.97);
  const wrapped = cols.filter((c) => c.alignment?.wrapText && (c.width ?? 9) > 12);
  const excess = total() - budget;
  if (excess > 0 && wrapped.length) {
    const spare = wrapped.reduce((n, c) => n + (c.width! - 12), 0);
    const cut = Math.min(1, excess / 7 / spare);
    for (const c of wrapped) c.width = Math.floor((c.width! - (c.width! - 12) * cut) * 10) / 10;
  }
  return total() > PAGE_PX.portrait ? 'landscape' : 'portrait';
}

/** A4 fitted to one page wide (text stays at 8 pt or more), landscape where wide, the header row on every page. */
export function printSetup(ws: ExcelJS.Worksheet, titleRows = '1:1') {
  const orientation = fitColumnsToPage(ws);
  ws.pageSetup = {
    ...ws.pageSetup,
    paperSize: 9,
    orientation,
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    printTitlesRow: titleRows,
    margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.5, header: 0.3, footer: 0.3 },
  };
  ws.headerFooter = { ...ws.headerFooter, oddFooter: '&L&A&R&P / &N' };
}

/** The last step of every table sheet: column widths for the page, then row heights for the wrapped text. */
export function finishSheet(ws: ExcelJS.Worksheet, titleRows = '1:1') {
  printSetup(ws, titleRows);
  fitRowHeights(ws);
}

/** A calendar date (YYYY-MM-DD, or the date part of a timestamp) as a date cell; null when there is none. */
export const dateCell = (d: string | null | undefined): Date | null =>
  d && /^\d{4}-\d{2}-\d{2}/.test(d) ? new Date(`${d.slice(0, 10)}T00:00:00Z`) : null;
export const DATE_FORMAT = 'yyyy-mm-dd';

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

/**
 * exceljs gives every cell its own copy of its row's and column's style, and on writing turns each style object it
 * has not seen before into XML to find it among the workbook's styles: for a 212-row register, thousands of equal
 * objects rendered one by one (a quarter of writing it). Equal styles of cells of one value type now share one object,
 * which exceljs remembers by identity: the same styles and style ids are written, at a fraction of the cost. Done last,
 * when no cell's style changes any more (a shared object must not be changed through one cell).
 */
function shareStyles(wb: ExcelJS.Workbook) {
  const shared = new Map<string, Partial<ExcelJS.Style>>();
  wb.eachSheet((ws) => {
    ws.eachRow({ includeEmpty: true }, (row) => {
      row.eachCell({ includeEmpty: true }, (cell) => {
        const key = `${cell.effectiveType}${JSON.stringify(cell.style)}`;
        const same = shared.get(key);
        if (same) cell.style = same;
        else shared.set(key, cell.style);
      });
    });
  });
}

/** JSZip's stream worker (the part of it this adapter touches). */
interface ZipWorker {
  push(chunk: { data: Uint8Array; meta: unknown }): void;
  processChunk(chunk: { data: unknown; meta: unknown }): void;
  flush(): void;
}
type ZipWorkerClass = new (name: string) => ZipWorker;
let nativeDeflate = false;

/**
 * exceljs zips a workbook with JSZip, which deflates in JavaScript (pako): a fifth of writing a register. Each part is
 * deflated by Node's zlib instead, at the same level, when JSZip has collected it (parts are a few hundred KB at most).
 * The zip and the parts in it are as before; only the compressed bytes may differ, as between any two deflaters.
 */
function useNativeDeflate() {
  if (nativeDeflate) return;
  const fromExcelJs = createRequire(createRequire(import.meta.url).resolve('exceljs'));
  const GenericWorker = fromExcelJs('jszip/lib/stream/GenericWorker.js') as ZipWorkerClass;
  const utils = fromExcelJs('jszip/lib/utils.js') as { transformTo(type: string, data: unknown): Uint8Array };
  const compressions = fromExcelJs('jszip/lib/compressions.js') as {
    DEFLATE: { compressWorker(options: { level?: number } | null): ZipWorker };
  };
  class NativeDeflate extends GenericWorker {
    #parts: Uint8Array[] = [];
    #meta: unknown = {};
    constructor(private readonly level: number) {
      super('NativeDeflate');
    }
    processChunk(chunk: { data: unknown; meta: unknown }) {
      this.#meta = chunk.meta;
      this.#parts.push(utils.transformTo('uint8array', chunk.data));
    }
    flush() {
      super.flush();
      const data = deflateRawSync(Buffer.concat(this.#parts), { level: this.level });
      this.#parts = [];
      this.push({ data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), meta: this.#meta });
    }
  }
  compressions.DEFLATE.compressWorker = (options) => new NativeDeflate(options?.level ?? -1);
  nativeDeflate = true;
}

/** The workbook as bytes. */
export async function workbookBuffer(wb: ExcelJS.Workbook): Promise<Buffer> {
  useNativeDeflate();
  shareStyles(wb);
  return Buffer.from((await wb.xlsx.writeBuffer()) as ArrayBuffer);
}
