import ExcelJS from 'exceljs';
import { COL, META_KEYS, META_SHEET, type MetaKey, metaRow } from './layout.js';

// Reads an uploaded request list back into plain rows: no judgement here, only what the cells hold
// (src/requests/excel.ts checks them against the audit).

export type Cell = string | number | null;
export interface RawRequestRow {
  row: number;
  ref: Cell;
  requirementIds: Cell;
  need: Cell;
  addressee: Cell;
  dueDate: Cell;
}
export interface RawRequestList {
  sheet: string;
  meta: Partial<Record<MetaKey, Cell>>;
  rows: RawRequestRow[];
}
export class NotARequestList extends Error {}

/** A cell's value as text or number: rich text, hyperlinks and formulas give their text or result; dates their day. */
function cellValue(v: ExcelJS.CellValue): Cell {
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

/** A date typed into a cell formatted as text may come back as Excel's day number: give its calendar day. */
function day(v: Cell): Cell {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 1 || v > 2958465) return v;
  return new Date(Date.UTC(1899, 11, 30) + Math.floor(v) * 86_400_000).toISOString().slice(0, 10);
}

export async function readRequestList(buf: Buffer): Promise<RawRequestList> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
  } catch {
    throw new NotARequestList('not an xlsx workbook');
  }
  const metaWs = wb.getWorksheet(META_SHEET);
  if (!metaWs) throw new NotARequestList('no meta sheet');
  const meta: RawRequestList['meta'] = {};
  for (const k of META_KEYS) meta[k] = cellValue(metaWs.getCell(metaRow(k), 2).value);
  const name = typeof meta.sheet === 'string' ? meta.sheet : '';
  const ws = wb.getWorksheet(name) ?? wb.worksheets.find((w) => w.name !== META_SHEET);
  if (!ws) throw new NotARequestList('no request sheet');
  const rows: RawRequestRow[] = [];
  ws.eachRow({ includeEmpty: false }, (r, n) => {
    if (n === 1) return;
    const c = (i: number) => cellValue(r.getCell(i).value);
    rows.push({
      row: n,
      ref: c(COL.ref),
      requirementIds: c(COL.requirementIds),
      need: c(COL.need),
      addressee: c(COL.addressee),
      dueDate: day(c(COL.dueDate)),
    });
  });
  return { sheet: ws.name, meta, rows };
}
