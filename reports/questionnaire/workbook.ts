import ExcelJS from 'exceljs';
import type { AuditReportModel } from '../audit-report/model.js';
import { labels, type Texts } from '../lang.js';
import { verdictLabels } from '../xlsx/labels.js';
import {
  type Column,
  columnLetter,
  dropdown,
  filterAll,
  finishSheet,
  fitRowHeights,
  font,
  NAVY,
  setColumns,
  validateRange,
} from '../xlsx/sheet.js';
import {
  answerDigest,
  COL,
  META_KEYS,
  META_SHEET,
  QUESTIONNAIRE_FORMAT,
  QUESTIONNAIRE_FORMAT_VERSION,
} from './layout.js';

// A self-assessment questionnaire for one audit: the client fills verdict, level and notes offline and uploads it back.
// Requirement id and text are locked (sheet protection) and checked again on upload; hidden cells name the audit.

export async function questionnaireWorkbook(
  m: AuditReportModel,
  texts: Texts,
  lang: 'zh' | 'en',
): Promise<ExcelJS.Workbook> {
  const L = labels(texts, lang);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'ISO/IEC 20000-1 audit workbench';
  wb.created = wb.modified = new Date(m.generatedAt);
  const name = L.t('questionnaire.sheet');
  const ws = wb.addWorksheet(name, {
    views: [{ state: 'frozen', xSplit: 1, ySplit: 1 }],
    properties: { tabColor: { argb: NAVY } },
  });
  const levels = m.audit.selfAssessment;
  const columns: Column[] = [
    { header: L.t('questionnaire.id'), key: 'id', min: 9, max: 12, wrap: false },
    { header: L.t('questionnaire.clause'), key: 'clause', min: 7, max: 10, wrap: false },
    { header: L.t('questionnaire.requirement'), key: 'text', min: 40, max: 70 },
    { header: L.t('questionnaire.verdict'), key: 'verdict', min: 16, max: 24 },
    { header: L.t('questionnaire.level'), key: 'level', min: 10, max: 12 },
    { header: L.t('questionnaire.notes'), key: 'notes', min: 40, max: 60 },
    { header: 'audit', key: 'audit', min: 6 },
    { header: 'version', key: 'version', min: 6 },
    { header: 'digest', key: 'digest', min: 10 },
  ];
  const rows = m.items.map((it) => ({
    id: it.id,
    clause: it.clause,
    text: it.text[lang] || it.text.zh,
    verdict: L.t(`verdicts.${it.verdict}`),
    level: it.level,
    notes: it.notes,
    audit: m.audit.id,
    version: it.version,
    digest: answerDigest(it.verdict, it.level, it.notes),
  }));
  setColumns(ws, columns, rows);
  for (const r of rows) ws.addRow(r);
  for (const c of [COL.audit, COL.version, COL.digest]) ws.getColumn(c).hidden = true;
  if (!levels) ws.getColumn(COL.level).hidden = true;
  const editable: number[] = levels ? [COL.verdict, COL.level, COL.notes] : [COL.verdict, COL.notes];
  const last = rows.length + 1;
  for (let r = 2; r <= last; r++) for (const c of editable) ws.getCell(r, c).protection = { locked: false };
  for (const c of editable)
    ws.getCell(1, c).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF1CC' } };
  if (rows.length) {
    const v = columnLetter(COL.verdict);
    dropdown(
      ws,
      `${v}2:${v}${last}`,
      verdictLabels(L).map((x) => x.label),
      L.t('questionnaire.verdictError'),
    );
    if (levels) {
      const l = columnLetter(COL.level);
      validateRange(ws, `${l}2:${l}${last}`, {
        type: 'whole',
        operator: 'between',
        allowBlank: true,
        formulae: [0, 5],
        showErrorMessage: true,
        errorStyle: 'stop',
        error: L.t('questionnaire.levelError'),
      });
    }
  }
  filterAll(ws, COL.notes, last);
  finishSheet(ws);
  await ws.protect('', {
    selectLockedCells: true,
    selectUnlockedCells: true,
    formatColumns: true,
    formatRows: true,
    autoFilter: true,
    sort: false,
  });

  const help = wb.addWorksheet(L.t('questionnaire.helpSheet'));
  help.getColumn(1).width = 110;
  help.addRow([L.t('questionnaire.helpTitle', { audit: m.audit.title, org: m.organisation.name })]).font = font({
    bold: true,
    size: 13,
    color: { argb: NAVY },
  });
  for (const key of ['help1', 'help2', levels ? 'help3Levels' : 'help3', 'help4', 'help5']) {
    help.addRow([L.t(`questionnaire.${key}`)]).alignment = { wrapText: true, vertical: 'top' };
  }
  fitRowHeights(help, 2);

  const meta = wb.addWorksheet(META_SHEET, { state: 'veryHidden' });
  const values: Record<(typeof META_KEYS)[number], string | number> = {
    format: QUESTIONNAIRE_FORMAT,
    formatVersion: QUESTIONNAIRE_FORMAT_VERSION,
    auditId: m.audit.id,
    organisation: m.organisation.code,
    lang,
    generatedAt: m.generatedAt,
    sheet: name,
  };
  meta.addRow(['key', 'value']);
  for (const k of META_KEYS) meta.addRow([k, values[k]]);
  await meta.protect('', {});
  return wb;
}
