import {
  BorderStyle,
  HeadingLevel,
  type IStylesOptions,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';

// The house style of the Word documents: A4, Calibri for Latin text and SimSun (宋体) for Chinese, which Word, WPS and
// LibreOffice all have or substitute; headings in Word's own Heading 1/2 styles, so the navigation pane and the
// table of contents find them. Colours match the PDF's (reports/pdf/style.ts).
export const INK = '1C2430';
export const NAVY = '102A43';
export const MUTED = '5B6675';
export const RULE = 'C9D2DC';
export const SHADE = 'EEF1F5';

/** Latin and East-Asian faces of every run; `eastAsia` is the hint Word and WPS use for Chinese characters. */
export const FONT = { ascii: 'Calibri', hAnsi: 'Calibri', cs: 'Calibri', eastAsia: 'SimSun' } as const;

/** A4 in twentieths of a point, 2 cm margins: the text column is 9638 twips wide. */
export const PAGE = { width: 11906, height: 16838, margin: 1134 } as const;
export const TEXT_WIDTH = PAGE.width - 2 * PAGE.margin;

export const styles: IStylesOptions = {
  default: {
    document: { run: { font: FONT, size: 19, color: INK }, paragraph: { spacing: { after: 80, line: 264 } } },
    heading1: {
      run: { font: FONT, size: 30, bold: true, color: NAVY },
      paragraph: { spacing: { before: 280, after: 120 }, keepNext: true, keepLines: true },
    },
    heading2: {
      run: { font: FONT, size: 24, bold: true, color: NAVY },
      paragraph: { spacing: { before: 200, after: 80 }, keepNext: true, keepLines: true },
    },
  },
};

export interface RunStyle {
  bold?: boolean;
  color?: string;
  size?: number;
  italics?: boolean;
}

/** Text that may hold line breaks, as runs (a line break within the paragraph for each newline). */
export const runs = (text: string, style: RunStyle = {}): TextRun[] =>
  text.split('\n').map((line, i) => new TextRun({ text: line, break: i > 0 ? 1 : 0, font: FONT, ...style }));

export const p = (text: string, style: RunStyle = {}, extra: { spacingBefore?: number } = {}) =>
  new Paragraph({
    children: runs(text, style),
    ...(extra.spacingBefore !== undefined && { spacing: { before: extra.spacingBefore } }),
  });

export const muted = (text: string) => p(text, { color: MUTED, size: 17 });

/** A user-written paragraph; an empty one says so instead of leaving a hole. */
export const userText = (text: string, empty: string) =>
  text.trim() ? p(text) : p(empty, { color: MUTED, size: 17, italics: true });

export const bullet = (text: string) => new Paragraph({ children: runs(text), bullet: { level: 0 } });

/** A heading in Word's Heading 1 or 2 style: one line, or the second language on a lighter second line. */
export function heading(lines: string[], level: 1 | 2, pageBreakBefore = false): Paragraph {
  const [first, second] = lines;
  return new Paragraph({
    heading: level === 1 ? HeadingLevel.HEADING_1 : HeadingLevel.HEADING_2,
    pageBreakBefore,
    children: [
      new TextRun({ text: first ?? '', font: FONT }),
      ...(second
        ? [new TextRun({ text: second, break: 1, bold: false, color: MUTED, size: level === 1 ? 22 : 20, font: FONT })]
        : []),
    ],
  });
}

const rule = { style: BorderStyle.SINGLE, size: 4, color: RULE };
const none = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };
/** Thin horizontal rules, no vertical ones, as the PDF's tables. */
const LIGHT = { top: rule, bottom: rule, left: none, right: none, insideHorizontal: rule, insideVertical: none };

export interface Cell {
  text: string;
  align?: 'right';
  bold?: boolean;
  color?: string;
  size?: number;
  /** A second, smaller muted line (a file name under a title, the requirement under an item id). */
  sub?: string;
  fill?: string;
}

const cellOf = (c: Cell | string, width: number, header: boolean, size: number): TableCell => {
  const x: Cell = typeof c === 'string' ? { text: c } : c;
  const align = x.align === 'right' ? ('right' as const) : undefined;
  return new TableCell({
    width: { size: width, type: WidthType.DXA },
    margins: { top: 40, bottom: 40, left: 80, right: 80 },
    ...(header || x.fill ? { shading: { type: ShadingType.CLEAR, color: 'auto', fill: x.fill ?? SHADE } } : {}),
    children: [
      new Paragraph({
        alignment: align,
        spacing: { after: 0 },
        children: runs(x.text || '—', {
          bold: header || x.bold,
          color: header ? NAVY : x.color,
          size: x.size ?? size,
        }),
      }),
      ...(x.sub
        ? [new Paragraph({ spacing: { after: 0 }, children: runs(x.sub, { color: MUTED, size: size - 2 }) })]
        : []),
    ],
  });
};

/**
 * A table whose first row is a header row Word repeats at the top of every page (w:tblHeader); rows do not split
 * across pages. `widths` are fractions of the text column.
 */
export function table(widths: number[], header: (Cell | string)[] | null, rows: (Cell | string)[][], size = 17): Table {
  const sum = widths.reduce((a, b) => a + b, 0);
  const dxa = widths.map((w) => Math.floor((w / sum) * TEXT_WIDTH));
  const row = (cells: (Cell | string)[], isHeader: boolean) =>
    new TableRow({
      tableHeader: isHeader,
      cantSplit: true,
      children: cells.map((c, i) => cellOf(c, dxa[i]!, isHeader, size)),
    });
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: dxa,
    layout: TableLayoutType.FIXED,
    borders: LIGHT,
    rows: [...(header ? [row(header, true)] : []), ...rows.map((r) => row(r, false))],
  });
}

/** Label / value pairs in two columns, labels muted (the PDF's `facts`). */
export const facts = (pairs: [string, string][]): Table =>
  table(
    [1, 2.6],
    null,
    pairs.map(([k, v]) => [{ text: k, bold: true, color: MUTED }, v || '—']),
    18,
  );
