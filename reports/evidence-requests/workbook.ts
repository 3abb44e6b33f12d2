import ExcelJS from 'exceljs';
import {
  type Column,
  DATE_FORMAT,
  dateCell,
  filterAll,
  finishSheet,
  fitRowHeights,
  font,
  NAVY,
  setColumns,
} from '../xlsx/sheet.js';
import {
  COL,
  type EvidenceRequestsModel,
  META_KEYS,
  META_SHEET,
  REQUESTS_FORMAT,
  REQUESTS_FORMAT_VERSION,
} from './layout.js';

// An audit's evidence request list (issue 18): the requests sent so far, and room for new rows the auditor fills
// offline and imports back (src/requests/excel.ts checks every row). A hidden sheet names the audit.

export function evidenceRequestsWorkbook(m: EvidenceRequestsModel): ExcelJS.Workbook {
  const L = m.labels;
  const wb = new ExcelJS.Workbook();
  wb.creator = 'ISO/IEC 20000-1 audit workbench';
  wb.created = wb.modified = new Date(m.generatedAt);
  const ws = wb.addWorksheet(L.sheet, {
    views: [{ state: 'frozen', xSplit: 1, ySplit: 1 }],
    properties: { tabColor: { argb: NAVY } },
  });
  const columns: Column[] = [
    { header: L.ref, key: 'ref', min: 8, max: 10, wrap: false },
    { header: L.requirementIds, key: 'requirementIds', min: 14, max: 24 },
    { header: L.need, key: 'need', min: 40, max: 60 },
    { header: L.addressee, key: 'addressee', min: 24, max: 34, wrap: false },
    { header: L.dueDate, key: 'dueDate', min: 12, max: 12, wrap: false },
    { header: L.status, key: 'status', min: 10, max: 14 },
    { header: L.answers, key: 'answers', min: 30, max: 60 },
  ];
  setColumns(ws, columns, m.rows);
  for (const r of m.rows) ws.addRow({ ...r, dueDate: dateCell(r.dueDate) ?? r.dueDate });
  // Due dates are date cells (YYYY-MM-DD), like every workbook's dates; the reader takes text or a date alike.
  ws.getColumn(COL.dueDate).numFmt = DATE_FORMAT;
  for (const c of [COL.status, COL.answers])
    ws.getCell(1, c).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE5E7EB' } };
  filterAll(ws, COL.answers, m.rows.length + 1);
  finishSheet(ws);

  const help = wb.addWorksheet(L.help);
  help.getColumn(1).width = 110;
  help.addRow([L.helpTitle]).font = font({ bold: true, size: 13, color: { argb: NAVY } });
  for (const line of [L.help1, L.help2, L.help3]) help.addRow([line]).alignment = { wrapText: true, vertical: 'top' };
  fitRowHeights(help, 2);

  const meta = wb.addWorksheet(META_SHEET, { state: 'veryHidden' });
  const values: Record<(typeof META_KEYS)[number], string | number> = {
    format: REQUESTS_FORMAT,
    formatVersion: REQUESTS_FORMAT_VERSION,
    auditId: m.audit.id,
    organisation: m.organisation.code,
    lang: m.lang,
    generatedAt: m.generatedAt,
    sheet: L.sheet,
  };
  meta.addRow(['key', 'value']);
  for (const k of META_KEYS) meta.addRow([k, values[k]]);
  return wb;
}
