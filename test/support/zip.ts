// Reading zip containers back in tests (an .xlsx or .docx is one) with fflate, installed by npm install.
import { strFromU8, unzipSync } from 'fflate';

/** The names of every part in the zip. */
export function zipParts(zip: Uint8Array): string[] {
  return Object.keys(unzipSync(new Uint8Array(zip)));
}

/** One part of a zip as UTF-8 text, e.g. xl/worksheets/sheet2.xml of an .xlsx; throws naming the parts there are. */
export function zipPart(zip: Uint8Array, part: string): string {
  const found = unzipSync(new Uint8Array(zip), { filter: (f) => f.name === part })[part];
  if (!found) throw new Error(`no part ${part} in the zip; it holds ${zipParts(zip).join(', ')}`);
  return strFromU8(found);
}
