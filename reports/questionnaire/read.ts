import ExcelJS from 'exceljs';
import { COL, META_KEYS, META_SHEET, type MetaKey, metaRow } from './layout.js';

// Reads an uploaded questionnaire back into plain rows: no judgement here, only what the cells hold
// (src/reports/questionnaire.ts validates them against the audit).

export type Cell = string | number | null;
export interface RawRow {
  row: number;
  id: Cell;
  clause: Cell;
  text: Cell;
  verdict: Cell;
  level: Cell;
  notes: Cell;
  audit: Cell;
  version: Cell;
  digest: Cell;
}
export interface RawQuestionnaire {
  sheet: string;
  meta: Partial<Record<MetaKey, Cell>>;
  metaRow: (k: MetaKey) => number;
  rows: RawRow[];
  /** Cells holding a formula with no saved result (a file written by a program that does not calculate). */
  formulas: { row: number; cell: string }[];
}
export class NotAQuestionnaire extends Error {}

/** A cell's value as text or number: rich text and formulas give their text or result; dates their ISO day. */
function cellValue(v: ExcelJS.CellValue): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number') return v;
  if (typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((r) => r.text).join('');
    if ('result' in v) return cellValue(v.result as ExcelJS.CellValue);
    if ('text' in v) return String(v.text);
    if ('error' in v) return String(v.error);
  }
  return String(v);
}

/** A formula whose result was never calculated and saved: there is no value to import. */
const bareFormula = (v: ExcelJS.CellValue) =>
  typeof v === 'object' &&
  v !== null &&
  ('formula' in v || 'sharedFormula' in v) &&
  (v as { result?: unknown }).result === undefined;

const COLUMN_LETTER = (i: number) => String.fromCharCode(64 + i);

export async function readQuestionnaire(buf: Buffer): Promise<RawQuestionnaire> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
  } catch {
    throw new NotAQuestionnaire('not an xlsx workbook');
  }
  const metaWs = wb.getWorksheet(META_SHEET);
  if (!metaWs) throw new NotAQuestionnaire('no meta sheet');
  const meta: RawQuestionnaire['meta'] = {};
  for (const k of META_KEYS) meta[k] = cellValue(metaWs.getCell(metaRow(k), 2).value);
  const name = typeof meta.sheet === 'string' ? meta.sheet : '';
  const ws = wb.getWorksheet(name) ?? wb.worksheets.find((w) => w.name !== META_SHEET);
  if (!ws) throw new NotAQuestionnaire('no questionnaire sheet');
  const rows: RawRow[] = [];
  const formulas: RawQuestionnaire['formulas'] = [];
  ws.eachRow({ includeEmpty: false }, (r, n) => {
    if (n === 1) return;
    const c = (i: number) => {
      const v = r.getCell(i).value;
      if (!bareFormula(v)) return cellValue(v);
      formulas.push({ row: n, cell: `${COLUMN_LETTER(i)}${n}` });
      return null;
    };
    rows.push({
      row: n,
      id: c(COL.id),
      clause: c(COL.clause),
      text: c(COL.text),
      verdict: c(COL.verdict),
      level: c(COL.level),
      notes: c(COL.notes),
      audit: c(COL.audit),
      version: c(COL.version),
      digest: c(COL.digest),
    });
  });
  return { sheet: ws.name, meta, metaRow, rows, formulas };
}
