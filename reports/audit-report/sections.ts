import type { Content, TableCell } from 'pdfmake/interfaces.js';
import { type Verdict, VERDICTS } from '../../src/domain/verdicts.js';
import { readinessChartSvg } from '../charts/readiness-chart.js';
import type { Labels } from '../lang.js';
import { REPORT_FONT } from '../pdf/render.js';
import { facts, heading, MUTED, NAVY, para, table } from '../pdf/style.js';
import { type Statement, type StatementPart, notCovered, statements, whereAndWho } from './content.js';
import { confidentialityFact, coverFacts, coverNote, coverSubtitle } from './facts.js';
import type { AuditReportModel, EntryKind, ReportEntry } from './model.js';

// The body of the audit report, one function per section, in the order a certification body expects.

export function cover(m: AuditReportModel, L: Labels): Content[] {
  return [
    // Lower on the page when there is room: the bilingual cover's facts take two lines each.
    { text: m.organisation.name, style: 'subtitle', margin: [0, L.lang === 'both' ? 0 : 90, 0, 6] },
    { text: L.lines('audit.title').join('\n'), style: 'title' },
    { text: m.audit.title, fontSize: 16, color: NAVY, margin: [0, 10, 0, 2] },
    { text: coverSubtitle(m, L), style: 'subtitle', fontSize: 11, margin: [0, 0, 0, 24] },
    facts(coverFacts(m, L)),
    facts([confidentialityFact(m, L)]),
    { text: coverNote(m, L), style: 'muted', margin: [0, 18, 0, 0] },
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
    ...drawn(whereAndWho(m, L)),
  ];
}

/** A statement part (content.ts) as pdfmake content; lists and rows are copied (pdfmake annotates its nodes). */
function part(x: StatementPart): Content {
  switch (x.kind) {
    case 'list':
      return { ul: [...x.items], margin: [0, 0, 0, 6] };
    case 'text':
      return { text: x.text, margin: [0, 0, 0, 4] };
    case 'empty':
      return { text: x.text, style: 'muted', margin: [0, 0, 0, 6] };
    case 'table':
      return table(
        x.widths,
        x.header,
        x.rows.map((r) => r.map((c) => (typeof c === 'string' ? c : { text: c.text, alignment: c.align }))),
        x.small ? { fontSize: 8 } : {},
      );
  }
}

const drawn = (list: Statement[]): Content[] => list.flatMap((s) => [heading(s.heading, 'h2'), ...s.parts.map(part)]);

export function summaryConclusion(m: AuditReportModel, L: Labels): Content[] {
  const none = L.t('audit.notRecorded');
  const t = m.tally;
  return [
    heading(L.lines('audit.s2'), 'h1'),
    {
      text: L.para('audit.tally', {
        items: t.items,
        examined: t.examined,
        coverage: t.coverage.toFixed(1),
        notAudited: t.notAudited,
        major: t.major,
        minor: t.minor,
        observations: t.observation,
        ofis: t.ofi,
        readiness: t.readiness?.toFixed(1) ?? '—',
      }),
      margin: [0, 0, 0, 6],
    },
    heading(L.lines('audit.summary'), 'h2'),
    para(m.audit.summary, none),
    heading(L.lines('audit.conclusion'), 'h2'),
    para(m.audit.conclusion, none),
    ...drawn([notCovered(m, L), ...statements(m, L)]),
  ];
}

const percent = (v: number | null) => (v === null ? '—' : `${v.toFixed(1)}%`);

/**
 * A figure column's header, right-aligned: its Chinese line is never broken (a column is as wide as it), its English
 * line breaks between words only.
 */
const head = (L: Labels, key: string): TableCell => ({
  text: L.lines(key).map((line, i) => ({ text: i ? `\n${line}` : line, noWrap: /\p{Script=Han}/u.test(line) })),
  style: 'th',
  alignment: 'right',
});

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
    { text: percent(c.readiness), alignment: 'right', bold: true },
  ]);
  const total = m.results.total;
  rows.push([
    { text: L.t('audit.overall'), bold: true },
    { text: String(total.items), bold: true, alignment: 'right' },
    ...SHOWN.map((v) => ({ text: String(total.counts[v]), alignment: 'right' as const, bold: true })),
    { text: percent(total.readiness), alignment: 'right', bold: true },
  ]);
  const both = L.lang === 'both';
  // A clause with nothing examined has no bar (it is listed under the areas not covered).
  const bars = [
    ...m.results.clauses.map((c) => ({ label: `${c.id} ${both ? c.title.zh : L.pick(c.title)}`, value: c.readiness })),
    { label: L.t('audit.overall'), value: m.results.total.readiness },
  ].flatMap((b) => (b.value === null ? [] : [{ label: b.label, value: b.value }]));
  const svg = readinessChartSvg(bars, { title: L.t('audit.chartTitle'), font: REPORT_FONT, width: 640 });
  return [
    heading(L.lines('audit.s3'), 'h1'),
    table(
      // Figures' columns as wide as their header's longest word, so that no header word is broken.
      ['*', 'auto', ...SHOWN.map(() => 'auto'), 'auto'],
      [
        L.para('audit.clause'),
        head(L, 'audit.items'),
        ...SHOWN.map((v) => head(L, `verdictsShort.${v}`)),
        head(L, 'audit.readiness'),
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

const STATEMENT_OF: Record<EntryKind, string> = {
  major: 'audit.statementNonconformity',
  minor: 'audit.statementNonconformity',
  observation: 'audit.statementObservation',
  ofi: 'audit.statementOfi',
};

function entryBlock(e: ReportEntry, L: Labels): Content {
  const f = e.finding;
  const where = e.requirementId
    ? `${L.t('audit.requirementId')}: ${e.requirementId}`
    : e.clauseId
      ? `${L.t('audit.clause')}: ${e.clauseId}`
      : '';
  const meta = (
    f
      ? [
          where,
          f.process ? `${L.t('audit.process')}: ${f.process}` : '',
          f.service ? `${L.t('audit.service')}: ${f.service}` : '',
          f.otherParty ? `${L.t('audit.otherParty')}: ${f.otherParty}` : '',
          `${L.t('audit.status')}: ${L.t(`findingStatus.${f.status}`)}`,
          f.owner ? `${L.t('audit.owner')}: ${f.owner}` : '',
          f.dueDate ? `${L.t('audit.due')}: ${f.dueDate}` : '',
        ]
      : [L.t('audit.verdictOnly')]
  )
    .filter(Boolean)
    .join(' · ');
  const body: TableCell[][] = f
    ? [
        [{ text: L.t('audit.statementRequirement'), style: 'label' }, { text: f.statement.requirement || '—' }],
        [{ text: L.t('audit.statementEvidence'), style: 'label' }, { text: f.statement.evidence || '—' }],
        [{ text: L.t(STATEMENT_OF[e.entryKind]), style: 'label' }, { text: f.statement.nonconformity || '—' }],
      ]
    : [
        [
          { text: L.t('audit.statementRequirement'), style: 'label' },
          { text: e.requirementText ? L.pick(e.requirementText) : '—' },
        ],
        [{ text: L.t('audit.notes'), style: 'label' }, { text: e.notes || '—' }],
      ];
  if (f?.actions.length) {
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
          { text: e.ref, bold: true, color: NAVY },
          { text: `   ${meta}`, style: 'muted' },
        ],
        margin: [0, 6, 0, 2],
      },
      { table: { widths: [110, '*'], body, dontBreakRows: true }, layout: 'lightHorizontalLines' },
    ],
    unbreakable: (f?.statement.evidence.length ?? e.notes.length) < 1500,
  } as Content;
}

const entries = (key: string, list: ReportEntry[], L: Labels): Content[] => [
  heading(L.lines(key), 'h2'),
  ...(list.length ? list.map((e) => entryBlock(e, L)) : [{ text: L.t('audit.none'), style: 'muted' } as Content]),
];

export function nonconformities(m: AuditReportModel, L: Labels): Content[] {
  return [
    heading(L.lines('audit.s4'), 'h1'),
    ...entries('audit.major', m.sections.major, L),
    ...entries('audit.minor', m.sections.minor, L),
  ];
}

export function observationsAndOfis(m: AuditReportModel, L: Labels): Content[] {
  return [
    heading(L.lines('audit.s5'), 'h1'),
    ...entries('audit.observations', m.sections.observation, L),
    ...entries('audit.ofis', m.sections.ofi, L),
  ];
}
