import { DEFAULT_TIME_ZONE } from '../../src/domain/time-zone.js';
import type { Content, TableCell, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import type { ReviewInput } from '../../src/domain/management-review.js';
import { day, labels, type Labels, type ReportLang, type Texts } from '../lang.js';
import { baseDocument, facts, heading, MUTED, NAVY, para, RULE, table, th } from '../pdf/style.js';
import type { ReviewPackModel } from './model.js';

// The 9.3 a)–l) input pack for top management, one section per input: figures with the previous period for trends,
// breakdowns, the actions concerned, and the narrative for what the registers cannot know. Pure.

function inputSection(x: ReviewInput, L: Labels, R: Labels): Content[] {
  const out: Content[] = [
    heading([`${x.clause} ${R.t(`input.${x.id}`)}`], 'h2'),
    {
      text: [R.t(`source.${x.source}`), x.period ? ` · ${day(x.period.from)} – ${day(x.period.to)}` : ''].join(''),
      style: 'muted',
      margin: [0, 0, 0, 4],
    },
  ];
  if (x.figures.length) {
    const trend = x.figures.some((f) => f.previous !== undefined);
    const rows: TableCell[][] = x.figures.map((f) => [
      R.t(`figures.${f.key}`),
      { text: String(f.value), alignment: 'right', bold: true },
      ...(trend
        ? [{ text: f.previous === undefined ? '' : String(f.previous), alignment: 'right' as const, color: MUTED }]
        : []),
    ]);
    out.push(
      table(
        trend ? ['*', 70, 70] : ['*', 70],
        [
          L.t('review.figure'),
          th(L.t('review.thisPeriod'), 'right'),
          ...(trend ? [th(L.t('review.previousPeriod'), 'right')] : []),
        ],
        rows,
      ),
    );
  }
  if (x.breakdown.length) {
    out.push(
      { text: L.t('review.breakdown'), style: 'label', margin: [0, 6, 0, 2] },
      table(
        ['*', 70],
        [L.t('review.item'), th(L.t('review.count'), 'right')],
        x.breakdown.map((b) => [b.label, { text: String(b.value), alignment: 'right' }]),
      ),
    );
  }
  if (x.entries.length) {
    out.push(
      { text: L.t('review.actions'), style: 'label', margin: [0, 6, 0, 2] },
      table(
        [70, '*', 70, 60],
        [L.t('review.ref'), L.t('review.action'), L.t('review.status'), L.t('review.due')],
        x.entries.map((e) => [
          e.ref,
          e.label,
          L.t(`actionStatus.${e.status}`),
          {
            text: `${e.dueDate ?? '—'}${e.overdue ? ` (${L.t('review.overdue')})` : ''}`,
            color: e.overdue ? '#b3261e' : undefined,
          },
        ]),
      ),
    );
  }
  out.push(
    { text: L.t('review.narrative'), style: 'label', margin: [0, 6, 0, 2] },
    para(x.narrative, L.t('review.noNarrative')),
  );
  return out;
}

export function reviewInputsPdf(
  m: ReviewPackModel,
  texts: Texts,
  reviewTexts: Texts,
  lang: ReportLang,
): TDocumentDefinitions {
  const L = labels(texts, lang);
  const R = labels(reviewTexts, lang);
  const r = m.review;
  const p = m.pack;
  const running = `${r.organization.name} · ${r.ref} ${r.title}`;
  return {
    ...baseDocument(),
    info: {
      title: `${L.t('review.title')} — ${r.title}`,
      author: r.organization.name,
      subject: `${r.organization.name} · ISO/IEC 20000-1:2018 9.3`,
      creator: 'ISO/IEC 20000-1 audit workbench',
      creationDate: new Date(m.generatedAt),
    },
    language: lang === 'en' ? 'en' : 'zh-CN',
    header: (page) =>
      page === 1
        ? null
        : {
            table: {
              widths: ['*'],
              body: [[{ text: running, fontSize: 7.5, color: MUTED, border: [false, false, false, true] }]],
            },
            layout: {
              hLineWidth: () => 0.5,
              hLineColor: () => RULE,
              vLineWidth: () => 0,
              paddingLeft: () => 0,
              paddingRight: () => 0,
            },
            margin: [40, 22, 40, 0],
          },
    footer: (page, pages) => ({
      margin: [40, 12, 40, 0],
      columns: [
        { text: `${r.organization.code} · ${r.ref}`, fontSize: 7.5, color: MUTED },
        { text: L.t('pageOf', { page, pages }), alignment: 'right', fontSize: 7.5, color: MUTED },
      ],
    }),
    pageBreakBefore: (node, q) => Boolean(node.headlineLevel) && q.getFollowingNodesOnPage().length === 0,
    content: [
      { text: r.organization.name, style: 'subtitle', margin: [0, 10, 0, 4] },
      { text: L.lines('review.title').join('\n'), style: 'title', fontSize: 20 },
      { text: `${r.ref} · ${r.title}`, fontSize: 13, color: NAVY, margin: [0, 6, 0, 12] },
      facts([
        [L.t('review.heldOn'), day(r.heldOn)],
        [L.t('review.period'), `${day(p.period.from)} – ${day(p.period.to)}`],
        [L.t('review.previousPeriod'), `${day(p.previousPeriod.from)} – ${day(p.previousPeriod.to)}`],
        [L.t('review.attendees'), r.attendees || '—'],
        [L.t('review.generated'), day(m.generatedAt, m.review.organization.timeZone ?? DEFAULT_TIME_ZONE)],
      ]),
      { text: L.para('review.intro'), style: 'muted', margin: [0, 8, 0, 0] },
      ...p.items.flatMap((x) => inputSection(x, L, R)),
    ],
  };
}
