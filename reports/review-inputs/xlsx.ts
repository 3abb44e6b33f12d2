import ExcelJS from 'exceljs';
import { day, labels, type ReportLang, type Texts } from '../lang.js';
import { sheetName } from '../xlsx/labels.js';
import { type Column, DATE_FORMAT, dateCell, filterAll, finishSheet, setColumns } from '../xlsx/sheet.js';
import type { ReviewPackModel } from './model.js';

// The same input pack as a workbook: figures (with the previous period), breakdowns, actions and narratives. Pure.

export function reviewInputsWorkbook(
  m: ReviewPackModel,
  texts: Texts,
  reviewTexts: Texts,
  lang: ReportLang,
): ExcelJS.Workbook {
  const L = labels(texts, lang);
  const R = labels(reviewTexts, lang);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'ISO/IEC 20000-1 audit workbench';
  wb.created = wb.modified = new Date(m.generatedAt);
  wb.title = `${L.t('review.title')} — ${m.review.ref} ${m.review.title}`;
  const input = (id: string, clause: string) => `${clause} ${R.t(`input.${id}`)}`;
  const sheet = (key: string, columns: Column[], rows: Record<string, unknown>[]) => {
    const ws = wb.addWorksheet(sheetName(L, key), { views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }] });
    setColumns(ws, columns, rows);
    for (const r of rows) ws.addRow(r);
    for (const c of columns) if (c.key === 'due') ws.getColumn(c.key).numFmt = DATE_FORMAT;
    filterAll(ws, columns.length, rows.length + 1);
    finishSheet(ws);
    return ws;
  };
  const p = m.pack;
  sheet(
    'review.sheetFigures',
    [
      { header: L.t('review.input'), key: 'input', min: 30, max: 60 },
      { header: L.t('review.figure'), key: 'figure', min: 24, max: 50 },
      {
        header: `${L.t('review.thisPeriod')}\n${day(p.period.from)} – ${day(p.period.to)}`,
        key: 'value',
        min: 14,
        max: 24,
      },
      {
        header: `${L.t('review.previousPeriod')}\n${day(p.previousPeriod.from)} – ${day(p.previousPeriod.to)}`,
        key: 'previous',
        min: 14,
        max: 24,
      },
    ],
    p.items.flatMap((x) =>
      x.figures.map((f) => ({
        input: input(x.id, x.clause),
        figure: R.t(`figures.${f.key}`),
        value: f.value,
        previous: f.previous ?? null,
      })),
    ),
  );
  sheet(
    'review.sheetBreakdown',
    [
      { header: L.t('review.input'), key: 'input', min: 30, max: 60 },
      { header: L.t('review.item'), key: 'label', min: 20, max: 50 },
      { header: L.t('review.count'), key: 'value', min: 8, max: 12 },
    ],
    p.items.flatMap((x) => x.breakdown.map((b) => ({ input: input(x.id, x.clause), label: b.label, value: b.value }))),
  );
  sheet(
    'review.sheetActions',
    [
      { header: L.t('review.input'), key: 'input', min: 30, max: 60 },
      { header: L.t('review.ref'), key: 'ref', min: 10, max: 16 },
      { header: L.t('review.action'), key: 'label', min: 30, max: 60 },
      { header: L.t('review.status'), key: 'status', min: 10, max: 16 },
      { header: L.t('review.due'), key: 'due', min: 11, max: 12 },
      { header: L.t('review.overdue'), key: 'overdue', min: 8, max: 10 },
    ],
    p.items.flatMap((x) =>
      x.entries.map((e) => ({
        input: input(x.id, x.clause),
        ref: e.ref,
        label: e.label,
        status: L.t(`actionStatus.${e.status}`),
        due: dateCell(e.dueDate),
        overdue: e.overdue ? L.t('register.yes') : '',
      })),
    ),
  );
  sheet(
    'review.sheetNarratives',
    [
      { header: L.t('review.input'), key: 'input', min: 30, max: 60 },
      { header: L.t('review.source'), key: 'source', min: 12, max: 24 },
      { header: L.t('review.narrative'), key: 'narrative', min: 40, max: 90 },
    ],
    p.items.map((x) => ({ input: input(x.id, x.clause), source: R.t(`source.${x.source}`), narrative: x.narrative })),
  );
  return wb;
}
