import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHAPTERS, largeAudit } from './fixture.js';
import { type World, world } from './setup.js';

// Issue 15, "layout read by eye", as assertions a machine can make: a 50-finding report in zh, en and both, read with
// poppler (pdftotext -bbox-layout: each word with its box), every page also rasterised with pdftoppm.
// REPORT_LAYOUT_DIR=/some/dir keeps the PDFs and the page images for a look.

const noPoppler =
  spawnSync('pdftotext', ['-v']).error !== undefined || spawnSync('pdftoppm', ['-v']).error !== undefined;

/** The section headings under the chapters (fixture.ts CHAPTERS), literally, per language. */
const SECTIONS = {
  en: [
    'Audit objectives',
    'Audit scope (clauses)',
    'Audit criteria',
    'Sites and places audited',
    'Audit team: who covered which process',
    'People interviewed',
    'Summary',
    'Audit conclusion',
    'Areas not covered',
    'Sampling',
    'Unresolved diverging opinions',
    'Deviations from the audit plan',
    'Major nonconformities',
    'Minor nonconformities',
    'Observations',
    'Opportunities for improvement',
  ],
  zh: [
    '审核目标',
    '审核范围（条款）',
    '审核准则',
    '审核的场所和地点',
    '审核组：各过程的审核人员',
    '访谈人员',
    '审核综述',
    '审核结论',
    '未覆盖的范围',
    '抽样',
    '未解决的分歧意见',
    '与审核计划的偏离',
    '严重不符合',
    '一般不符合',
    '观察项',
    '改进机会',
  ],
};
/** Every English word of every table header the report prints. */
const HEADER_WORDS = new Set(
  [
    'Clause Items Conforming Minor NC Major NC Observation OFI Not audited Not assessed Readiness',
    'Checklist item Verdict Notes Samples',
    'Population Size How chosen Sample references Result',
    "Topic Audit team's view Auditee's view",
    'Process Auditors Person',
    'Document or record Kind Version SHA-256 (first 12)',
  ]
    .join(' ')
    .split(' '),
);

interface Word {
  text: string;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}
interface Line extends Word {
  words: Word[];
}
interface Page {
  n: number;
  width: number;
  height: number;
  lines: Line[];
}

const num = (s: string, name: string) => Number(s.match(new RegExp(`${name}="([\\d.]+)"`))![1]);
const box = (attrs: string) => ({
  xMin: num(attrs, 'xMin'),
  yMin: num(attrs, 'yMin'),
  xMax: num(attrs, 'xMax'),
  yMax: num(attrs, 'yMax'),
});
const entities = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

/** pdftotext -bbox-layout's pages, each with its lines (a line's words left to right), top to bottom. */
function readLayout(file: string): Page[] {
  const html = execFileSync('pdftotext', ['-bbox-layout', file, '-'], { encoding: 'utf8', maxBuffer: 256 << 20 });
  return [...html.matchAll(/<page width="([\d.]+)" height="([\d.]+)">(.*?)<\/page>/gs)].map((p, i) => ({
    n: i + 1,
    width: Number(p[1]),
    height: Number(p[2]),
    lines: [...p[3]!.matchAll(/<line ([^>]*)>(.*?)<\/line>/gs)]
      .map((l) => {
        const words = [...l[2]!.matchAll(/<word ([^>]*)>(.*?)<\/word>/gs)].map((w) => ({
          ...box(w[1]!),
          text: entities(w[2]!),
        }));
        return { ...box(l[1]!), words, text: words.map((w) => w.text).join(' ') };
      })
      .sort((a, b) => a.yMin - b.yMin || a.xMin - b.xMin),
  }));
}

// The page's margins (reports/pdf/style.ts): the running header above 56 pt, the footer below height − 48 pt.
const TOP = 56;
const BOTTOM = 48;
const body = (p: Page) => p.lines.filter((l) => l.yMin >= TOP - 4 && l.yMax <= p.height - BOTTOM + 2);
const footer = (p: Page) => p.lines.filter((l) => l.yMin > p.height - BOTTOM);

/** Lines of the page at about the same height, merged (pdftotext gives a footer's columns as separate lines). */
const rows = (lines: Line[]) => {
  const out: Line[][] = [];
  for (const l of lines) {
    const row = out.find((r) => Math.abs(r[0]!.yMin - l.yMin) < 3);
    if (row) row.push(l);
    else out.push([l]);
  }
  return out;
};

const flat = (s: string) => s.replace(/\s+/g, '');

describe.skipIf(noPoppler)('the layout of a 50-finding audit report (pdftotext -bbox-layout, pdftoppm)', () => {
  let w: World;
  let auditId: number;
  const keep = process.env.REPORT_LAYOUT_DIR;
  const dir = keep ?? mkdtempSync(join(tmpdir(), 'report-layout-'));
  const pages: Record<string, Page[]> = {};

  beforeAll(async () => {
    mkdirSync(dir, { recursive: true });
    w = await world();
    ({ auditId } = await largeAudit(w, 50));
    if (keep) {
      const frozen = await w.t.db
        .selectFrom('audit_revision')
        .select('snapshot_json')
        .where('audit_id', '=', auditId)
        .executeTakeFirstOrThrow();
      writeFileSync(join(dir, 'model.json'), frozen.snapshot_json);
    }
    for (const lang of ['zh', 'en', 'both']) {
      const r = await w.api('GET', `/api/v1/audits/${auditId}/report.pdf?lang=${lang}`, w.lead);
      expect(r.statusCode).toBe(200);
      const file = join(dir, `report-${lang}.pdf`);
      writeFileSync(file, r.rawPayload);
      pages[lang] = readLayout(file);
    }
  }, 300_000);
  afterAll(async () => {
    if (!keep) rmSync(dir, { recursive: true, force: true });
    await w?.t.close();
  });

  for (const lang of ['zh', 'en', 'both'] as const) {
    const first = lang === 'both' ? 'zh' : lang;
    const chapters = CHAPTERS[first];
    const headings = [...chapters, ...SECTIONS[first]];
    /** The heading a line is, if it is one (a bilingual heading: the Chinese, then the English on the same line). */
    const headingOf = (l: Line) =>
      headings.find((h) =>
        lang === 'both'
          ? flat(l.text).startsWith(flat(h)) &&
            flat(l.text) ===
              flat(h) + flat(CHAPTERS.en[chapters.indexOf(h)] ?? SECTIONS.en[SECTIONS[first].indexOf(h)]!)
          : flat(l.text) === flat(h),
      );

    it(`rasterises every page (${lang})`, () => {
      const out = join(dir, `png-${lang}`);
      rmSync(out, { recursive: true, force: true });
      mkdirSync(out, { recursive: true });
      execFileSync('pdftoppm', ['-r', '30', '-png', join(dir, `report-${lang}.pdf`), join(out, 'p')]);
      const pngs = readdirSync(out).filter((f) => f.endsWith('.png'));
      expect(pngs.length).toBe(pages[lang]!.length);
      expect(pngs.length).toBeGreaterThan(20);
    });

    it(`never leaves a heading last on its page; the sign-off heading stands with its block (${lang})`, () => {
      const seen = new Set<string>();
      for (const p of pages[lang]!) {
        const lines = body(p);
        lines.forEach((l, i) => {
          const h = headingOf(l);
          if (!h) return;
          seen.add(h);
          expect(i, `“${h}” ends page ${p.n}`).toBeLessThan(lines.length - 1);
        });
      }
      // Every chapter and every section was found (a heading renamed or broken over two lines would escape the check).
      expect([...headings].filter((h) => !seen.has(h))).toEqual([]);
      const signOff = pages[lang]!.find((p) => body(p).some((l) => headingOf(l) === chapters[5]))!;
      const signature = lang === 'en' ? 'Signature' : '签名';
      expect(body(signOff).filter((l) => l.text.includes(signature)).length, `page ${signOff.n}`).toBe(2);
    });

    it(`breaks no English table header word across lines (${lang})`, () => {
      // A word broken by the layout: its first part in a cell, the rest on the next line of the same cell.
      const broken: string[] = [];
      for (const p of pages[lang]!) {
        const words = p.lines.flatMap((l) => l.words);
        for (const a of words)
          for (const b of words) {
            const below = b.yMin - a.yMin > 4 && b.yMin - a.yMin < 16 && Math.abs(b.xMin - a.xMin) < 30;
            const joined = a.text.replace(/-$/, '') + b.text;
            if (below && HEADER_WORDS.has(joined) && !HEADER_WORDS.has(a.text))
              broken.push(`${a.text}|${b.text} (page ${p.n})`);
          }
      }
      expect(broken).toEqual([]);
      if (lang === 'zh') return;
      // The per-clause table's header, its words whole.
      const results = pages[lang]!.find((p) => p.lines.some((l) => headingOf(l) === chapters[2]))!;
      const words = new Set(results.lines.flatMap((l) => l.words.map((w) => w.text)));
      for (const w of ['Clause', 'Items', 'Conforming', 'Observation', 'OFI', 'audited', 'assessed', 'Readiness'])
        expect(words.has(w), w).toBe(true);
    });

    it(`keeps the footer on one line: reference, standard and page n of m (${lang})`, () => {
      const all = pages[lang]!;
      for (const p of all) {
        const f = rows(footer(p));
        expect(f.length, `page ${p.n}: ${f.map((r) => r.map((l) => l.text).join(' ')).join(' | ')}`).toBe(1);
        const text = f[0]!.map((l) => l.text).join(' ');
        expect(text).toContain(`JIA-${auditId}-1`);
        expect(text).toContain('ISO/IEC 20000-1:2018');
        expect(flat(text)).toContain(
          flat(lang === 'en' ? `Page ${p.n} of ${all.length}` : `第 ${p.n} 页，共 ${all.length} 页`),
        );
      }
    });

    it(`leaves no page more than half empty, except the cover and the page before the appendices (${lang})`, () => {
      // Chapter 1 and appendix A open a page; every other chapter follows on.
      const all = pages[lang]!;
      const opens = (p: Page, h: string) =>
        body(p)
          .slice(0, 1)
          .some((l) => headingOf(l) === h);
      for (const p of all.slice(0, -1)) {
        const next = all[p.n]!;
        if (opens(next, chapters[0]!) || opens(next, chapters[6]!)) continue;
        const lowest = Math.max(...body(p).map((l) => l.yMax));
        expect(lowest, `page ${p.n} ends at ${Math.round(lowest)} of ${Math.round(p.height)} pt`).toBeGreaterThan(
          p.height / 2,
        );
      }
      expect(opens(all[1]!, chapters[0]!)).toBe(true);
    });

    it(`has a bookmark per chapter, each section's under its chapter, pointing at the heading's page (${lang})`, async () => {
      const doc = await getDocument({
        data: new Uint8Array(readFileSync(join(dir, `report-${lang}.pdf`))),
        verbosity: 0,
      }).promise;
      try {
        type Item = { title: string; dest: unknown; items: Item[] };
        const outline = ((await doc.getOutline()) ?? []) as Item[];
        const title = (h: string) =>
          lang === 'both' ? `${h} / ${CHAPTERS.en[chapters.indexOf(h)] ?? SECTIONS.en[SECTIONS[first].indexOf(h)]}` : h;
        expect(outline.map((o) => o.title)).toEqual(chapters.map(title));
        const under = (chapter: number) => outline[chapter]!.items.map((o) => o.title);
        expect(under(0)).toEqual(SECTIONS[first].slice(0, 6).map(title));
        expect(under(1)).toEqual(SECTIONS[first].slice(6, 12).map(title));
        expect(under(3)).toEqual(SECTIONS[first].slice(12, 14).map(title));
        expect(under(4)).toEqual(SECTIONS[first].slice(14, 16).map(title));
        // Each chapter's bookmark opens the page its heading is on.
        for (const o of outline) {
          const dest = (Array.isArray(o.dest) ? o.dest : await doc.getDestination(String(o.dest)))!;
          // The whole page, not a view scrolled to its right edge.
          expect((dest[1] as { name: string }).name, o.title).toBe('Fit');
          const ref = dest[0];
          const page = (await doc.getPageIndex(ref)) + 1;
          const h = chapters[outline.indexOf(o)]!;
          expect(
            body(pages[lang]![page - 1]!).some((l) => headingOf(l) === h),
            `${o.title} → page ${page}`,
          ).toBe(true);
        }
      } finally {
        await doc.destroy();
      }
    });
  }
});
