import { revisionLabel } from './audit-report/reference.js';
import ExcelJS from 'exceljs';
import { type Verdict, VERDICTS } from '../src/domain/verdicts.js';
import {
  type AuditReportModel,
  type ClauseResult,
  type EntryKind,
  type ReportFinding,
  type ReportItem,
  zoneOf,
} from './audit-report/model.js';
import { day, labels, type Labels, type ReportLang, type Texts } from './lang.js';
import { VERDICT_FILL, sheetName, verdictLabels } from './xlsx/labels.js';
import {
  BOLD_FONT,
  type Column,
  columnLetter,
  DATE_FORMAT,
  dateCell,
  dropdown,
  fillRowsBy,
  filterAll,
  finishSheet,
  linesIn,
  NAVY,
  rowPoints,
  setColumns,
  validateRange,
} from './xlsx/sheet.js';

// The gap register a consultant hands to the client: one row per checklist item in scope, what is missing, and what is
// being done about it. Pure: model in, workbook out.

const SEVERITY = ['major', 'minor', null];
const ENTRY_KINDS: readonly EntryKind[] = ['major', 'minor', 'observation', 'ofi'];
const worst = (fs: ReportFinding[]) =>
  [...fs].sort(
    (a, b) =>
      (a.kind === 'nonconformity' ? 0 : 1) - (b.kind === 'nonconformity' ? 0 : 1) ||
      SEVERITY.indexOf(a.grade) - SEVERITY.indexOf(b.grade),
  )[0];

export function gapRegisterWorkbook(m: AuditReportModel, texts: Texts, lang: ReportLang): ExcelJS.Workbook {
  const L = labels(texts, lang);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'ISO/IEC 20000-1 audit workbench';
  wb.created = wb.modified = new Date(m.generatedAt);
  wb.title = `${L.t('gap.title')} — ${m.audit.title}`;
  summarySheet(wb, m, L);
  registerSheet(wb, m, L);
  findingsSheet(wb, m, L);
  return wb;
}

function summarySheet(wb: ExcelJS.Workbook, m: AuditReportModel, L: Labels) {
  const ws = wb.addWorksheet(sheetName(L, 'gap.sheetSummary'), { properties: { tabColor: { argb: NAVY } } });
  const levels = m.audit.selfAssessment;
  const counts = levels
    ? [0, 1, 2, 3, 4, 5].map((n) => ({ key: `l${n}`, header: L.t('gap.levelN', { n }) }))
    : VERDICTS.map((v) => ({ key: v, header: L.t(`verdicts.${v}`) }));
  const columns: Column[] = [
    { header: L.t('gap.clause'), key: 'clause', min: 24, max: 40 },
    { header: L.t('gap.items'), key: 'items', min: 11 }, // wide enough for the date among the facts below
    { header: L.t('gap.examined'), key: 'examined', min: 8 },
    ...counts.map((c) => ({ ...c, min: 10, max: 16 })),
    { header: L.t('gap.readiness'), key: 'readiness', min: 12 },
  ];
  const row = (c: ClauseResult, label: string) => {
    const its = m.items.filter((i) => c.id === '' || i.topClause === c.id);
    const r: Record<string, unknown> = {
      clause: label,
      items: c.items,
      examined: c.examined,
      readiness: c.readiness === null ? null : c.readiness / 100,
    };
    for (const x of counts)
      r[x.key] = levels ? its.filter((i) => `l${i.level}` === x.key).length : c.counts[x.key as Verdict];
    return r;
  };
  const rows = m.results.clauses.map((c) => row(c, `${c.id} ${L.pick(c.title).replace('\n', ' / ')}`));
  const total = row(m.results.total, L.t('gap.overall'));
  setColumns(ws, columns, rows);
  for (const r of rows) ws.addRow(r);
  ws.addRow(total).font = BOLD_FONT;
  ws.getColumn('readiness').numFmt = '0.0%';
  // What this summary is about, under the table (the header stays in row 1 for filters and printing).
  ws.addRow([]);
  let spanWidth = 0;
  for (let c = 2; c <= columns.length; c++) spanWidth += ws.getColumn(c).width ?? 9;
  for (const [k, v] of [
    [L.t('gap.organisation'), `${m.organisation.name} (${m.organisation.code})`],
    [L.t('gap.audit'), `${m.audit.title} (${revisionLabel(m, L)}) — ${L.t(`types.${m.audit.type}`)}`],
    [L.t('gap.status'), L.t(`auditStatus.${m.audit.status}`)],
    [L.t('gap.generated'), dateCell(day(m.generatedAt, zoneOf(m)))],
    [L.t('gap.basis'), levels ? L.t('audit.readinessLevels') : L.t('audit.readinessVerdicts')],
  ] as const) {
    const r = ws.addRow([k, v]);
    r.getCell(1).font = BOLD_FONT;
    // A fact spans the table's width and wraps there: text running over empty cells is printed too, and a long one
    // made the page shrink far below 8 points to hold it.
    ws.mergeCells(r.number, 2, r.number, columns.length);
    r.getCell(2).alignment = { vertical: 'top', horizontal: 'left', wrapText: true };
    if (v instanceof Date) r.getCell(2).numFmt = DATE_FORMAT;
    r.height = rowPoints(linesIn(v, spanWidth, true)) ?? 15;
  }
  // The same figures as the report's summary: the sections' entries (findings, and verdicts without one).
  ws.addRow([]);
  const t = m.tally;
  for (const [k, v] of [
    [L.t('gap.coverage'), t.coverage / 100],
    [L.t('gap.notAudited'), t.notAudited],
    [L.t('gap.reportedMajor'), t.major],
    [L.t('gap.reportedMinor'), t.minor],
    [L.t('gap.reportedObservations'), t.observation],
    [L.t('gap.reportedOfis'), t.ofi],
  ] as const) {
    const r = ws.addRow([k, v]);
    r.getCell(1).font = BOLD_FONT;
    if (k === L.t('gap.coverage')) r.getCell(2).numFmt = '0.0%';
  }
  ws.views = [{ state: 'frozen', xSplit: 0, ySplit: 1 }];
  finishSheet(ws);
}

function itemRow(
  it: ReportItem,
  _m: AuditReportModel,
  L: Labels,
  evidence: Map<number, string>,
  findings: ReportFinding[],
) {
  const f = worst(findings);
  const actions = findings.flatMap((x) => x.actions);
  const owners = [
    ...new Set(
      [...findings.map((x) => x.owner), ...actions.map((a) => a.owner)].filter((x): x is string => Boolean(x)),
    ),
  ];
  const dues = [
    ...findings.map((x) => x.dueDate),
    ...actions.filter((a) => a.status !== 'done' && a.status !== 'cancelled').map((a) => a.dueDate),
  ]
    .filter((x): x is string => Boolean(x))
    .sort();
  const doc = it.documentedInformation;
  return {
    id: it.id,
    clause: it.clause,
    textZh: it.text.zh,
    textEn: it.text.en,
    doc:
      doc.type === 'none' || !doc.what ? L.t('docTypes.none') : `${L.t(`docTypes.${doc.type}`)}: ${L.pick(doc.what)}`,
    verdict: L.t(`verdicts.${it.verdict}`),
    level: it.level,
    gap: it.notes,
    evidence: it.evidenceIds
      .map((id) => evidence.get(id))
      .filter(Boolean)
      .join('\n'),
    action: actions.length
      ? actions.map((a) => `${a.ref}: ${a.description}`).join('\n')
      : findings.map((x) => x.ref).join(', '),
    owner: owners.join(', '),
    due: dateCell(dues[0]),
    status: f ? L.t(`findingStatus.${f.status}`) : '',
  };
}

function registerSheet(wb: ExcelJS.Workbook, m: AuditReportModel, L: Labels) {
  const ws = wb.addWorksheet(sheetName(L, 'gap.sheetRegister'), { views: [{ state: 'frozen', xSplit: 1, ySplit: 1 }] });
  const levels = m.audit.selfAssessment;
  const textColumns: Column[] =
    L.lang === 'both'
      ? [
          { header: L.t('gap.requirementZh'), key: 'textZh', min: 30, max: 60 },
          { header: L.t('gap.requirementEn'), key: 'textEn', min: 30, max: 60 },
        ]
      : [{ header: L.t('gap.requirement'), key: L.lang === 'zh' ? 'textZh' : 'textEn', min: 30, max: 60 }];
  const columns: Column[] = [
    { header: L.t('gap.id'), key: 'id', min: 9, max: 12, wrap: false },
    { header: L.t('gap.clause'), key: 'clause', min: 7, max: 10, wrap: false },
    ...textColumns,
    { header: L.t('gap.documentedInformation'), key: 'doc', min: 20, max: 40 },
    { header: L.t('gap.verdict'), key: 'verdict', min: 14, max: 24 },
    ...(levels ? [{ header: L.t('gap.level'), key: 'level', min: 8, max: 10 }] : []),
    { header: L.t('gap.gap'), key: 'gap', min: 24, max: 50 },
    { header: L.t('gap.evidence'), key: 'evidence', min: 18, max: 40 },
    { header: L.t('gap.action'), key: 'action', min: 20, max: 45 },
    { header: L.t('gap.owner'), key: 'owner', min: 10, max: 20 },
    { header: L.t('gap.due'), key: 'due', min: 11, max: 12 },
    { header: L.t('gap.status'), key: 'status', min: 12, max: 20 },
  ];
  const evidence = new Map(m.evidence.map((e) => [e.id, e.version ? `${e.title} (${e.version})` : e.title]));
  const byItem = new Map<string, ReportFinding[]>();
  for (const f of m.findings)
    if (f.requirementId) byItem.set(f.requirementId, [...(byItem.get(f.requirementId) ?? []), f]);
  const rows = m.items.map((it) => itemRow(it, m, L, evidence, byItem.get(it.id) ?? []));
  setColumns(ws, columns, rows);
  for (const r of rows) ws.addRow(r);
  ws.getColumn('due').numFmt = DATE_FORMAT;
  const last = rows.length + 1;
  const col = (key: string) => columnLetter(columns.findIndex((c) => c.key === key) + 1);
  const verdicts = verdictLabels(L);
  if (rows.length) {
    dropdown(
      ws,
      `${col('verdict')}2:${col('verdict')}${last}`,
      verdicts.map((v) => v.label),
      L.t('gap.verdictError'),
    );
    if (levels) {
      validateRange(ws, `${col('level')}2:${col('level')}${last}`, {
        type: 'whole',
        operator: 'between',
        allowBlank: true,
        formulae: [0, 5],
        showErrorMessage: true,
        errorStyle: 'stop',
        error: L.t('gap.levelError'),
      });
    }
    dropdown(
      ws,
      `${col('status')}2:${col('status')}${last}`,
      [
        'open',
        'reaction_recorded',
        'cause_analysed',
        'actions_planned',
        'actions_implemented',
        'effectiveness_reviewed',
        'closed',
        'recorded',
      ].map((s) => L.t(`findingStatus.${s}`)),
      L.t('gap.statusError'),
    );
    validateRange(ws, `${col('due')}2:${col('due')}${last}`, {
      type: 'date',
      operator: 'greaterThan',
      allowBlank: true,
      formulae: [new Date('2000-01-01T00:00:00Z')],
      showErrorMessage: true,
      errorStyle: 'stop',
      error: L.t('gap.dueError'),
    });
    fillRowsBy(
      ws,
      `A2:${columnLetter(columns.length)}${last}`,
      col('verdict'),
      verdicts.map((v) => ({ value: v.label, argb: VERDICT_FILL[v.verdict] })),
    );
  }
  filterAll(ws, columns.length, last);
  finishSheet(ws);
}

function findingsSheet(wb: ExcelJS.Workbook, m: AuditReportModel, L: Labels) {
  const ws = wb.addWorksheet(sheetName(L, 'gap.sheetFindings'), { views: [{ state: 'frozen', xSplit: 1, ySplit: 1 }] });
  const columns: Column[] = [
    { header: L.t('gap.ref'), key: 'ref', min: 9, max: 14, wrap: false },
    { header: L.t('gap.kind'), key: 'kind', min: 10, max: 22 },
    { header: L.t('gap.grade'), key: 'grade', min: 7, max: 10 },
    { header: L.t('gap.id'), key: 'item', min: 9, max: 12 },
    { header: L.t('audit.statementRequirement'), key: 'requirement', min: 24, max: 45 },
    { header: L.t('audit.statementEvidence'), key: 'evidence', min: 24, max: 45 },
    { header: L.t('audit.statementNonconformity'), key: 'nonconformity', min: 24, max: 45 },
    { header: L.t('gap.status'), key: 'status', min: 12, max: 20 },
    { header: L.t('gap.owner'), key: 'owner', min: 10, max: 20 },
    { header: L.t('gap.due'), key: 'due', min: 11, max: 12 },
    { header: L.t('gap.raised'), key: 'raised', min: 11, max: 12 },
    { header: L.t('gap.actionRef'), key: 'actionRef', min: 10, max: 16 },
    { header: L.t('gap.action'), key: 'action', min: 24, max: 45 },
    { header: L.t('gap.actionOwner'), key: 'actionOwner', min: 10, max: 20 },
    { header: L.t('gap.actionDue'), key: 'actionDue', min: 11, max: 12 },
    { header: L.t('gap.actionStatus'), key: 'actionStatus', min: 10, max: 16 },
  ];
  // The report's sections in their order: a verdict without a finding is a row too (its notes as the evidence).
  const entries = ENTRY_KINDS.flatMap((k) => m.sections[k]);
  const rows = entries.flatMap((e) => {
    const f = e.finding;
    const base = {
      ref: e.ref,
      kind: L.t(`kinds.${e.entryKind === 'major' || e.entryKind === 'minor' ? 'nonconformity' : e.entryKind}`),
      grade: e.entryKind === 'major' || e.entryKind === 'minor' ? L.t(`grades.${e.entryKind}`) : '',
      item: e.requirementId ?? e.clauseId ?? '',
      requirement: f ? f.statement.requirement : e.requirementText ? L.pick(e.requirementText) : '',
      evidence: f ? f.statement.evidence : e.notes,
      nonconformity: f ? f.statement.nonconformity : '',
      status: f ? L.t(`findingStatus.${f.status}`) : L.t('audit.verdictOnly'),
      owner: f?.owner ?? '',
      due: dateCell(f?.dueDate),
      raised: dateCell(f?.raisedOn),
    };
    const none = { actionRef: '', action: '', actionOwner: '', actionDue: null, actionStatus: '' };
    if (!f) return [{ ...base, ...none }];
    return f.actions.length
      ? f.actions.map((a) => ({
          ...base,
          actionRef: a.ref,
          action: a.description,
          actionOwner: a.owner ?? '',
          actionDue: dateCell(a.dueDate),
          actionStatus: L.t(`actionStatus.${a.status}`),
        }))
      : [{ ...base, ...none }];
  });
  setColumns(ws, columns, rows);
  for (const r of rows) ws.addRow(r);
  for (const k of ['due', 'raised', 'actionDue']) ws.getColumn(k).numFmt = DATE_FORMAT;
  filterAll(ws, columns.length, rows.length + 1);
  finishSheet(ws);
}
