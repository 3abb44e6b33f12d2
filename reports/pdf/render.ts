import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import pdfmake from 'pdfmake';
import type { TDocumentDefinitions } from 'pdfmake/interfaces.js';

// The one place that knows how PDFs are rendered: fonts, access policies, output.
// The Noto Sans SC TTFs (~21 MB) are read once into pdfmake's virtual file system, so a report never touches the disk.
export const REPORT_FONT = 'NotoSansSC';

const require = createRequire(import.meta.url);
const noto = (w: string) => require.resolve(`@expo-google-fonts/noto-sans-sc/${w}/NotoSansSC_${w}.ttf`);
interface VirtualFs { writeFileSync(name: string, content: Buffer): void }
let ready = false;

export function preloadFonts(): void {
  if (ready) return;
  const vfs = (pdfmake as unknown as { virtualfs: VirtualFs }).virtualfs; // present in 0.3, missing from the typings
  const regular = noto('400Regular');
  const bold = noto('700Bold');
  // Keyed by the real path: pdfmake's text finds the bytes in memory; SVG text (svg-to-pdfkit) opens the same path itself.
  vfs.writeFileSync(regular, readFileSync(regular));
  vfs.writeFileSync(bold, readFileSync(bold));
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

/** Reads the fonts and lays out a line of both scripts once, so the first real report does not pay for it. */
export async function warmUp(): Promise<void> {
  await renderPdf({ defaultStyle: { font: REPORT_FONT }, content: [{ text: '审核报告 Audit report' }, { text: '组织环境', bold: true }] }).catch(() => undefined);
}
