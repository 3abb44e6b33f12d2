// Reading PDFs back in tests with pdf.js (pdfjs-dist, installed by npm install): text, and text with its position,
// so that tests can check both what a document says and how it is laid out. Synchronous, like the poppler calls
// it replaced: pdf.js runs in a worker thread (pdf-worker.mjs) while the test waits on a shared flag.
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';

/** One run of text as pdf.js finds it. Points; x and y from the page's top-left corner, y growing downwards. */
export interface PdfTextRun {
  page: number;
  text: string;
  /** Left edge. */
  x: number;
  /** Top of the text's em box (baseline − font size). */
  y: number;
  width: number;
  /** The em box's height: the font size. */
  height: number;
  fontSize: number;
  baseline: number;
  /** Degrees; 0 for horizontal text (a diagonal watermark is not). */
  angle: number;
  /** The embedded font without its subset tag (e.g. NotoSansSC-Bold); only from pdfLayout(). */
  font?: string;
}

/** Runs of horizontal text sharing a baseline, left to right: a line as a reader sees it. */
export interface PdfLine {
  page: number;
  text: string;
  x: number;
  y: number;
  width: number;
  height: number;
  /** The largest font size on the line. */
  fontSize: number;
  baseline: number;
  runs: PdfTextRun[];
}

export interface PdfPage {
  page: number;
  width: number;
  height: number;
  /** Every non-blank run, in the order the PDF draws them. */
  runs: PdfTextRun[];
  /** Horizontal text as lines, top to bottom; each rotated run (a watermark) follows as a line of its own. */
  lines: PdfLine[];
}

interface Reply {
  pages?: { page: number; width: number; height: number; items: PdfTextRun[] }[];
  error?: string;
}

// Started as soon as a test file imports this module, so that loading pdf.js (a second or more on a busy machine)
// overlaps the file's set-up instead of counting against its first test's time-out.
const reader = (() => {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(new URL('./pdf-worker.mjs', import.meta.url), {
    workerData: { flag, port: port2 },
    transferList: [port2],
  });
  worker.unref(); // an idle reader never keeps a test process alive
  return { worker, flag, port: port1 };
})();

function read(pdf: Uint8Array, fonts: boolean): NonNullable<Reply['pages']> {
  const { worker, flag, port } = reader;
  Atomics.store(flag, 0, 0);
  worker.postMessage({ pdf: new Uint8Array(pdf), fonts });
  if (Atomics.wait(flag, 0, 0, 60_000) === 'timed-out') throw new Error('pdf.js did not answer within 60 s');
  const reply = receiveMessageOnPort(port)?.message as Reply | undefined;
  if (!reply?.pages) throw new Error(`pdf.js could not read the PDF: ${reply?.error ?? 'no answer'}`);
  return reply.pages;
}

/** Where a run of text on the same line starts a new word: a gap wider than a sixth of the font size. */
const WORD_GAP = 1 / 6;

function toLines(runs: PdfTextRun[]): PdfLine[] {
  const horizontal = runs.filter((r) => r.angle === 0).sort((a, b) => a.baseline - b.baseline || a.x - b.x);
  const groups: PdfTextRun[][] = [];
  for (const run of horizontal) {
    const line = groups.at(-1);
    // Runs of one line may sit a point apart (a 8.5 pt label beside a 9.5 pt value in a table row).
    if (line && run.baseline - line[0]!.baseline < 0.5 * Math.min(run.fontSize, line[0]!.fontSize)) line.push(run);
    else groups.push([run]);
  }
  for (const run of runs) if (run.angle !== 0) groups.push([run]);
  return groups.map((group) => {
    const sorted = group.sort((a, b) => a.x - b.x);
    let text = '';
    let end = -Infinity;
    for (const run of sorted) {
      if (text && run.x - end > WORD_GAP * run.fontSize && !/\s$/.test(text) && !/^\s/.test(run.text)) text += ' ';
      text += run.text;
      end = Math.max(end, run.x + run.width);
    }
    const x = Math.min(...sorted.map((r) => r.x));
    const y = Math.min(...sorted.map((r) => r.y));
    const bottom = Math.max(...sorted.map((r) => r.y + r.height));
    return {
      page: sorted[0]!.page,
      text,
      x,
      y,
      width: end - x,
      height: bottom - y,
      fontSize: Math.max(...sorted.map((r) => r.fontSize)),
      baseline: Math.max(...sorted.map((r) => r.baseline)),
      runs: sorted,
    };
  });
}

function pages(pdf: Uint8Array, fonts: boolean): PdfPage[] {
  return read(pdf, fonts).map(({ items, ...page }) => ({ ...page, runs: items, lines: toLines(items) }));
}

/**
 * Every page with its text runs and lines, positioned, with font names: for layout checks such as "no heading is
 * the last line of a page" or "the running footer sits below the body".
 */
export function pdfLayout(pdf: Uint8Array): PdfPage[] {
  return pages(pdf, true);
}

/** The text of a PDF, line by line as read; pages end with a form feed (as poppler's pdftotext has it). */
export function pdfText(pdf: Uint8Array): string {
  return pages(pdf, false)
    .map((p) => `${p.lines.map((l) => l.text).join('\n')}\n\f`)
    .join('');
}
