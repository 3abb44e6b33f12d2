import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answer, newAudit, raise, type World, world } from './setup.js';

// Every workbook read by programs nobody here wrote (issue 19): openpyxl (Debian's python3-openpyxl) reads what we
// wrote, then LibreOffice opens and saves each one (soffice --convert-to xlsx) and openpyxl reads its copy.

const has = (cmd: string, args: string[]) => {
  try {
    execFileSync(cmd, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
// Debian's python3 carries python3-openpyxl (a pyenv python on PATH may not).
const PYTHON = '/usr/bin/python3';
const openpyxl = has(PYTHON, ['-c', 'import openpyxl']);
const soffice = openpyxl && has('soffice', ['--version']);

/** What openpyxl sees in a workbook, per sheet: what a user of another program would notice. */
const READER = `
import json, re, sys, datetime, zipfile, openpyxl
from xml.etree import ElementTree
NS = '{http://schemas.openxmlformats.org/spreadsheetml/2006/main}'
out = {}
for path in sys.argv[1:]:
    wb = openpyxl.load_workbook(path)
    # openpyxl 3.0 drops the reserved _xlnm._FilterDatabase name on reading: read workbook.xml itself.
    names = []
    book = ElementTree.fromstring(zipfile.ZipFile(path).read('xl/workbook.xml'))
    for d in book.iter(NS + 'definedName'):
        if d.get('name') == '_xlnm._FilterDatabase':
            names.append({
                'sheet': int(d.get('localSheetId', '-1')),
                'hidden': d.get('hidden') in ('1', 'true'),
                'ref': d.text.replace("'", ''),
            })
    sheets = {}
    for ws in wb.worksheets:
        if ws.sheet_state != 'visible':
            continue
        head = [c.value for c in ws[1]]
        kinds = {}
        for i, h in enumerate(head):
            vals = [r[i] for r in ws.iter_rows(min_row=2, values_only=True) if i < len(r) and r[i] not in (None, '')]
            kinds[str(h)] = sorted({'date' if isinstance(v, datetime.datetime) else type(v).__name__ for v in vals})
        tall = [n for n, d in ws.row_dimensions.items() if d.height and d.height > 16]
        f = ws['A1'].font
        # Screen pixels of the visible columns (Excel: 7 px a character of Calibri 11 plus 5 px of padding).
        width = 0
        for key, dim in ws.column_dimensions.items():
            if not dim.hidden and dim.width:
                width += (dim.width * 7 + 5) * ((dim.max or 1) - (dim.min or 1) + 1)
        sheets[ws.title] = {
            'filter': ws.auto_filter.ref,
            'freeze': ws.freeze_panes,
            'validations': sorted(str(v.sqref) for v in ws.data_validations.dataValidation),
            'headerFont': [f.name, f.sz, bool(f.b)],
            'fitToWidth': ws.page_setup.fitToWidth,
            'fitToHeight': ws.page_setup.fitToHeight,
            'fitToPage': bool(ws.sheet_properties.pageSetUpPr and ws.sheet_properties.pageSetUpPr.fitToPage),
            'orientation': ws.page_setup.orientation,
            'titles': ws.print_title_rows,
            'kinds': kinds,
            'tallRows': len(tall),
            'rows': ws.max_row,
            'widthPx': width,
            'merged': sorted(str(r) for r in ws.merged_cells.ranges),
        }
    out[path.rsplit('/', 1)[-1]] = {'sheets': sheets, 'filterNames': names}
print(json.dumps(out, default=str))
`;

interface Sheet {
  filter: string | null;
  freeze: string | null;
  validations: string[];
  headerFont: [string, number, boolean];
  fitToWidth: number | null;
  fitToHeight: number | null;
  fitToPage: boolean;
  orientation: string;
  titles: string | null;
  kinds: Record<string, string[]>;
  tallRows: number;
  rows: number;
  widthPx: number;
  merged: string[];
}
/** What an A4 page holds between 0.4-inch margins, in pixels at 96 dpi. */
const PAGE_PX = { portrait: ((210 / 25.4 - 0.8) * 96) | 0, landscape: ((297 / 25.4 - 0.8) * 96) | 0 };
type Read = Record<
  string,
  { sheets: Record<string, Sheet>; filterNames: { sheet: number; hidden: boolean; ref: string }[] }
>;

const FILES = ['gap-register.xlsx', 'nonconformities.xlsx', 'questionnaire.xlsx', 'programme.xlsx', 'review.xlsx'];

describe.skipIf(!openpyxl)('workbooks read by openpyxl and saved again by LibreOffice', () => {
  let w: World;
  let dir: string;
  let ours: Read;
  let theirs: Read;
  const read = (paths: string[]) =>
    JSON.parse(execFileSync(PYTHON, ['-c', READER, ...paths], { encoding: 'utf8', maxBuffer: 64 << 20 })) as Read;

  beforeAll(async () => {
    w = await world();
    dir = mkdtempSync(join(tmpdir(), 'workbooks-'));
    const audit = await newAudit(w, {
      title: 'Internal audit 2026',
      type: 'internal',
      scope: { clauses: ['4', '5'] },
      plannedStart: '2026-03-02',
      plannedEnd: '2026-03-04',
    });
    await answer(w, audit, {
      '4.1-1': { verdict: 'major_nc', notes: '未确定内外部议题。'.repeat(12) },
      '5.1-1': { verdict: 'minor_nc', notes: 'Policy not communicated to the service desk. '.repeat(6) },
    });
    await raise(w, audit, {
      requirementId: '4.1-1',
      kind: 'nonconformity',
      grade: 'major',
      statement: { requirement: '4.1', evidence: 'No list of issues', nonconformity: 'Issues not determined' },
    });
    const sa = await newAudit(w, { title: 'Self-assessment', type: 'self_assessment', scope: { clauses: ['4'] } });
    const review = await w.api('POST', `/api/v1/organizations/${w.orgId}/reviews`, w.lead, {
      title: '2026 management review',
      heldOn: new Date().toISOString().slice(0, 10),
      attendees: 'CEO',
    });
    expect(review.statusCode, review.body).toBe(201);
    const urls: Record<string, string> = {
      'gap-register.xlsx': `/api/v1/audits/${audit}/gap-register.xlsx?lang=en`,
      'nonconformities.xlsx': `/api/v1/organizations/${w.orgId}/nonconformities.xlsx?lang=en`,
      'questionnaire.xlsx': `/api/v1/audits/${sa}/questionnaire.xlsx?lang=en`,
      'programme.xlsx': `/api/v1/organizations/${w.orgId}/programme.xlsx?lang=en`,
      'review.xlsx': `/api/v1/management-reviews/${review.json().id}/inputs.xlsx?lang=en`,
    };
    for (const f of FILES) {
      const r = await w.api('GET', urls[f]!, w.lead);
      expect(r.statusCode, `${f}: ${r.body.slice(0, 200)}`).toBe(200);
      writeFileSync(join(dir, f), r.rawPayload);
    }
    ours = read(FILES.map((f) => join(dir, f)));
    if (soffice) {
      const out = join(dir, 'lo');
      mkdirSync(out);
      // One soffice for the five files, with a profile of its own (a LibreOffice open elsewhere would take it over).
      execFileSync(
        'soffice',
        [
          `-env:UserInstallation=file://${dir}/profile-${process.pid}`,
          '--headless',
          '--convert-to',
          'xlsx',
          '--outdir',
          out,
          ...FILES.map((f) => join(dir, f)),
        ],
        { stdio: 'ignore', timeout: 120_000 },
      );
      const missing = FILES.filter((f) => !existsSync(join(out, f)));
      expect(missing, 'soffice wrote no xlsx: is LibreOffice Calc (libreoffice-calc-nogui) installed?').toEqual([]);
      theirs = read(FILES.map((f) => join(out, f)));
    }
  }, 150_000);
  afterAll(async () => {
    await w?.t.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('names the filter of every filtered sheet (hidden, local to the sheet) and names every header font', () => {
    for (const f of FILES) {
      const { sheets, filterNames } = ours[f]!;
      const names = Object.keys(sheets);
      const filtered = names.filter((n) => sheets[n]!.filter);
      expect(filtered.length, f).toBeGreaterThan(0);
      expect(
        filterNames.map((d) => ({ sheet: names[d.sheet], hidden: d.hidden })),
        f,
      ).toEqual(filtered.map((n) => ({ sheet: n, hidden: true })));
      for (const d of filterNames) {
        const s = sheets[names[d.sheet]!]!;
        expect(d.ref.replace(/\$/g, ''), f).toBe(`${names[d.sheet]}!${s.filter}`);
      }
      for (const [n, s] of Object.entries(sheets)) {
        if (!s.filter) continue;
        expect(s.headerFont, `${f} ${n}`).toEqual(['Calibri', 11, true]);
        expect(s.titles, `${f} ${n}`).toBe('$1:$1');
        expect([s.fitToPage, s.fitToWidth, s.fitToHeight], `${f} ${n}`).toEqual([true, 1, 0]);
        // Fitted to the page's width, 11-point text prints at 8 points or more; landscape only where wide.
        const page = PAGE_PX[s.orientation as 'portrait' | 'landscape'];
        expect(11 * Math.min(1, page / s.widthPx), `${f} ${n}: printed text size`).toBeGreaterThanOrEqual(8);
        expect(s.orientation === 'landscape', `${f} ${n}: orientation`).toBe(s.widthPx > PAGE_PX.portrait);
        expect(s.freeze, `${f} ${n}`).toMatch(/^[A-C]2$/);
      }
    }
  });

  it('writes dates as dates on every sheet, and rows tall enough for wrapped text', () => {
    const gap = ours['gap-register.xlsx']!.sheets;
    expect(gap.Findings!.kinds.Raised).toEqual(['date']);
    expect(gap.Findings!.kinds['Due date']).toEqual(['date']);
    expect(gap.Register!.kinds['Due date']).toEqual(['date']);
    expect(gap.Summary!.kinds.Items).toContain('date'); // the generated day among the facts
    // The facts under the summary wrap within the table's width (text running over empty cells prints too, and shrank
    // the page far below 8 pt): organisation, audit, status, generated, basis — each merged across B:K.
    expect(gap.Summary!.merged).toHaveLength(5);
    for (const m of gap.Summary!.merged) expect(m).toMatch(/^B(\d+):K\1$/);
    const nc = ours['nonconformities.xlsx']!.sheets.Nonconformities!;
    expect(nc.kinds.Raised).toEqual(['date']);
    expect(nc.kinds.Due).toEqual(['date']);
    const programme = Object.values(ours['programme.xlsx']!.sheets)[0]!;
    expect(programme.kinds['Planned start']).toEqual(['date']);
    for (const s of Object.values(ours['review.xlsx']!.sheets))
      for (const [h, k] of Object.entries(s.kinds))
        if (/due/i.test(h))
          expect(
            k.every((x) => x === 'date'),
            h,
          ).toBe(true);
    // The long notes of 4.1-1 and 5.1-1 wrap: their rows are taller than one line; so is the review's two-line header.
    expect(gap.Register!.tallRows).toBeGreaterThanOrEqual(2);
    expect(ours['review.xlsx']!.sheets.Figures!.tallRows).toBeGreaterThanOrEqual(1);
  });

  it.skipIf(!soffice)('keeps filters, validations and frozen panes after LibreOffice saves each workbook', () => {
    for (const f of FILES) {
      for (const [n, s] of Object.entries(ours[f]!.sheets)) {
        const after = theirs[f]!.sheets[n];
        expect(after, `${f} ${n}`).toBeDefined();
        expect(after!.filter, `${f} ${n}: filter`).toBe(s.filter);
        expect(after!.validations, `${f} ${n}: validations`).toEqual(s.validations);
        // LibreOffice 7.4 converting headless has no view and writes none: panes are kept or dropped, never moved.
        if (after!.freeze !== null) expect(after!.freeze, `${f} ${n}: frozen panes`).toBe(s.freeze);
        expect(after!.rows, `${f} ${n}: rows`).toBe(s.rows);
        expect([after!.titles, after!.fitToWidth, after!.fitToHeight], `${f} ${n}: printing`).toEqual([
          s.titles,
          s.fitToWidth,
          s.fitToHeight,
        ]);
      }
      expect(theirs[f]!.filterNames.map((d) => d.sheet).sort(), f).toEqual(
        ours[f]!.filterNames.map((d) => d.sheet).sort(),
      );
    }
  });
});
