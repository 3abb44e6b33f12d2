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
  registerFont(name: string, src: Buffer): unknown;
  font(src: unknown, family?: unknown, size?: unknown): unknown;
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
  pdfkit.prototype.font = function (this: PdfKitDocument, src: unknown, family?: unknown, size?: unknown) {
    const preloaded = typeof src === 'string' ? bytes.get(src) : undefined;
    if (preloaded && !this._registeredFonts[src as string]) this.registerFont(src as string, preloaded);
    return font.call(this, src, family, size);
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
