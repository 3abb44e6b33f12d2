import ExcelJS from 'exceljs';
import { type Cell, META_KEYS, META_SHEET, type MetaKey, metaRow } from './meta-sheet.js';

// Reading back the workbooks this tool hands out (the questionnaire, the evidence request list): open the file, read
// its meta sheet (meta-sheet.ts), find its data sheet, and take cells as plain values. Render thread only (exceljs).

/** A cell's value as text or number: rich text, hyperlinks and formulas give their text or result; dates their day. */
export function cellValue(v: ExcelJS.CellValue): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number') return v;
  if (typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((r) => r.text).join('');
    if ('result' in v) return cellValue(v.result as ExcelJS.CellValue);
    if ('text' in v) return typeof v.text === 'string' ? v.text : cellValue(v.text as ExcelJS.CellValue);
    if ('error' in v) return String(v.error);
  }
  return String(v);
}

/**
 * Opens an uploaded workbook and finds its meta values and its data sheet (the one the meta sheet names, else the
 * first other sheet); `notOurs(why)` is the error to throw when the file is not such a workbook.
 */
export async function openUploaded(
  buf: Buffer,
  notOurs: (why: string) => Error,
): Promise<{ meta: Partial<Record<MetaKey, Cell>>; ws: ExcelJS.Worksheet }> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
  } catch {
    throw notOurs('not an xlsx workbook');
  }
  const metaWs = wb.getWorksheet(META_SHEET);
  if (!metaWs) throw notOurs('no meta sheet');
  const meta: Partial<Record<MetaKey, Cell>> = {};
  for (const k of META_KEYS) meta[k] = cellValue(metaWs.getCell(metaRow(k), 2).value);
  const name = typeof meta.sheet === 'string' ? meta.sheet : '';
  const ws = wb.getWorksheet(name) ?? wb.worksheets.find((w) => w.name !== META_SHEET);
  if (!ws) throw notOurs('no data sheet');
  return { meta, ws };
}
