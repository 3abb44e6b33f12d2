import { createRequire } from 'node:module';

// Autofilters that survive other programs. Excel writes, beside each sheet's <autoFilter>, a hidden defined name
// `_xlnm._FilterDatabase` scoped to that sheet; LibreOffice (and WPS) rebuild the filter from that name and drop a
// filter that has none when they save. exceljs 4.4 writes neither the name nor the `hidden` attribute, and its
// `definedNames.add` makes only workbook-wide names; so the two exceljs classes that write workbook.xml are taught
// once, on the render thread, to add the name for every sheet with a filter (the buffered and the streaming writer
// both go through them). Nothing else of exceljs is touched.

interface SheetModel {
  name: string;
  autoFilter?: string | { from: Corner; to: Corner } | null;
}
type Corner = string | { row: number; column: number };
interface DefinedName {
  name: string;
  ranges: string[];
  localSheetId?: number;
  hidden?: boolean;
}
interface WorkbookModel {
  worksheets?: (SheetModel | undefined)[];
  sheets?: (SheetModel | undefined)[];
  definedNames?: DefinedName[];
}
interface XmlStream {
  openNode(name: string, attributes: Record<string, unknown>): void;
  writeText(text: string): void;
  closeNode(): void;
}

const letters = (n: number): string =>
  n <= 26 ? String.fromCharCode(64 + n) : letters(Math.floor((n - 1) / 26)) + String.fromCharCode(65 + ((n - 1) % 26));
const absolute = (c: Corner) =>
  typeof c === 'string' ? c.replace(/^([A-Z]+)(\d+)$/, '$$$1$$$2') : `$${letters(c.column)}$${c.row}`;

/** `'Sheet name'!$A$1:$K$40` for a sheet's autofilter, or null when the sheet has none. */
export function filterRange(sheet: SheetModel): string | null {
  const f = sheet.autoFilter;
  if (!f) return null;
  const [from, to] = typeof f === 'string' ? (f.split(':') as [string, string?]) : [f.from, f.to];
  const ref = to === undefined ? absolute(from) : `${absolute(from)}:${absolute(to)}`;
  return `'${sheet.name.replace(/'/g, "''")}'!${ref}`;
}

let installed = false;

/** Idempotent; called by the builders before they write (never at start-up: it loads exceljs). */
export function installFilterNames(): void {
  if (installed) return;
  installed = true;
  const require = createRequire(import.meta.url);
  const WorkbookXform = require('exceljs/lib/xlsx/xform/book/workbook-xform.js') as {
    prototype: { prepare(model: WorkbookModel): void };
  };
  const DefinedNameXform = require('exceljs/lib/xlsx/xform/book/defined-name-xform.js') as {
    prototype: { render(xml: XmlStream, model: DefinedName): void };
  };
  const prepare = WorkbookXform.prototype.prepare;
  WorkbookXform.prototype.prepare = function (this: unknown, model: WorkbookModel) {
    prepare.call(this, model);
    const names: DefinedName[] = [];
    let index = 0; // as exceljs counts sheets for its print titles: the present ones, in order
    for (const sheet of model.sheets ?? model.worksheets ?? []) {
      if (!sheet) continue;
      const range = filterRange(sheet);
      if (range) names.push({ name: '_xlnm._FilterDatabase', ranges: [range], localSheetId: index, hidden: true });
      index++;
    }
    model.definedNames = [...(model.definedNames ?? []).filter((d) => d.name !== '_xlnm._FilterDatabase'), ...names];
  };
  DefinedNameXform.prototype.render = (xml: XmlStream, model: DefinedName) => {
    xml.openNode('definedName', {
      name: model.name,
      localSheetId: model.localSheetId,
      ...(model.hidden && { hidden: 1 }),
    });
    xml.writeText(model.ranges.join(','));
    xml.closeNode();
  };
}
