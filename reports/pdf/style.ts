import type { Content, ContentTable, StyleDictionary, TableCell, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import { REPORT_FONT } from './render.js';

// The house style every PDF report shares: A4, Noto Sans SC, navy headings, light rules.
export const INK = '#1c2430';
export const NAVY = '#102a43';
export const MUTED = '#5b6675';
export const RULE = '#c9d2dc';
export const SHADE = '#eef1f5';

export const styles: StyleDictionary = {
  title: { fontSize: 24, bold: true, color: NAVY },
  subtitle: { fontSize: 14, color: MUTED },
  h1: { fontSize: 15, bold: true, color: NAVY, margin: [0, 14, 0, 6] },
  h2: { fontSize: 12, bold: true, color: NAVY, margin: [0, 10, 0, 4] },
  label: { bold: true, color: MUTED, fontSize: 8.5 },
  muted: { color: MUTED, fontSize: 8.5 },
  th: { bold: true, color: NAVY, fontSize: 8.5, fillColor: SHADE },
  small: { fontSize: 8 },
};

export const baseDocument = (): Pick<TDocumentDefinitions, 'pageSize' | 'pageMargins' | 'defaultStyle' | 'styles'> => ({
  pageSize: 'A4',
  pageMargins: [40, 56, 40, 48],
  defaultStyle: { font: REPORT_FONT, fontSize: 9.5, color: INK, lineHeight: 1.2 },
  styles,
});

/** Thin horizontal rules, no vertical ones: reads well printed and on screen. */
export const lightLayout = {
  hLineWidth: (i: number, node: ContentTable) => (i === 0 || i === node.table.body.length ? 0.8 : 0.4),
  vLineWidth: () => 0,
  hLineColor: () => RULE,
  paddingLeft: () => 4,
  paddingRight: () => 4,
  paddingTop: () => 3,
  paddingBottom: () => 3,
};

/** A heading: one line, or two (first language bold, second lighter) when the report is bilingual. */
export function heading(lines: string[], style: 'h1' | 'h2' = 'h1', extra: Record<string, unknown> = {}): Content {
  const [first, second] = lines;
  return {
    style,
    text: second
      ? [{ text: first! }, { text: `  ${second}`, color: MUTED, bold: false, fontSize: style === 'h1' ? 11 : 10 }]
      : first!,
    headlineLevel: style === 'h1' ? 1 : 2,
    ...extra,
  } as Content;
}

export const th = (text: string, alignment?: 'right'): TableCell => ({
  text,
  style: 'th',
  ...(alignment && { alignment }),
});

/** A table with a repeated header row and the light layout; a header given as a cell keeps its own alignment. */
export function table(
  widths: (string | number)[],
  header: (string | TableCell)[],
  rows: TableCell[][],
  extra: Partial<ContentTable> = {},
): Content {
  return {
    table: {
      headerRows: 1,
      keepWithHeaderRows: 1,
      dontBreakRows: true,
      widths,
      body: [header.map((h) => (typeof h === 'string' ? th(h) : h)), ...rows],
    },
    layout: lightLayout,
    ...extra,
  } as Content;
}

/** Label / value pairs in two columns. */
export function facts(pairs: [string, string][]): Content {
  return {
    table: { widths: [130, '*'], body: pairs.map(([k, v]) => [{ text: k, style: 'label' }, { text: v || '—' }]) },
    layout: lightLayout,
  } as Content;
}

/** A paragraph of user-written text; an empty one says so instead of leaving a hole. */
export const para = (text: string, empty: string): Content =>
  text.trim() ? { text, margin: [0, 0, 0, 6] } : { text: empty, style: 'muted', italics: true, margin: [0, 0, 0, 6] };
