// The thread behind test/support/pdf.ts: reads PDFs with Mozilla's pdf.js (an npm package, so no poppler is needed).
// pdf.js only answers asynchronously; running it here lets the tests wait for it synchronously (Atomics.wait).
import { parentPort, workerData } from 'node:worker_threads';
import { getDocument, Util } from 'pdfjs-dist/legacy/build/pdf.mjs';
import * as pdfjsWorker from 'pdfjs-dist/legacy/build/pdf.worker.mjs';

// pdf.js parses in this thread (its "fake worker"): loaded now, while the test sets up, not on the first document.
globalThis.pdfjsWorker = pdfjsWorker;

const { flag, port } = workerData;

parentPort.on('message', async ({ pdf, fonts }) => {
  let reply;
  try {
    reply = { pages: await read(pdf, fonts) };
  } catch (err) {
    reply = { error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) }; // pdf.js's stacks lack the message
  }
  port.postMessage(reply);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
});

/** Every non-blank text run of every page, in page coordinates (points, origin top left, y downwards). */
async function read(data, fonts) {
  const doc = await getDocument({ data, verbosity: 0, isEvalSupported: false }).promise;
  try {
    const pages = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const viewport = page.getViewport({ scale: 1 });
      const { items } = await page.getTextContent();
      // Font names (e.g. NotoSansSC-Bold) are known only once the page's operators are loaded: asked for on demand.
      if (fonts) await page.getOperatorList();
      const runs = [];
      for (const item of items) {
        if (!('str' in item) || item.str.trim() === '') continue;
        const [a, b, c, d, x, baseline] = Util.transform(viewport.transform, item.transform);
        const fontSize = Math.hypot(c, d);
        runs.push({
          page: n,
          text: item.str,
          x,
          y: baseline - fontSize,
          width: item.width,
          height: fontSize,
          fontSize,
          baseline,
          angle: Math.round((Math.atan2(b, a) * 180) / Math.PI),
          font: fonts ? fontName(page, item.fontName) : undefined,
        });
      }
      pages.push({ page: n, width: viewport.width, height: viewport.height, items: runs });
    }
    return pages;
  } finally {
    await doc.destroy();
  }
}

/** The embedded font's name without its subset tag: "CZZZZZ+NotoSansSC-Bold" → "NotoSansSC-Bold". */
function fontName(page, id) {
  const font = page.commonObjs.has(id) ? page.commonObjs.get(id) : undefined;
  return typeof font?.name === 'string' ? font.name.replace(/^[A-Z]{6}\+/, '') : undefined;
}
