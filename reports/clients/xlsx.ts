import ExcelJS from 'exceljs';
import { type Column, filterAll, finishSheet, setColumns } from '../xlsx/sheet.js';

// The consultant's table as a workbook (issue 18): one row per client organisation, the same columns and order as
// the page. The labels and cell texts come already worded in the reader's language; numbers stay numbers. Pure.

export interface ClientsWorkbookModel {
  generatedAt: string;
  sheet: string;
  headers: {
    code: string;
    name: string;
    readiness: string;
    readinessCoverage: string;
    readinessAudit: string;
    programmeCoverage: string;
    majors: string;
    minors: string;
    overdue: string;
    lastAudit: string;
    sinceAudit: string;
    lastReview: string;
    sinceReview: string;
    nextAudit: string;
    certification: string;
  };
  rows: {
    code: string;
    name: string;
    /** Percentages as fractions (0.725 shows as 72.5 %); null when there is nothing to show. */
    readiness: number | null;
    readinessCoverage: number | null;
    readinessAudit: string;
    programmeCoverage: number | null;
    majors: number;
    minors: number;
    overdue: number;
    lastAudit: string | null;
    sinceAudit: number | null;
    lastReview: string | null;
    sinceReview: number | null;
    nextAudit: string;
    certification: string;
  }[];
}

export function clientsWorkbook(m: ClientsWorkbookModel): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'ISO/IEC 20000-1 audit workbench';
  wb.created = wb.modified = new Date(m.generatedAt);
  const ws = wb.addWorksheet(m.sheet.slice(0, 31), { views: [{ state: 'frozen', xSplit: 2, ySplit: 1 }] });
  const h = m.headers;
  const columns: Column[] = [
    { header: h.code, key: 'code', min: 8, max: 14, wrap: false },
    { header: h.name, key: 'name', min: 16, max: 36 },
    { header: h.readiness, key: 'readiness', min: 9, max: 12 },
    { header: h.readinessCoverage, key: 'readinessCoverage', min: 9, max: 12 },
    { header: h.readinessAudit, key: 'readinessAudit', min: 16, max: 36 },
    { header: h.programmeCoverage, key: 'programmeCoverage', min: 10, max: 14 },
    { header: h.majors, key: 'majors', min: 8, max: 12 },
    { header: h.minors, key: 'minors', min: 8, max: 12 },
    { header: h.overdue, key: 'overdue', min: 8, max: 12 },
    { header: h.lastAudit, key: 'lastAudit', min: 11, max: 12 },
    { header: h.sinceAudit, key: 'sinceAudit', min: 8, max: 12 },
    { header: h.lastReview, key: 'lastReview', min: 11, max: 12 },
    { header: h.sinceReview, key: 'sinceReview', min: 8, max: 12 },
    { header: h.nextAudit, key: 'nextAudit', min: 16, max: 36 },
    { header: h.certification, key: 'certification', min: 16, max: 40 },
  ];
  const day = (x: string | null) => (x ? new Date(`${x}T00:00:00Z`) : null);
  const rows = m.rows.map((r) => ({ ...r, lastAudit: day(r.lastAudit), lastReview: day(r.lastReview) }));
  setColumns(ws, columns, m.rows);
  for (const r of rows) ws.addRow(r);
  for (const k of ['readiness', 'readinessCoverage', 'programmeCoverage']) ws.getColumn(k).numFmt = '0.0%';
  for (const k of ['lastAudit', 'lastReview']) ws.getColumn(k).numFmt = 'yyyy-mm-dd';
  filterAll(ws, columns.length, rows.length + 1);
  finishSheet(ws);
  return wb;
}
