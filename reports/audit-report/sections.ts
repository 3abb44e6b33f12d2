import type { Content, TableCell } from 'pdfmake/interfaces.js';
import { type Verdict, VERDICTS } from '../../src/domain/verdicts.js';
import { readinessChartSvg } from '../charts/readiness-chart.js';
import { day, type Labels } from '../lang.js';
import { REPORT_FONT } from '../pdf/render.js';
import { facts, heading, MUTED, NAVY, para, table, th } from '../pdf/style.js';
import { type AuditReportModel, type ReportFinding, zoneOf } from './model.js';

// The body of the audit report, one function per section, in the order a certification body expects.

const span = (from: string | null, to: string | null) => (from || to ? `${day(from)} – ${day(to)}` : '—');

export function cover(m: AuditReportModel, L: Labels): Content[] {
  const a = m.audit;
  const issued = m.frozen || a.status === 'issued' || a.status === 'closed';
  const distribution = [
    L.t('audit.distributionAuditee', { org: m.organisation.name }),
    ...(a.leadAuditor ? [L.t('audit.distributionLead', { name: a.leadAuditor })] : []),
    ...a.team.filter((n) => n !== a.leadAuditor).map((name) => L.t('audit.distributionTeam', { name })),
  ];
  return [
    { text: m.organisation.name, style: 'subtitle', margin: [0, 90, 0, 6] },
    { text: L.lines('audit.title').join('\n'), style: 'title' },
    { text: a.title, fontSize: 16, color: NAVY, margin: [0, 10, 0, 2] },
    {
      text: `${L.t(`types.${a.type}`)} · ${L.pick(m.standard.title)}`,
      style: 'subtitle',
      fontSize: 11,
      margin: [0, 0, 0, 24],
    },
    facts([
      [L.t('audit.fields.organisation'), `${m.organisation.name} (${m.organisation.code})`],
      [L.t('audit.fields.audit'), `${a.title} (#${a.id})`],
      [L.t('audit.fields.type'), L.t(`types.${a.type}`)],
      [L.t('audit.fields.standard'), `${L.pick(m.standard.title)} (${m.standard.edition})`],
      [L.t('audit.fields.planned'), span(a.plannedStart, a.plannedEnd)],
      [L.t('audit.fields.actual'), span(a.actualStart, a.actualEnd)],
      [L.t('audit.fields.leadAuditor'), a.leadAuditor ?? '—'],
      [L.t('audit.fields.team'), a.team.join(', ') || '—'],
      [L.t('audit.fields.revision'), `r${a.revision}`],
      [
        L.t('audit.fields.status'),
        issued
          ? L.t('audit.issuedOn', { date: day(a.issuedAt ?? m.generatedAt, zoneOf(m)) })
          : L.t('audit.draftOn', { date: day(m.generatedAt, zoneOf(m)) }),
      ],
      [L.t('audit.fields.distribution'), distribution.join('\n')],
    ]),
    { text: issued ? L.para('audit.frozenNote') : L.para('audit.draftNote'), style: 'muted', margin: [0, 18, 0, 0] },
  ];
}

export function objectivesScopeCriteria(m: AuditReportModel, L: Labels): Content[] {
  const a = m.audit;
  const none = L.t('audit.notRecorded');
  return [
    heading(L.lines('audit.s1'), 'h1', { pageBreak: 'before' }),
    heading(L.lines('audit.objectives'), 'h2'),
    para(a.objectives, none),
    heading(L.lines('audit.scope'), 'h2'),
    { ul: a.scope.clauses.map((c) => `${c.id} ${L.pick(c.title).replace('\n', ' / ')}`), margin: [0, 0, 0, 4] },
    facts([
      [L.t('audit.processes'), a.scope.processes.join(', ') || '—'],
      [L.t('audit.services'), a.scope.services.join(', ') || '—'],
      [L.t('audit.smsScope'), m.organisation.scopeStatement || '—'],
    ]),
    heading(L.lines('audit.criteria'), 'h2'),
    para(a.criteria, none),
  ];
}

export function summaryConclusion(m: AuditReportModel, L: Labels): Content[] {
  const none = L.t('audit.notRecorded');
  const nc = (g: string) => m.findings.filter((f) => f.kind === 'nonconformity' && f.grade === g).length;
  const kind = (k: string) => m.findings.filter((f) => f.kind === k).length;
  return [
    heading(L.lines('audit.s2'), 'h1'),
    {
      text: L.para('audit.tally', {
        items: m.results.items,
        major: nc('major'),
        minor: nc('minor'),
        observations: kind('observation'),
        ofis: kind('ofi'),
        readiness: m.results.overall.toFixed(1),
      }),
      margin: [0, 0, 0, 6],
    },
    heading(L.lines('audit.summary'), 'h2'),
    para(m.audit.summary, none),
    heading(L.lines('audit.conclusion'), 'h2'),
    para(m.audit.conclusion, none),
  ];
}

const SHOWN: readonly Verdict[] = [...VERDICTS.filter((v) => v !== 'not_assessed'), 'not_assessed'];

export function resultsByClause(m: AuditReportModel, L: Labels): Content[] {
  const rows: TableCell[][] = m.results.clauses.map((c) => [
    { text: `${c.id} ${L.pick(c.title)}` },
    { text: String(c.items), alignment: 'right' },
    ...SHOWN.map((v) => ({
      text: String(c.counts[v]),
      alignment: 'right' as const,
      color: c.counts[v] ? undefined : MUTED,
    })),
    { text: `${c.readiness.toFixed(1)}%`, alignment: 'right', bold: true },
  ]);
  const total = (v: Verdict) => m.results.clauses.reduce((n, c) => n + c.counts[v], 0);
  rows.push([
    { text: L.t('audit.overall'), bold: true },
    { text: String(m.results.items), bold: true, alignment: 'right' },
    ...SHOWN.map((v) => ({ text: String(total(v)), alignment: 'right' as const, bold: true })),
    { text: `${m.results.overall.toFixed(1)}%`, alignment: 'right', bold: true },
  ]);
  const both = L.lang === 'both';
  const bars = m.results.clauses.map((c) => ({
    label: `${c.id} ${both ? c.title.zh : L.pick(c.title)}`,
    value: c.readiness,
  }));
  bars.push({ label: L.t('audit.overall'), value: m.results.overall });
  const svg = readinessChartSvg(bars, { title: L.t('audit.chartTitle'), font: REPORT_FONT, width: 640 });
  return [
    heading(L.lines('audit.s3'), 'h1', { pageBreak: 'before' }),
    table(
      ['*', 30, ...SHOWN.map(() => 44), 46],
      [
        L.para('audit.clause'),
        th(L.para('audit.items'), 'right'),
        ...SHOWN.map((v) => th(L.para(`verdictsShort.${v}`), 'right')),
        th(L.para('audit.readiness'), 'right'),
      ],
      rows,
      { fontSize: both ? 7.5 : 8.5 },
    ),
    {
      text: L.para(m.audit.selfAssessment ? 'audit.readinessLevels' : 'audit.readinessVerdicts'),
      style: 'muted',
      margin: [0, 4, 0, 8],
    },
    { svg, width: 500, alignment: 'center', margin: [0, 4, 0, 0] },
  ];
}

function findingBlock(f: ReportFinding, L: Labels): Content {
  const third =
    f.kind === 'nonconformity'
      ? 'audit.statementNonconformity'
      : f.kind === 'observation'
        ? 'audit.statementObservation'
        : 'audit.statementOfi';
  const meta = [
    f.requirementId
      ? `${L.t('audit.requirementId')}: ${f.requirementId}`
      : f.clauseId
        ? `${L.t('audit.clause')}: ${f.clauseId}`
        : '',
    `${L.t('audit.status')}: ${L.t(`findingStatus.${f.status}`)}`,
    f.owner ? `${L.t('audit.owner')}: ${f.owner}` : '',
    f.dueDate ? `${L.t('audit.due')}: ${f.dueDate}` : '',
  ]
    .filter(Boolean)
    .join(' · ');
  const body: TableCell[][] = [
    [{ text: L.t('audit.statementRequirement'), style: 'label' }, { text: f.statement.requirement || '—' }],
    [{ text: L.t('audit.statementEvidence'), style: 'label' }, { text: f.statement.evidence || '—' }],
    [{ text: L.t(third), style: 'label' }, { text: f.statement.nonconformity || '—' }],
  ];
  if (f.actions.length) {
    body.push([
      { text: L.t('audit.actions'), style: 'label' },
      {
        ul: f.actions.map(
          (x) =>
            `${x.ref} — ${x.description} (${[x.owner, x.dueDate, L.t(`actionStatus.${x.status}`)].filter(Boolean).join(', ')})`,
        ),
      },
    ]);
  }
  return {
    stack: [
      {
        text: [
          { text: f.ref, bold: true, color: NAVY },
          { text: `   ${meta}`, style: 'muted' },
        ],
        margin: [0, 6, 0, 2],
      },
      { table: { widths: [110, '*'], body, dontBreakRows: true }, layout: 'lightHorizontalLines' },
    ],
    unbreakable: f.statement.evidence.length < 1500,
  } as Content;
}

export function nonconformities(m: AuditReportModel, L: Labels): Content[] {
  const group = (grade: string) => m.findings.filter((f) => f.kind === 'nonconformity' && f.grade === grade);
  const ungraded = m.findings.filter((f) => f.kind === 'nonconformity' && f.grade !== 'major' && f.grade !== 'minor');
  const part = (key: string, list: ReportFinding[]): Content[] => [
    heading(L.lines(key), 'h2'),
    ...(list.length ? list.map((f) => findingBlock(f, L)) : [{ text: L.t('audit.none'), style: 'muted' } as Content]),
  ];
  return [
    heading(L.lines('audit.s4'), 'h1', { pageBreak: 'before' }),
    ...part('audit.major', group('major')),
    ...part('audit.minor', [...group('minor'), ...ungraded]),
  ];
}

export function observationsAndOfis(m: AuditReportModel, L: Labels): Content[] {
  const part = (key: string, kind: string): Content[] => {
    const list = m.findings.filter((f) => f.kind === kind);
    return [
      heading(L.lines(key), 'h2'),
      ...(list.length ? list.map((f) => findingBlock(f, L)) : [{ text: L.t('audit.none'), style: 'muted' } as Content]),
    ];
  };
  return [
    heading(L.lines('audit.s5'), 'h1'),
    ...part('audit.observations', 'observation'),
    ...part('audit.ofis', 'ofi'),
  ];
}
