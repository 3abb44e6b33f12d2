import type { Cell, MetaKey } from '../xlsx/meta-sheet.js';
import { cellValue, openUploaded } from '../xlsx/uploaded.js';
import { COL } from './layout.js';

// Reads an uploaded request list back into plain rows: no judgement here, only what the cells hold
// (src/requests/excel.ts checks them against the audit).

export type { Cell };
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

/** A date typed into a cell formatted as text may come back as Excel's day number: give its calendar day. */
function day(v: Cell): Cell {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 1 || v > 2958465) return v;
  return new Date(Date.UTC(1899, 11, 30) + Math.floor(v) * 86_400_000).toISOString().slice(0, 10);
}

export async function readRequestList(buf: Buffer): Promise<RawRequestList> {
  const { meta, ws } = await openUploaded(buf, (why) => new NotARequestList(why));
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
