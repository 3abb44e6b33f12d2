import { reportReference, standardName } from './reference.js';
import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import { labels, type ReportLang, type Texts } from '../lang.js';
import { REPORT_FONT } from '../pdf/render.js';
import { baseDocument, prepareHeadings, RULE } from '../pdf/style.js';
import { checklistAppendix, evidenceAppendix, signOff } from './appendix.js';
import { documentProperties, isIssued, runningHeader } from './facts.js';
import type { AuditReportModel } from './model.js';
import {
  cover,
  nonconformities,
  objectivesScopeCriteria,
  observationsAndOfis,
  resultsByClause,
  summaryConclusion,
} from './sections.js';

/**
 * The audit report as a pdfmake document: pure, no I/O. The creation date is the model's own time (the issue time for
 * an issued audit), so the same model always renders to the same bytes.
 */
export function auditReportPdf(m: AuditReportModel, texts: Texts, lang: ReportLang): TDocumentDefinitions {
  const L = labels(texts, lang);
  const issued = isIssued(m);
  const running = runningHeader(m, L);
  const content: Content[] = [
    ...cover(m, L),
    ...objectivesScopeCriteria(m, L),
    ...summaryConclusion(m, L),
    ...resultsByClause(m, L),
    ...nonconformities(m, L),
    ...observationsAndOfis(m, L),
    ...signOff(m, L),
    ...checklistAppendix(m, L),
    ...evidenceAppendix(m, L),
  ];
  return {
    ...baseDocument(),
    info: {
      ...documentProperties(m, L),
      creator: 'ISO/IEC 20000-1 audit workbench',
      producer: 'ISO/IEC 20000-1 audit workbench (pdfmake)',
      creationDate: new Date(m.generatedAt),
    },
    language: lang === 'en' ? 'en' : 'zh-CN',
    ...(issued ? {} : { watermark: { text: L.t('audit.draft'), opacity: 0.06, bold: true, font: REPORT_FONT } }),
    // A ruled running header from page 2 on (a one-cell table: pdfmake 0.3.11 fails on canvas nodes in headers).
    header: (page) =>
      page === 1
        ? null
        : {
            table: {
              widths: ['*'],
              body: [[{ text: running, style: 'running', border: [false, false, false, true] }]],
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
    // One line: the report's reference and the standard on the left, the page on the right.
    footer: (page, pages) => ({
      margin: [40, 12, 40, 0],
      columns: [
        { text: `${reportReference(m)} · ${standardName(m, L)}`, style: 'running' },
        { text: L.t('pageOf', { page, pages }), alignment: 'right', style: 'running', width: 'auto' },
      ],
      columnGap: 12,
    }),
    ...prepareHeadings(content),
  };
}
