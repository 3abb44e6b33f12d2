import type ExcelJS from 'exceljs';
import { type Cell, type MetaKey, metaRow } from '../xlsx/meta-sheet.js';
import { cellValue, openUploaded } from '../xlsx/uploaded.js';
import { COL } from './layout.js';

// Reads an uploaded questionnaire back into plain rows: no judgement here, only what the cells hold
// (src/reports/questionnaire.ts validates them against the audit).

export type { Cell };
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

/** A formula whose result was never calculated and saved: there is no value to import. */
const bareFormula = (v: ExcelJS.CellValue) =>
  typeof v === 'object' &&
  v !== null &&
  ('formula' in v || 'sharedFormula' in v) &&
  (v as { result?: unknown }).result === undefined;

const COLUMN_LETTER = (i: number) => String.fromCharCode(64 + i);

export async function readQuestionnaire(buf: Buffer): Promise<RawQuestionnaire> {
  const { meta, ws } = await openUploaded(buf, (why) => new NotAQuestionnaire(why));
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
