import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import pdfmake from 'pdfmake';
import type { TDocumentDefinitions } from 'pdfmake/interfaces.js';

// The one place that knows how PDFs are rendered: fonts, access policies, output.
export const REPORT_FONT = 'NotoSansSC';

const require = createRequire(import.meta.url);
const noto = (w: string) => require.resolve(`@expo-google-fonts/noto-sans-sc/${w}/NotoSansSC_${w}.ttf`);

/** The part of pdfkit's document (which pdfmake's extends) this adapter touches. */
interface PdfKitDocument {
  _registeredFonts: Record<string, unknown>;
  _fontFamilies: Record<string, unknown>;
  _fontCount: number;
  _font: EmbeddedFont | null;
  registerFont(name: string, src: Buffer): unknown;
  font(src: unknown, family?: unknown, size?: unknown): unknown;
  outline: OutlineItem;
  initOutline(): void;
}
/** pdfkit's outline (bookmark) node. */
interface OutlineItem {
  addItem(title: string, options?: Record<string, unknown>): OutlineItem;
}
/** pdfkit's per-document wrapper of a parsed (fontkit) font: it keeps the document's subset and layout cache. */
interface EmbeddedFont {
  font: unknown;
  constructor: new (doc: PdfKitDocument, font: unknown, id: string) => EmbeddedFont;
}
let ready = false;

/**
 * Reads Noto Sans SC Regular and Bold (~21 MB) once. pdfmake's text and the readiness chart's SVG text
 * (svg-to-pdfkit) both ask pdfkit for the font by its file path; pdfkit would read the file from disk and parse it
 * for each of them in every document. Registering the preloaded bytes under that path the first time a document
 * asks makes both share one font object per weight, read from memory.
 */
export function preloadFonts(): void {
  if (ready) return;
  const regular = noto('400Regular');
  const bold = noto('700Bold');
  const bytes = new Map([
    [regular, readFileSync(regular)],
    [bold, readFileSync(bold)],
  ]);
  const pdfkit = createRequire(require.resolve('pdfmake'))('pdfkit') as { prototype: PdfKitDocument };
  const font = pdfkit.prototype.font;
  // pdfkit would also parse each weight's tables (cmap, metrics, glyphs: ~20 MB of CJK) anew in every document. The
  // parsed font is only read by pdfkit: the first document's is wrapped again for each later one, so a render thread
  // parses each weight once; the wrapper keeps each document's own subset and layout cache.
  const parsed = new Map<string, EmbeddedFont>();
  pdfkit.prototype.font = function (this: PdfKitDocument, src: unknown, family?: unknown, size?: unknown) {
    const path = typeof src === 'string' ? src : '';
    const preloaded = bytes.get(path);
    if (preloaded) {
      if (!this._registeredFonts[path]) this.registerFont(path, preloaded);
      const first = parsed.get(path);
      if (first && !this._fontFamilies[path])
        this._fontFamilies[path] = new first.constructor(this, first.font, `F${++this._fontCount}`);
    }
    const r = font.call(this, src, family, size);
    if (preloaded && !parsed.has(path) && this._font) parsed.set(path, this._font);
    return r;
  };
  // pdfmake adds each bookmark with pdfkit's default options, which point it at the page's right edge (an "XYZ"
  // destination whose left is the page width: a viewer scrolls there); a bookmark shows its whole page instead.
  const initOutline = pdfkit.prototype.initOutline;
  pdfkit.prototype.initOutline = function (this: PdfKitDocument) {
    initOutline.call(this);
    const outline = Object.getPrototypeOf(this.outline) as OutlineItem;
    if (outline.addItem.name === 'addItem') {
      const addItem = outline.addItem;
      outline.addItem = function fitPage(this: OutlineItem, title: string, options: Record<string, unknown> = {}) {
        return addItem.call(this, title, { expanded: false, ...options, fit: true });
      };
    }
  };
  pdfmake.addFonts({ [REPORT_FONT]: { normal: regular, bold, italics: regular, bolditalics: bold } });
  // Reports never fetch anything: no URLs, and locally only the fonts.
  pdfmake.setUrlAccessPolicy(() => false);
  pdfmake.setLocalAccessPolicy((p) => /\.(ttf|otf)$/i.test(p));
  ready = true;
}

/** Renders a document definition; the same definition (with a fixed `info.creationDate`) gives the same bytes. */
export async function renderPdf(def: TDocumentDefinitions): Promise<Buffer> {
  preloadFonts();
  return pdfmake.createPdf(def).getBuffer();
}
