import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { labels, type Texts } from './lang.js';
import { installFilterNames } from './xlsx/filter-names.js';
import { sheetName } from './xlsx/labels.js';
import { DATE_FORMAT, linesIn, rowPoints, styleHeader } from './xlsx/sheet.js';

// The nonconformity and corrective-action register, written as a stream: rows arrive page by page and leave at once,
// so memory stays flat however many rows there are (40,000 and more). Pure apart from writing to the given stream.

export interface NcRegisterRow {
  orgCode: string;
  orgName: string;
  ref: string;
  audit: string;
  item: string;
  clause: string;
  grade: string | null;
  status: string;
  nonconformity: string;
  /** From the nonconformity's lifecycle (10.1.1): the latest correction, cause analysis and effectiveness review. */
  correction: string;
  cause: string;
  /** null: not reviewed yet. */
  effective: boolean | null;
  verification: string;
  owner: string;
  raisedOn: string;
  dueDate: string | null;
  closedOn: string | null;
  daysOpen: number;
  overdue: boolean;
  actions: number;
  openActions: number;
}
export interface ActionRegisterRow {
  orgCode: string;
  ref: string;
  ncRef: string;
  description: string;
  owner: string;
  dueDate: string | null;
  status: string;
  completedOn: string | null;
  overdue: boolean;
}
export interface NcRegisterSource {
  title: string;
  generatedAt: string;
  nonconformities: AsyncIterable<NcRegisterRow[]>;
  actions: AsyncIterable<ActionRegisterRow[]>;
}

const MARGINS = { left: 0.4, right: 0.4, top: 0.5, bottom: 0.5, header: 0.3, footer: 0.3 };

// One shared style object per kind of column, registered once with the workbook's style table.
const DATE = { numFmt: DATE_FORMAT, alignment: { vertical: 'top' as const } };
const WRAP = { alignment: { vertical: 'top' as const, wrapText: true } };
const PLAIN = { alignment: { vertical: 'top' as const } };
interface Col<R> {
  header: string;
  width: number;
  /** A date column's value is its 'YYYY-MM-DD…' string (written as an Excel date); null leaves the cell empty. */
  value: (r: R) => string | number | null;
  date?: boolean;
  wrap?: boolean;
}

interface Drainable {
  writableNeedDrain?: boolean;
  _writableState?: { needDrain: boolean };
  once(event: 'drain', cb: () => void): unknown;
}
/**
 * The exceljs internals the row writer uses, typed here and used nowhere else: the sheet's stream into its zip entry
 * (and what it is piped to), and the workbook's style table (which gives a style object its `s` index).
 */
interface SheetInternals {
  stream: { write(xml: string): unknown; pipes?: Drainable[] };
}
interface StyleTable {
  addStyleModel(style: object, cellType: ExcelJS.ValueType): number;
}

/**
 * exceljs's streaming writer ignores backpressure: rows are turned into XML faster than the zip can deflate them,
 * and the XML piles up (about 100 MB for 40,000 rows). Waiting after each page of rows until the sheet's zip entry has
 * drained keeps memory flat. Nothing of the page is referenced while it waits: whatever lives across the idle-time
 * scavenges of a wait is promoted to the old generation, which only a full collection frees (+40 MB per export).
 */
async function drained(ws: ExcelJS.Worksheet, out: Writable): Promise<void> {
  const pipes = (ws as unknown as SheetInternals).stream.pipes ?? [];
  const busy = pipes.find((p) => p.writableNeedDrain ?? p._writableState?.needDrain); // node streams, or readable-stream's
  // A download abandoned half-way never drains: stop writing instead of waiting for ever.
  if (busy && !out.destroyed) {
    await new Promise<void>((resolve) => {
      // Whichever fires first removes the other listener, so they never pile up over 40,000 rows.
      const done = () => {
        (busy as unknown as Writable).removeListener('drain', done);
        out.removeListener('close', done);
        resolve();
      };
      busy.once('drain', done);
      out.once('close', done);
    });
  }
  if (out.destroyed) throw new Error('the download was abandoned');
}

/** Text as XML character data, escaped as exceljs escapes it (characters XML 1.0 forbids are dropped). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters to drop
const SPECIAL = /[<>&'"\x7F\x00-\x08\x0B-\x0C\x0E-\x1F]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the same characters
const EACH_SPECIAL = /[<>&'"\x7F\x00-\x08\x0B-\x0C\x0E-\x1F]/g;
const ENTITY: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' };
const xmlText = (s: string) => (SPECIAL.test(s) ? s.replace(EACH_SPECIAL, (c) => ENTITY[c] ?? '') : s);
/** Excel's serial day number of a date (the 1900 date system): days since 1899-12-30. */
const serialDay = (d: string) =>
  25569 + Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10))) / 86_400_000;
const letters = (n: number) => {
  let s = '';
  for (let c = n; c > 0; c = Math.floor((c - 1) / 26)) s = String.fromCharCode(65 + ((c - 1) % 26)) + s;
  return s;
};

/**
 * A sheet whose data rows are written as XML straight into the sheet's zip entry. exceljs writes everything else
 * (columns, the header row, views, autofilter, page setup, styles, the workbook); the rows are the XML its own row
 * writer would give them, byte for byte, without its per-row and per-cell objects, which cost most of the export's
 * time and memory churn (40,000 rows × 20 cells).
 */
function sheet<R>(ws: ExcelJS.Worksheet, styleTable: StyleTable, out: Writable, columns: Col<R>[]) {
  ws.columns = columns.map((c) => ({ header: c.header, width: c.width }));
  const h = ws.getRow(1);
  styleHeader(h);
  const head = rowPoints(Math.max(...columns.map((c) => linesIn(c.header, c.width, true))));
  if (head) h.height = head;
  h.commit(); // writes <cols>, opens <sheetData> and writes row 1
  const stream = (ws as unknown as SheetInternals).stream;
  const refs = columns.map((_, i) => `<c r="${letters(i + 1)}`);
  const spans = ` spans="1:${columns.length}" x14ac:dyDescent="0.25">`;
  let ids: number[] | undefined;
  // Rows with the same value in a wrapped column take the same lines (names, titles, labels repeat across rows).
  const lineMemo = columns.map(() => new Map<string, number>());
  let count = 0;
  let xml = '';
  return {
    add(r: R) {
      const number = count + 2;
      // Each style's index, as exceljs assigns it on the style's first use (its type matters only without numFmt).
      ids ??= columns.map((col) =>
        styleTable.addStyleModel(
          col.date ? DATE : col.wrap ? WRAP : PLAIN,
          col.date ? ExcelJS.ValueType.Date : ExcelJS.ValueType.String,
        ),
      );
      let lines = 1;
      let cells = '';
      for (let i = 0; i < columns.length; i++) {
        const c = columns[i]!;
        const v = c.value(r);
        const cell = `${refs[i]}${number}" s="${ids[i]}"`;
        if (v === null) cells += `${cell}/>`;
        else if (typeof v === 'number') cells += `${cell}><v>${v}</v></c>`;
        else if (c.date) cells += `${cell}><v>${serialDay(v)}</v></c>`;
        else {
          cells += `${cell} t="str"><v>${xmlText(v)}</v></c>`;
          if (c.wrap && v !== '') {
            const memo = lineMemo[i]!;
            let n = memo.get(v);
            if (n === undefined) {
              n = linesIn(v, c.width, true);
              if (memo.size > 10_000) memo.clear();
              memo.set(v, n);
            }
            if (n > lines) lines = n;
          }
        }
      }
      // Tall enough for the wrapped text (no program but Excel measures rows when it opens a file).
      const pt = rowPoints(lines);
      xml += `<row r="${number}"${pt ? ` ht="${pt}" customHeight="1"` : ''}${spans}${cells}</row>`;
      // Sent on in pieces of at most ~16,000 characters: a longer string is allocated in V8's large-object space,
      // which only a full collection frees (hundreds of them per export held ~100 MB more at the peak).
      if (xml.length > 16_000) {
        stream.write(xml);
        xml = '';
      }
      count++;
    },
    addAll(rows: readonly R[]) {
      for (const r of rows) this.add(r);
    },
    /** Sends the rows added so far into the zip entry, then waits until it has taken them. */
    async drained() {
      if (xml) stream.write(xml);
      xml = '';
      await drained(ws, out);
    },
    close() {
      if (xml) stream.write(xml);
      xml = '';
      ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: count + 1, column: columns.length } };
      ws.commit();
      return count;
    },
  };
}

export async function writeNcRegister(
  out: Writable,
  src: NcRegisterSource,
  texts: Texts,
  lang: 'zh' | 'en',
): Promise<number> {
  const L = labels(texts, lang);
  installFilterNames();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = 'ISO/IEC 20000-1 audit workbench';
  wb.created = new Date(src.generatedAt);
  wb.title = src.title;
  const styleTable = (wb as unknown as { styles: StyleTable }).styles;
  const view = {
    views: [{ state: 'frozen' as const, xSplit: 0, ySplit: 1 }],
    // Fitted to the page's width; the widths below sum to what a landscape A4 page holds at 8/11 scale (8-point text).
    pageSetup: {
      orientation: 'landscape' as const,
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      paperSize: 9,
      printTitlesRow: '1:1',
      margins: MARGINS,
    },
    headerFooter: { oddFooter: '&L&A&R&P / &N' },
  };

  const yes = L.t('register.yes');
  const memo = new Map<string, string>(); // a label per status or grade, not an i18next call per row
  const label = (key: string) => memo.get(key) ?? memo.set(key, L.t(key)).get(key)!;
  const nc = sheet<NcRegisterRow>(wb.addWorksheet(sheetName(L, 'register.sheetNc'), view), styleTable, out, [
    // Twenty columns on one landscape page at 8-point text or more: narrow columns, the long texts wrap.
    { header: L.t('register.org'), width: 6, value: (r) => r.orgCode },
    { header: L.t('register.orgName'), width: 11, wrap: true, value: (r) => r.orgName },
    { header: L.t('register.number'), width: 11, value: (r) => r.ref },
    { header: L.t('register.audit'), width: 10, wrap: true, value: (r) => r.audit },
    { header: L.t('register.item'), width: 7, value: (r) => r.item },
    { header: L.t('register.clause'), width: 7, value: (r) => r.clause },
    { header: L.t('register.grade'), width: 7, wrap: true, value: (r) => (r.grade ? label(`grades.${r.grade}`) : '') },
    { header: L.t('register.status'), width: 9, wrap: true, value: (r) => label(`findingStatus.${r.status}`) },
    { header: L.t('register.nonconformity'), width: 18, wrap: true, value: (r) => r.nonconformity },
    { header: L.t('register.correction'), width: 13, wrap: true, value: (r) => r.correction },
    { header: L.t('register.cause'), width: 13, wrap: true, value: (r) => r.cause },
    {
      header: L.t('register.effectiveness'),
      width: 13,
      wrap: true,
      value: (r) =>
        r.effective === null
          ? ''
          : `${label(r.effective ? 'register.effective' : 'register.notEffective')}${r.verification ? `: ${r.verification}` : ''}`,
    },
    { header: L.t('register.owner'), width: 8, wrap: true, value: (r) => r.owner },
    { header: L.t('register.raised'), width: 10, date: true, value: (r) => r.raisedOn },
    { header: L.t('register.due'), width: 10, date: true, value: (r) => r.dueDate },
    { header: L.t('register.closed'), width: 10, date: true, value: (r) => r.closedOn },
    { header: L.t('register.daysOpen'), width: 6, value: (r) => r.daysOpen },
    { header: L.t('register.overdue'), width: 7, wrap: true, value: (r) => (r.overdue ? yes : '') },
    { header: L.t('register.actions'), width: 7, value: (r) => r.actions },
    { header: L.t('register.openActions'), width: 7, value: (r) => r.openActions },
  ]);
  for await (const page of src.nonconformities) {
    nc.addAll(page);
    await nc.drained(); // the page is no longer referenced while this waits
  }
  const count = nc.close();

  const ca = sheet<ActionRegisterRow>(wb.addWorksheet(sheetName(L, 'register.sheetActions'), view), styleTable, out, [
    { header: L.t('register.org'), width: 10, value: (r) => r.orgCode },
    { header: L.t('register.actionRef'), width: 16, value: (r) => r.ref },
    { header: L.t('register.ref'), width: 14, value: (r) => r.ncRef },
    { header: L.t('register.description'), width: 50, wrap: true, value: (r) => r.description },
    { header: L.t('register.owner'), width: 14, value: (r) => r.owner },
    { header: L.t('register.due'), width: 12, date: true, value: (r) => r.dueDate },
    { header: L.t('register.status'), width: 12, value: (r) => label(`actionStatus.${r.status}`) },
    { header: L.t('register.completed'), width: 12, date: true, value: (r) => r.completedOn },
    { header: L.t('register.overdue'), width: 9, value: (r) => (r.overdue ? yes : '') },
  ]);
  for await (const page of src.actions) {
    ca.addAll(page);
    await ca.drained(); // the page is no longer referenced while this waits
  }
  ca.close();
  await wb.commit();
  return count;
}
