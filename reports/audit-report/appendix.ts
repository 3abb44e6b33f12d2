import type { Content, TableCell } from 'pdfmake/interfaces.js';
import type { Labels } from '../lang.js';
import { heading, MUTED, table } from '../pdf/style.js';
import { acceptedLine } from './facts.js';
import type { AuditReportModel } from './model.js';

// Appendices and the sign-off block: the complete checklist results and the evidence examined.

const VERDICT_COLOUR: Record<string, string> = {
  conforming: '#1e7b3c',
  ofi: '#1e7b3c',
  observation: '#9a6700',
  minor_nc: '#b3261e',
  major_nc: '#b3261e',
  not_assessed: MUTED,
  not_audited: MUTED,
};

export function checklistAppendix(m: AuditReportModel, L: Labels): Content[] {
  const levels = m.audit.selfAssessment;
  const rows: TableCell[][] = m.items.map((it) => [
    {
      stack: [
        { text: it.id, bold: true },
        { text: L.pick(it.text), style: 'muted', fontSize: 7 },
      ],
    },
    {
      text:
        L.t(`verdicts.${it.verdict}`) + (levels && it.level !== null ? `\n${L.t('audit.level', { n: it.level })}` : ''),
      color: VERDICT_COLOUR[it.verdict],
    },
    { text: it.notes || '—' },
    { text: it.samples || '—' },
  ]);
  return [
    heading(L.lines('audit.appendixA'), 'h1', { pageBreak: 'before' }),
    table(
      [L.lang === 'both' ? 170 : 140, 64, '*', 90],
      [L.t('audit.item'), L.t('audit.verdict'), L.t('audit.notes'), L.t('audit.samples')],
      rows,
      { fontSize: 8 },
    ),
  ];
}

export function evidenceAppendix(m: AuditReportModel, L: Labels): Content[] {
  const rows: TableCell[][] = m.evidence.map((e) => [
    { stack: [{ text: e.title }, ...(e.fileName ? [{ text: e.fileName, style: 'muted', fontSize: 7 }] : [])] },
    L.t(`evidenceKinds.${e.kind}`),
    e.version || '—',
    {
      text: e.sha256 ? e.sha256.slice(0, 12) : L.t('audit.noFile'),
      font: undefined,
      color: e.sha256 ? undefined : MUTED,
    },
    { text: e.itemIds.join(', '), fontSize: 7 },
  ]);
  return [
    heading(L.lines('audit.appendixB'), 'h1'),
    m.evidence.length
      ? table(
          ['*', 60, 50, 70, 120],
          [
            L.t('audit.evidenceTitle'),
            L.t('audit.evidenceKind'),
            L.t('audit.evidenceVersion'),
            L.t('audit.sha256'),
            L.t('audit.items'),
          ],
          rows,
          { fontSize: 8 },
        )
      : { text: L.t('audit.noEvidence'), style: 'muted' },
    { text: L.para('audit.sha256Note'), style: 'muted', margin: [0, 4, 0, 0] },
  ];
}

export function signOff(m: AuditReportModel, L: Labels): Content[] {
  const line = (): Content => ({ text: '\n\n______________________________', color: MUTED }); // a fresh node each time: pdfmake annotates nodes
  const block = (role: string, name: string, accepted: string): Content => ({
    stack: [
      { text: role, style: 'label' },
      { text: name || ' ', margin: [0, 2, 0, 0] },
      { text: accepted, style: 'muted', margin: [0, 4, 0, 0] },
      { text: L.t('audit.signature'), style: 'muted', margin: [0, 10, 0, 0] },
      line(),
      { text: L.t('audit.date'), style: 'muted', margin: [0, 8, 0, 0] },
      line(),
    ],
  });
  // The heading, the note and both signature blocks on one page.
  return [
    {
      stack: [
        heading(L.lines('audit.signOff'), 'h1', { margin: [0, 24, 0, 6] }),
        { text: L.para('audit.signOffNote'), style: 'muted', margin: [0, 0, 0, 10] },
        {
          columns: [
            block(L.t('audit.fields.leadAuditor'), m.audit.leadAuditor ?? '', acceptedLine(m, L, 'leadAuditor')),
            block(
              L.t('audit.auditeeRep'),
              m.content.auditeeRepresentative,
              acceptedLine(m, L, 'auditeeRepresentative'),
            ),
          ],
          columnGap: 30,
        },
      ],
      unbreakable: true,
    } as Content,
  ];
}
