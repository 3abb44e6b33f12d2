import ExcelJS from 'exceljs';
import { revisionOrdinal } from '../../src/domain/revision.js';
import { labels, type Texts } from '../lang.js';
import { sheetName } from '../xlsx/labels.js';
import {
  type Column,
  columnLetter,
  DATE_FORMAT,
  dateCell,
  dropdown,
  fillRowsBy,
  filterAll,
  finishSheet,
  setColumns,
} from '../xlsx/sheet.js';
import type { ProgrammeModel } from './model.js';

// The audit programme schedule (9.2.2): every audit with its dates, type, scope, team and status. Pure.

const STATUS_FILL: Record<string, string> = {
  planned: 'FFF2F2F2',
  in_progress: 'FFE3EEF8',
  reporting: 'FFFFF1CC',
  issued: 'FFE3F1E6',
  closed: 'FFE3F1E6',
};
const STATUSES = ['planned', 'in_progress', 'reporting', 'issued', 'closed'];

export function programmeScheduleWorkbook(m: ProgrammeModel, texts: Texts, lang: 'zh' | 'en'): ExcelJS.Workbook {
  const L = labels(texts, lang);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'ISO/IEC 20000-1 audit workbench';
  wb.created = wb.modified = new Date(m.generatedAt);
  const ws = wb.addWorksheet(sheetName(L, 'programme.sheet'), { views: [{ state: 'frozen', xSplit: 2, ySplit: 1 }] });
  const columns: Column[] = [
    { header: '#', key: 'id', min: 6, max: 8, wrap: false },
    { header: L.t('programme.audit'), key: 'title', min: 20, max: 40 },
    { header: L.t('programme.type'), key: 'type', min: 12, max: 22 },
    { header: L.t('programme.status'), key: 'status', min: 10, max: 14 },
    { header: L.t('programme.plannedStart'), key: 'plannedStart', min: 11, max: 12 },
    { header: L.t('programme.plannedEnd'), key: 'plannedEnd', min: 11, max: 12 },
    { header: L.t('programme.actualStart'), key: 'actualStart', min: 11, max: 12 },
    { header: L.t('programme.actualEnd'), key: 'actualEnd', min: 11, max: 12 },
    { header: L.t('programme.scope'), key: 'scope', min: 14, max: 30 },
    { header: L.t('programme.lead'), key: 'lead', min: 10, max: 18 },
    { header: L.t('programme.team'), key: 'team', min: 14, max: 30 },
    { header: L.t('programme.programme'), key: 'programme', min: 14, max: 30 },
    { header: L.t('programme.revision'), key: 'revision', min: 6, max: 8 },
  ];
  const rows = m.audits.map((a) => ({
    id: a.id,
    title: a.title,
    type: L.t(`types.${a.type}`),
    status: L.t(`auditStatus.${a.status}`),
    plannedStart: dateCell(a.plannedStart),
    plannedEnd: dateCell(a.plannedEnd),
    actualStart: dateCell(a.actualStart),
    actualEnd: dateCell(a.actualEnd),
    scope: a.scope.join(', '),
    lead: a.leadAuditor ?? '',
    team: a.team.join(', '),
    programme: a.programme ?? '',
    revision: L.t('revisionN', { n: revisionOrdinal(a.revision) }),
  }));
  setColumns(ws, columns, rows); // date columns are bounded to 12 characters: yyyy-mm-dd
  for (const r of rows) ws.addRow(r);
  for (const k of ['plannedStart', 'plannedEnd', 'actualStart', 'actualEnd']) ws.getColumn(k).numFmt = DATE_FORMAT;
  const last = rows.length + 1;
  const status = columnLetter(columns.findIndex((c) => c.key === 'status') + 1);
  if (rows.length) {
    dropdown(
      ws,
      `${status}2:${status}${last}`,
      STATUSES.map((s) => L.t(`auditStatus.${s}`)),
      L.t('programme.statusError'),
    );
    fillRowsBy(
      ws,
      `A2:${columnLetter(columns.length)}${last}`,
      status,
      STATUSES.map((s) => ({ value: L.t(`auditStatus.${s}`), argb: STATUS_FILL[s]! })),
    );
  }
  filterAll(ws, columns.length, last);
  finishSheet(ws);
  return wb;
}
