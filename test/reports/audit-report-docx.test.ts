import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfText } from '../support/pdf.js';
import { zipPart } from '../support/zip.js';
import { CHAPTERS, sampledAudit } from './fixture.js';
import { type World, world } from './setup.js';

// Issue 19: the audit report as an editable Word document, from the same model as the PDF. Read back with readers
// nobody here wrote: the XML unzipped (fflate), and the document converted to PDF by LibreOffice and read with pdf.js,
// next to the PDF report of the same audit (fixture.ts sampledAudit). Figures worked out by hand:
//   clause 4: 7 items, examined 6 (1 major NC, 2 observations, 3 conforming, 1 not audited) → capped 59.9 %
//   clause 5: 5 items, examined 4 (1 minor NC, 2 OFIs, 1 conforming, 1 not audited) → 3.25 / 4 = 81.3 %
//   clause 6: 11 items, none examined → no readiness; overall 23 items, 10 examined (43.5 %), capped 59.9 %
const ROWS = {
  en: [
    ['4 Context', '7 3 0 1 2 0 1 0 59.9%'],
    ['5 Leadership', '5 1 1 0 0 2 1 0 81.3%'],
    ['6 Planning', '11 0 0 0 0 0 11 0 —'],
    ['Overall', '23 4 1 1 2 2 13 0 59.9%'],
  ],
  zh: [
    ['4 组织环境', '7 3 0 1 2 0 1 0 59.9%'],
    ['5 领导', '5 1 1 0 0 2 1 0 81.3%'],
    ['6 规划', '11 0 0 0 0 0 11 0 —'],
    ['总体', '23 4 1 1 2 2 13 0 59.9%'],
  ],
};
const TALLY = {
  en: '23 checklist items in scope, 10 examined (coverage 43.5%), 13 not audited in this audit. Reported: 1 major and 1 minor nonconformities, 2 observations, 3 opportunities for improvement. Overall readiness 59.9%',
  zh: '审核范围内共23个检查项，已审核10个（覆盖率43.5%），本次未审核13个。报告：严重不符合1项、一般不符合1项、观察项2项、改进机会3项。总体准备度59.9%',
};
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** The text of each paragraph of document.xml in the given paragraph style. */
const paragraphsIn = (xml: string, style: string) =>
  [...xml.matchAll(/<w:p>(?:(?!<\/w:p>).)*<\/w:p>/gs)]
    .map((p) => p[0])
    .filter((p) => p.includes(`<w:pStyle w:val="${style}"/>`))
    .map((p) => [...p.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((t) => t[1]).join(''));

const soffice = (() => {
  try {
    execFileSync('soffice', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('the audit report in Word (GET /api/v1/audits/:auditId/report.docx)', () => {
  let w: World;
  let auditId: number;
  const dir = mkdtempSync(join(tmpdir(), 'report-docx-'));
  const get = async (url: string, headers = w.lead) => w.api('GET', url, headers);

  beforeAll(async () => {
    w = await world();
    ({ auditId } = await sampledAudit(w));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await w.t.close();
  });

  it('is a Word document with heading styles per chapter, a TOC field, repeated header rows and a Chinese font hint', async () => {
    const r = await get(`/api/v1/audits/${auditId}/report.docx?lang=zh`);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['content-type']).toBe(DOCX);
    expect(r.headers['content-disposition']).toMatch(
      new RegExp(`filename="JIA-audit-${auditId}-r\\d+-report-zh\\.docx"`),
    );
    const xml = zipPart(r.rawPayload, 'word/document.xml');
    expect(paragraphsIn(xml, 'Heading1')).toEqual(CHAPTERS.zh);
    expect(paragraphsIn(xml, 'Heading2')).toEqual(
      expect.arrayContaining(['严重不符合', '一般不符合', '观察项', '改进机会', '审核综述', '审核结论']),
    );
    // A table-of-contents field over the heading styles (Word fills in its pages when it updates fields).
    expect(xml).toMatch(/<w:instrText[^>]*>\s*TOC [^<]*\\o &quot;1-2&quot;/);
    // Header rows repeat on each page: the per-clause table, appendix A and appendix B.
    expect(xml.match(/<w:tblHeader\/>/g)?.length).toBeGreaterThanOrEqual(3);
    const header = xml.match(/<w:tr>(?:(?!<\/w:tr>).)*<\/w:tr>/gs)!.find((row) => row.includes('>条款<'))!;
    expect(header).toContain('<w:tblHeader/>');
    // Latin and East-Asian faces, so Word and WPS pick a Chinese font for Chinese text.
    const styles = zipPart(r.rawPayload, 'word/styles.xml');
    expect(styles).toMatch(/<w:rFonts [^>]*w:eastAsia="SimSun"/);
    expect(xml).toMatch(/<w:rFonts [^>]*w:ascii="Calibri"[^>]*w:eastAsia="SimSun"/);
    // A4, the page number and count as fields in the footer with the standard.
    expect(xml).toMatch(/<w:pgSz w:w="11906" w:h="16838"/);
    const footer = zipPart(r.rawPayload, 'word/footer1.xml') + zipPart(r.rawPayload, 'word/footer2.xml');
    expect(footer).toContain('ISO/IEC 20000-1:2018');
    expect(footer).toMatch(/PAGE/);
    expect(footer).toMatch(/NUMPAGES/);
  });

  it('states the cover facts, the confidentiality statement, the statements beside the checklist and the running header the PDF states', async () => {
    const labels = [
      'Organisation',
      'Audit client (commissioned by)',
      "Auditee's representative",
      'Audit programme',
      'Audit',
      'Type',
      'Standard',
      'Planned dates',
      'Carried out',
      'Lead auditor',
      'Audit team',
      'Revision',
      'Status',
      'Distribution list',
      'Confidentiality',
    ];
    const docx = (await get(`/api/v1/audits/${auditId}/report.docx?lang=en`)).rawPayload;
    const xml = zipPart(docx, 'word/document.xml');
    const cover = xml.slice(0, xml.indexOf('TOC '));
    const cells = [...cover.matchAll(/<w:tc>(?:(?!<\/w:tc>).)*<\/w:tc>/gs)].map((c) =>
      [...c[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((t) => t[1]).join(''),
    );
    // Label, value, label, value …: the labels in order.
    expect(cells.filter((_, i) => i % 2 === 0).map((c) => c.replace(/&apos;/g, "'"))).toEqual(labels);
    const pdf = pdfText((await get(`/api/v1/audits/${auditId}/report.pdf?lang=en`)).rawPayload);
    const page1 = pdf.slice(0, pdf.indexOf('1 Objectives, scope and criteria'));
    const at = labels.map((l) => page1.indexOf(l));
    expect(
      at.every((x) => x > -1),
      labels.filter((_, i) => at[i] === -1).join(', '),
    ).toBe(true);
    // The statements beside the checklist, as in the PDF (ISO 19011 6.5.1): headed, "none" stated explicitly.
    const statements = [
      'Sites and places audited',
      'Audit team: who covered which process',
      'People interviewed',
      'Sampling',
      'Unresolved diverging opinions',
      'Deviations from the audit plan',
    ];
    expect(paragraphsIn(xml, 'Heading2').filter((h) => statements.includes(h))).toEqual(statements);
    for (const t of [
      ...statements,
      'None: no diverging opinion between the audit team and the auditee remained unresolved.',
    ])
      expect(pdf.replace(/\s+/g, ' '), t).toContain(t);
    expect(xml).toContain('None: no diverging opinion between the audit team and the auditee remained unresolved.');
    // The running header: organisation, audit and revision, in both.
    const header = zipPart(docx, 'word/header2.xml') + zipPart(docx, 'word/header1.xml');
    expect(header).toContain('客户甲 Client Jia Ltd · Sampled internal audit · revision 1');
    expect(pdf).toContain('客户甲 Client Jia Ltd · Sampled internal audit · revision 1');
  });

  // Another organisation's members get 404 on it like every organisation route (test/security/isolation-matrix.test.ts).
  it('is there for every member who may export reports; an unknown audit is 404, an unknown language 422', async () => {
    const mine = await get(`/api/v1/audits/${auditId}/report.docx`, w.auditor);
    expect(mine.statusCode).toBe(200);
    const bad = await get(`/api/v1/audits/${auditId}/report.docx?lang=fr`);
    expect(bad.statusCode).toBe(422);
    const none = await get('/api/v1/audits/999999/report.docx');
    expect(none.statusCode).toBe(404);
  });

  describe.skipIf(!soffice)('converted by LibreOffice (soffice --headless --convert-to pdf)', () => {
    const convert = (docx: Buffer, name: string) => {
      const file = join(dir, `${name}.docx`);
      writeFileSync(file, docx);
      // A profile of its own, so a LibreOffice the developer has open does not take the conversion over.
      execFileSync(
        'soffice',
        [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--convert-to', 'pdf', '--outdir', dir, file],
        { stdio: 'ignore', timeout: 120_000 },
      );
      return pdfText(readFileSync(join(dir, `${name}.pdf`)));
    };
    const flat = (s: string) => s.replace(/\s+/g, ' ');

    for (const lang of ['en', 'zh'] as const) {
      it(`says what the PDF says, with the same figures (${lang})`, async () => {
        const docx = await get(`/api/v1/audits/${auditId}/report.docx?lang=${lang}`);
        const pdf = await get(`/api/v1/audits/${auditId}/report.pdf?lang=${lang}`);
        const word = convert(docx.rawPayload, `report-${lang}`);
        const printed = pdfText(pdf.rawPayload);
        const squeeze = (s: string) => (lang === 'zh' ? s.replace(/\s+/g, '') : flat(s));
        for (const text of [word, printed]) {
          // The chapters in order (the Word one also lists them in its table of contents first).
          const at = CHAPTERS[lang].map((h) => text.lastIndexOf(h));
          expect(
            at.every((x) => x > -1),
            `${CHAPTERS[lang].filter((_, i) => at[i] === -1)}`,
          ).toBe(true);
          expect([...at].sort((a, b) => a - b)).toEqual(at);
          expect(squeeze(text)).toContain(squeeze(TALLY[lang]));
          // The per-clause table: each row's label and its figures on one line.
          const lines = text.split('\n').map(flat);
          for (const [label, figures] of ROWS[lang]) {
            expect(
              lines.some((l) => l.startsWith(label) && l.endsWith(figures)),
              `${label} … ${figures}`,
            ).toBe(true);
          }
          // The chart: a bar per clause examined and the overall one, with its figure; none for clause 6.
          const chart = flat(text.slice(text.indexOf(lang === 'en' ? 'Readiness by clause (%)' : '各条款准备度（%）')));
          expect(chart).toMatch(lang === 'en' ? /5 Leadership 81\.3%/ : /5 领导 81\.3%/);
        }
        // The same entries in the NC, observation and OFI sections.
        const refs = (t: string) => [...new Set(t.match(/F-\d+-\d+|\b\d\.\d(?:\.\d)?-\d\b/g) ?? [])].sort();
        const body = (t: string) => t.slice(t.lastIndexOf(CHAPTERS[lang][3]), t.lastIndexOf(CHAPTERS[lang][5]));
        expect(refs(body(word))).toEqual(refs(body(printed)));
        // 5 findings, 2 verdicts without one (4.3-1, 5.2.2-1), and the items the 5 findings name.
        expect(refs(body(word)).length).toBe(12);
      }, 180_000);
    }
  });
});
