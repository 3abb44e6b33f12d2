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
  /** The running header and the footer. */
  running: { fontSize: 7.5, color: MUTED },
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

/**
 * A heading: one line, or two (first language bold, second lighter) when the report is bilingual. It is a bookmark of
 * the PDF's outline and never ends a page (both through `prepareHeadings`).
 */
export function heading(lines: string[], style: 'h1' | 'h2' = 'h1', extra: Record<string, unknown> = {}): Content {
  const [first, second] = lines;
  return {
    style,
    text: second
      ? [{ text: first! }, { text: `  ${second}`, color: MUTED, bold: false, fontSize: style === 'h1' ? 11 : 10 }]
      : first!,
    headlineLevel: style === 'h1' ? 1 : 2,
    outline: true,
    outlineText: lines.join(' / '),
    ...extra,
  } as Content;
}

type Node_ = Record<string, unknown> & {
  headlineLevel?: number;
  id?: string;
  outlineParentId?: string;
  stack?: unknown[];
  columns?: unknown[];
  ul?: unknown[];
  ol?: unknown[];
  table?: { body: unknown[][]; headerRows?: number };
  text?: unknown;
};

/** The first line of text a node draws (a string in a list is made an object, so that it can carry an id). */
function firstText(list: unknown[], i: number): Node_ | null {
  const item = list[i];
  if (item === undefined) return null;
  if (typeof item === 'string') {
    const node: Node_ = { text: item };
    list[i] = node;
    return node;
  }
  if (Array.isArray(item)) return firstText(item, 0);
  if (typeof item !== 'object' || item === null) return null;
  const n = item as Node_;
  if (n.stack) return firstText(n.stack, 0);
  if (n.columns) return firstText(n.columns, 0);
  if (n.ul) return firstText(n.ul, 0);
  if (n.ol) return firstText(n.ol, 0);
  // A table's first body row: its header row is drawn again on the next page when the body moves there.
  if (n.table) return firstText(n.table.body[n.table.headerRows ?? 0] ?? n.table.body[0] ?? [], 0);
  return n.text !== undefined ? n : null;
}

/**
 * Readies a document's headings (from `heading`): each section's bookmark nests under its chapter's, and no heading
 * ends a page. pdfmake records where a line was first laid out, and a line of an unbreakable block or of a table row
 * that moved on to the next page keeps the page it was tried on, except for a line with an id, whose first position
 * follows it. So each heading and the first line after it get ids, and `pageBreakBefore` moves a heading to the next
 * page when that line does not start on the heading's page.
 */
export function prepareHeadings(content: Content[]): Pick<TDocumentDefinitions, 'content' | 'pageBreakBefore'> {
  const follower = new Map<string, string>();
  let chapter = 0;
  let n = 0;
  const visit = (list: unknown[]) => {
    list.forEach((item, i) => {
      if (typeof item !== 'object' || item === null) return;
      if (Array.isArray(item)) {
        visit(item);
        return;
      }
      const node = item as Node_;
      if (node.headlineLevel === 1) node.id ??= `chapter-${++chapter}`;
      else if (node.headlineLevel === 2 && chapter) node.outlineParentId = `chapter-${chapter}`;
      if (node.headlineLevel) {
        node.id ??= `heading-${++n}`;
        // Headings in a row: each stays with the first text after the last of them.
        let j = i + 1;
        while ((list[j] as Node_ | undefined)?.headlineLevel) j++;
        const next = firstText(list, j);
        if (next) {
          next.id ??= `${node.id}-next`;
          follower.set(node.id, next.id);
        }
      }
      if (node.stack) visit(node.stack);
    });
  };
  visit(content);
  return {
    content,
    pageBreakBefore: (node, q) => {
      const next = node.id === undefined ? undefined : follower.get(node.id);
      if (next === undefined) return false;
      const page = node.startPosition.pageNumber;
      return !q.getFollowingNodesOnPage().some((f) => f.id === next && f.startPosition.pageNumber === page);
    },
  };
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
