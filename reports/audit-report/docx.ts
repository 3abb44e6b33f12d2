import { reportReference, standardName } from './reference.js';
import {
  AlignmentType,
  Document,
  Footer,
  Header,
  type ISectionOptions,
  PageNumber,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableLayoutType,
  TableOfContents,
  TableRow,
  TabStopType,
  TextRun,
  WidthType,
} from 'docx';
import { type Verdict, VERDICTS } from '../../src/domain/verdicts.js';
import { colour } from '../charts/readiness-chart.js';
import { type Labels, labels, type ReportLang, type Texts } from '../lang.js';
import {
  bullet,
  type Cell,
  FONT,
  facts,
  heading,
  MUTED,
  muted,
  NAVY,
  p,
  PAGE,
  RULE,
  runs,
  SHADE,
  styles,
  TEXT_WIDTH,
  table,
  userText,
} from '../docx/style.js';
import { type Statement, type StatementPart, notCovered, statements, whereAndWho } from './content.js';
import {
  acceptedLine,
  confidentialityFact,
  coverFacts,
  coverNote,
  coverSubtitle,
  documentProperties,
  runningHeader,
} from './facts.js';
import type { AuditReportModel, EntryKind, ReportEntry } from './model.js';

// The audit report as a Word document, read from the same model as the PDF (pdf.ts, sections.ts, appendix.ts): the
// same sections in the same order with the same figures, in Word's heading styles so that it can be edited, navigated
// and given a table of contents. Pure: no I/O; the document's dates are the model's own.

type Block = Paragraph | Table | TableOfContents;

const percent = (v: number | null) => (v === null ? '—' : `${v.toFixed(1)}%`);
const SHOWN: readonly Verdict[] = [...VERDICTS.filter((v) => v !== 'not_assessed'), 'not_assessed'];

function cover(m: AuditReportModel, L: Labels): Block[] {
  return [
    p(m.organisation.name, { color: MUTED, size: 28 }, { spacingBefore: 1600 }),
    new Paragraph({
      spacing: { before: 120, after: 120 },
      children: runs(L.lines('audit.title').join('\n'), { bold: true, color: NAVY, size: 48 }),
    }),
    p(m.audit.title, { color: NAVY, size: 32 }),
    p(coverSubtitle(m, L), { color: MUTED, size: 22 }),
    p(''),
    facts(coverFacts(m, L)),
    p(''),
    facts([confidentialityFact(m, L)]),
    p(''),
    muted(coverNote(m, L)),
  ];
}

/** A TOC field over Heading 1–2, filled with the headings so it reads before Word updates it (References › Update). */
const contents = (L: Labels): Block[] => [
  new Paragraph({
    pageBreakBefore: true,
    children: runs(L.para('audit.contents'), { bold: true, color: NAVY, size: 30 }),
  }),
  new TableOfContents(L.t('audit.contents'), { hyperlink: true, headingStyleRange: '1-2' }),
];

function objectivesScopeCriteria(m: AuditReportModel, L: Labels): Block[] {
  const a = m.audit;
  const none = L.t('audit.notRecorded');
  return [
    heading(L.lines('audit.s1'), 1, true),
    heading(L.lines('audit.objectives'), 2),
    userText(a.objectives, none),
    heading(L.lines('audit.scope'), 2),
    ...a.scope.clauses.map((c) => bullet(`${c.id} ${L.pick(c.title).replace('\n', ' / ')}`)),
    facts([
      [L.t('audit.processes'), a.scope.processes.join(', ') || '—'],
      [L.t('audit.services'), a.scope.services.join(', ') || '—'],
      [L.t('audit.smsScope'), m.organisation.scopeStatement || '—'],
    ]),
    heading(L.lines('audit.criteria'), 2),
    userText(a.criteria, none),
    ...drawn(whereAndWho(m, L)),
  ];
}

/** A statement part (content.ts) in Word; widths in points become shares of the text column, '*' one share of 100. */
function part(x: StatementPart): Block[] {
  switch (x.kind) {
    case 'list':
      return x.items.map(bullet);
    case 'text':
      return [p(x.text)];
    case 'empty':
      return [muted(x.text)];
    case 'table':
      return [
        table(
          x.widths.map((w) => (w === '*' ? 1 : w / 100)),
          x.header,
          x.rows.map((r) => r.map((c) => (typeof c === 'string' ? c : { text: c.text, align: c.align }))),
          x.small ? 16 : 17,
        ),
      ];
  }
}

const drawn = (list: Statement[]): Block[] => list.flatMap((s) => [heading(s.heading, 2), ...s.parts.flatMap(part)]);

function summaryConclusion(m: AuditReportModel, L: Labels): Block[] {
  const none = L.t('audit.notRecorded');
  const t = m.tally;
  return [
    heading(L.lines('audit.s2'), 1),
    p(
      L.para('audit.tally', {
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
    ),
    heading(L.lines('audit.summary'), 2),
    userText(m.audit.summary, none),
    heading(L.lines('audit.conclusion'), 2),
    userText(m.audit.conclusion, none),
    ...drawn([notCovered(m, L), ...statements(m, L)]),
  ];
}

/**
 * The readiness chart as a table of bars: a bar is a shaded cell as wide as the figure. Drawn as a table, not a
 * picture, because nothing installed rasterises the chart's SVG, and LibreOffice and WPS show only an SVG's bitmap
 * fallback; a table shows the same bars, labels and figures in every word processor, and stays editable.
 */
function readinessBars(bars: { label: string; value: number }[], title: string): Block[] {
  const labelW = Math.round(TEXT_WIDTH * 0.34);
  const valueW = 900;
  const barW = TEXT_WIDTH - labelW - valueW;
  const bar = (v: number) => {
    const filled = Math.round((Math.max(0, Math.min(100, v)) / 100) * barW);
    const part = (w: number, fill: string) =>
      new TableCell({
        width: { size: w, type: WidthType.DXA },
        shading: { type: ShadingType.CLEAR, color: 'auto', fill },
        children: [new Paragraph({ spacing: { after: 0 }, children: [new TextRun({ text: '', size: 14 })] })],
      });
    const parts = [
      filled > 0 ? part(filled, colour(v).slice(1)) : null,
      filled < barW ? part(barW - filled, SHADE) : null,
    ];
    return new Table({
      width: { size: barW, type: WidthType.DXA },
      columnWidths: parts.flatMap((x, i) => (x ? [i === 0 ? filled : barW - filled] : [])),
      layout: TableLayoutType.FIXED,
      borders: NO_BORDERS,
      rows: [new TableRow({ children: parts.filter((x): x is TableCell => x !== null) })],
    });
  };
  const cell = (w: number, children: (Paragraph | Table)[]) =>
    new TableCell({
      width: { size: w, type: WidthType.DXA },
      margins: { top: 50, bottom: 50, left: 80, right: 80 },
      children,
    });
  return [
    p(title, { bold: true, color: NAVY, size: 22 }, { spacingBefore: 160 }),
    new Table({
      width: { size: TEXT_WIDTH, type: WidthType.DXA },
      columnWidths: [labelW, barW, valueW],
      layout: TableLayoutType.FIXED,
      borders: NO_BORDERS,
      rows: bars.map(
        (b) =>
          new TableRow({
            cantSplit: true,
            children: [
              cell(labelW, [
                new Paragraph({ alignment: AlignmentType.RIGHT, spacing: { after: 0 }, children: runs(b.label) }),
              ]),
              cell(barW, [bar(b.value)]),
              cell(valueW, [new Paragraph({ spacing: { after: 0 }, children: runs(`${b.value.toFixed(1)}%`) })]),
            ],
          }),
      ),
    }),
  ];
}
const nil = { style: 'none', size: 0, color: 'FFFFFF' } as const;
const NO_BORDERS = { top: nil, bottom: nil, left: nil, right: nil, insideHorizontal: nil, insideVertical: nil };

/**
 * About how wide (points) a header cell must be at `pt` so that Word breaks none of its words: the longest word in
 * bold (Latin up to 0.72 em a letter, as wide as a substitute font draws it where Calibri is missing; Chinese a full
 * em, a Chinese line kept whole), plus the cell's margins.
 */
function columnWidth(header: string, pt: number, latin = 0.72): number {
  const words = header.split('\n').flatMap((line) => (/\p{Script=Han}/u.test(line) ? [line] : line.split(/\s+/)));
  const width = (w: string) => [...w].reduce((x, ch) => x + (/[\p{Script=Han}\uff00-\uffef]/u.test(ch) ? 1 : latin), 0);
  return Math.max(...words.map(width)) * pt + 12;
}

function resultsByClause(m: AuditReportModel, L: Labels): Block[] {
  const rows: Cell[][] = m.results.clauses.map((c) => [
    { text: `${c.id} ${L.pick(c.title)}` },
    { text: String(c.items), align: 'right' },
    ...SHOWN.map((v) => ({
      text: String(c.counts[v]),
      align: 'right' as const,
      color: c.counts[v] ? undefined : MUTED,
    })),
    { text: percent(c.readiness), align: 'right', bold: true },
  ]);
  const total = m.results.total;
  rows.push([
    { text: L.t('audit.overall'), bold: true },
    { text: String(total.items), bold: true, align: 'right' },
    ...SHOWN.map((v) => ({ text: String(total.counts[v]), align: 'right' as const, bold: true })),
    { text: percent(total.readiness), align: 'right', bold: true },
  ]);
  const both = L.lang === 'both';
  const size = both ? 14 : 16;
  // The figures' headers a size smaller, so that ten columns fit the page with whole words.
  const headSize = both ? size - 3 : size - 2;
  const figures = [L.para('audit.items'), ...SHOWN.map((v) => L.para(`verdictsShort.${v}`)), L.para('audit.readiness')];
  // In both languages the English line is drawn in the East-Asian font where Word substitutes it: wider letters.
  const latin = both ? 0.8 : 0.72;
  // As wide as the header's longest word and the column's widest figure ("100.0%").
  const widths = figures.map((h, i) =>
    Math.max(
      columnWidth(h, headSize / 2, latin),
      ...rows.map((r) => columnWidth((r[i + 1] as Cell).text, size / 2, latin)),
    ),
  );
  const clauseWidth = Math.max(90, TEXT_WIDTH / 20 - widths.reduce((x, w) => x + w, 0));
  // A clause with nothing examined has no bar (it is listed under the areas not covered), as in the PDF.
  const bars = [
    ...m.results.clauses.map((c) => ({ label: `${c.id} ${both ? c.title.zh : L.pick(c.title)}`, value: c.readiness })),
    { label: L.t('audit.overall'), value: m.results.total.readiness },
  ].flatMap((b) => (b.value === null ? [] : [{ label: b.label, value: b.value }]));
  return [
    heading(L.lines('audit.s3'), 1, true),
    table(
      // Each figure column as wide as its header's longest word (no "Conformi-ng"), the clause column the rest.
      [clauseWidth, ...widths],
      [
        { text: L.para('audit.clause'), size: headSize },
        ...figures.map((text) => ({ text, align: 'right' as const, size: headSize })),
      ],
      rows,
      size,
    ),
    muted(L.para(m.audit.selfAssessment ? 'audit.readinessLevels' : 'audit.readinessVerdicts')),
    ...readinessBars(bars, L.t('audit.chartTitle')),
  ];
}

const STATEMENT_OF: Record<EntryKind, string> = {
  major: 'audit.statementNonconformity',
  minor: 'audit.statementNonconformity',
  observation: 'audit.statementObservation',
  ofi: 'audit.statementOfi',
};

function entryBlock(e: ReportEntry, L: Labels): Block[] {
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
  const label = (key: string): Cell => ({ text: L.t(key), bold: true, color: MUTED });
  const body: Cell[][] = f
    ? [
        [label('audit.statementRequirement'), { text: f.statement.requirement || '—' }],
        [label('audit.statementEvidence'), { text: f.statement.evidence || '—' }],
        [label(STATEMENT_OF[e.entryKind]), { text: f.statement.nonconformity || '—' }],
      ]
    : [
        [label('audit.statementRequirement'), { text: e.requirementText ? L.pick(e.requirementText) : '—' }],
        [label('audit.notes'), { text: e.notes || '—' }],
      ];
  if (f?.actions.length) {
    const actions = f.actions.map(
      (x) =>
        `• ${x.ref} — ${x.description} (${[x.owner, x.dueDate, L.t(`actionStatus.${x.status}`)].filter(Boolean).join(', ')})`,
    );
    body.push([label('audit.actions'), { text: actions.join('\n') }]);
  }
  return [
    new Paragraph({
      keepNext: true,
      spacing: { before: 160, after: 40 },
      children: [
        new TextRun({ text: e.ref, bold: true, color: NAVY, font: FONT }),
        new TextRun({ text: `   ${meta}`, color: MUTED, size: 17, font: FONT }),
      ],
    }),
    table([1, 3.4], null, body, 18),
  ];
}

const entries = (key: string, list: ReportEntry[], L: Labels): Block[] => [
  heading(L.lines(key), 2),
  ...(list.length ? list.flatMap((e) => entryBlock(e, L)) : [muted(L.t('audit.none'))]),
];

const nonconformities = (m: AuditReportModel, L: Labels): Block[] => [
  heading(L.lines('audit.s4'), 1, true),
  ...entries('audit.major', m.sections.major, L),
  ...entries('audit.minor', m.sections.minor, L),
];

const observationsAndOfis = (m: AuditReportModel, L: Labels): Block[] => [
  heading(L.lines('audit.s5'), 1),
  ...entries('audit.observations', m.sections.observation, L),
  ...entries('audit.ofis', m.sections.ofi, L),
];

function signOff(m: AuditReportModel, L: Labels): Block[] {
  const line = '______________________________';
  // As in the PDF: each role's name and who accepted the report, and when (the only part an acceptance changes).
  const block = (role: string, name: string, accepted: string): Cell => ({
    text: [role, name || ' ', accepted, '', L.t('audit.signature'), '', line, L.t('audit.date'), '', line].join('\n'),
  });
  return [
    heading(L.lines('audit.signOff'), 1),
    muted(L.para('audit.signOffNote')),
    table([1, 1], null, [
      [
        block(L.t('audit.fields.leadAuditor'), m.audit.leadAuditor ?? '', acceptedLine(m, L, 'leadAuditor')),
        block(L.t('audit.auditeeRep'), m.content.auditeeRepresentative, acceptedLine(m, L, 'auditeeRepresentative')),
      ],
    ]),
  ];
}

function checklistAppendix(m: AuditReportModel, L: Labels): Block[] {
  const levels = m.audit.selfAssessment;
  const rows: Cell[][] = m.items.map((it) => [
    { text: it.id, bold: true, sub: L.pick(it.text) },
    {
      text:
        L.t(`verdicts.${it.verdict}`) + (levels && it.level !== null ? `\n${L.t('audit.level', { n: it.level })}` : ''),
    },
    { text: it.notes || '—' },
    { text: it.samples || '—' },
  ]);
  return [
    heading(L.lines('audit.appendixA'), 1, true),
    table(
      [L.lang === 'both' ? 170 : 140, 64, 190, 90],
      [L.t('audit.item'), L.t('audit.verdict'), L.t('audit.notes'), L.t('audit.samples')],
      rows,
      16,
    ),
  ];
}

function evidenceAppendix(m: AuditReportModel, L: Labels): Block[] {
  const rows: (Cell | string)[][] = m.evidence.map((e) => [
    { text: e.title, ...(e.fileName ? { sub: e.fileName } : {}) },
    L.t(`evidenceKinds.${e.kind}`),
    e.version || '—',
    { text: e.sha256 ? e.sha256.slice(0, 12) : L.t('audit.noFile'), ...(e.sha256 ? {} : { color: MUTED }) },
    { text: e.itemIds.join(', '), size: 14 },
  ]);
  return [
    heading(L.lines('audit.appendixB'), 1),
    m.evidence.length
      ? table(
          [200, 60, 50, 70, 120],
          [
            L.t('audit.evidenceTitle'),
            L.t('audit.evidenceKind'),
            L.t('audit.evidenceVersion'),
            L.t('audit.sha256'),
            L.t('audit.items'),
          ],
          rows,
          16,
        )
      : muted(L.t('audit.noEvidence')),
    muted(L.para('audit.sha256Note')),
  ];
}

/** "Page {{page}} of {{pages}}" with the two numbers as Word's PAGE and NUMPAGES fields. */
function pageOf(L: Labels): (string | (typeof PageNumber)[keyof typeof PageNumber])[] {
  const text = L.t('pageOf', { page: '[PAGE]', pages: '[NUMPAGES]' });
  return text
    .split(/(\[PAGE\]|\[NUMPAGES\])/)
    .filter(Boolean)
    .map((s) => (s === '[PAGE]' ? PageNumber.CURRENT : s === '[NUMPAGES]' ? PageNumber.TOTAL_PAGES : s));
}

/** The Word document (docx's model; `Packer.toBuffer` writes it). */
export function auditReportDocx(m: AuditReportModel, texts: Texts, lang: ReportLang): Document {
  const L = labels(texts, lang);
  const running = runningHeader(m, L);
  const small = { size: 15, color: MUTED, font: FONT };
  const standard = standardName(m, L);
  const section: ISectionOptions = {
    properties: {
      titlePage: true,
      page: {
        size: { width: PAGE.width, height: PAGE.height },
        margin: {
          top: PAGE.margin,
          bottom: PAGE.margin,
          left: PAGE.margin,
          right: PAGE.margin,
          header: 567,
          footer: 567,
        },
      },
    },
    headers: {
      first: new Header({ children: [new Paragraph('')] }),
      default: new Header({
        children: [
          new Paragraph({
            border: { bottom: { style: 'single', size: 4, color: RULE, space: 2 } },
            children: [new TextRun({ text: running, ...small })],
          }),
        ],
      }),
    },
    footers: Object.fromEntries(
      (['first', 'default'] as const).map((k) => [
        k,
        new Footer({
          children: [
            new Paragraph({
              tabStops: [{ type: TabStopType.RIGHT, position: TEXT_WIDTH }],
              children: [
                new TextRun({ text: `${reportReference(m)} · ${standard}`, ...small }),
                new TextRun({ children: ['\t', ...pageOf(L)], ...small }),
              ],
            }),
          ],
        }),
      ]),
    ),
    children: [
      ...cover(m, L),
      ...contents(L),
      ...objectivesScopeCriteria(m, L),
      ...summaryConclusion(m, L),
      ...resultsByClause(m, L),
      ...nonconformities(m, L),
      ...observationsAndOfis(m, L),
      ...signOff(m, L),
      ...checklistAppendix(m, L),
      ...evidenceAppendix(m, L),
    ],
  };
  const props = documentProperties(m, L);
  return new Document({
    title: props.title,
    creator: props.author,
    subject: props.subject,
    description: 'ISO/IEC 20000-1 audit workbench',
    lastModifiedBy: 'ISO/IEC 20000-1 audit workbench',
    // Word asks to refresh the table of contents' page numbers when the document is opened.
    features: { updateFields: true },
    styles: {
      ...styles,
      default: {
        ...styles.default,
        document: {
          ...styles.default?.document,
          // Spelling and line breaking: Latin text is English (in a Chinese or bilingual report too, so that its
          // words break between words, not anywhere), East-Asian text Chinese.
          run: {
            ...styles.default?.document?.run,
            language: { value: 'en-GB', eastAsia: 'zh-CN' },
          },
        },
      },
    },
    sections: [section],
  });
}
