import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zipPart } from '../support/zip.js';
import { sampledAudit } from './fixture.js';
import { type World, world } from './setup.js';

// Issue 15: an issued revision is frozen; accepting it afterwards (ISO/IEC 17021-1: who accepted the report, and when)
// changes its sign-off block and nothing else (reports/README.md). Read back with poppler's pdftotext, which CI's
// SQLite pass hides on purpose (see report-numbers.test.ts).
const noPdftotext = spawnSync('pdftotext', ['-v']).error !== undefined;

describe.skipIf(noPdftotext)('accepting an issued report changes only its sign-off block', () => {
  let w: World;
  let auditId: number;
  const dir = mkdtempSync(join(tmpdir(), 'report-acceptance-'));

  beforeAll(async () => {
    w = await world();
    ({ auditId } = await sampledAudit(w));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await w.t.close();
  });

  const download = async (lang: string) => {
    const r = await w.api('GET', `/api/v1/audits/${auditId}/report.pdf?lang=${lang}`, w.lead);
    expect(r.statusCode).toBe(200);
    return r.rawPayload;
  };
  const text = (pdf: Buffer, name: string) => {
    const file = join(dir, `${name}.pdf`);
    writeFileSync(file, pdf);
    return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).split('\n');
  };

  it('renders the same bytes before and after, except for who accepted it and when', async () => {
    // The docx package numbers the table of contents' bookmarks on from one document to the next: not content.
    const word = async () =>
      zipPart(
        (await w.api('GET', `/api/v1/audits/${auditId}/report.docx?lang=en`, w.lead)).rawPayload,
        'word/document.xml',
      )
        .replace(/_Toc\d+/g, '_Toc')
        .replace(/w:id="\d+"/g, 'w:id=""');
    const wordBefore = await word();
    const before = { en: await download('en'), zh: await download('zh') };
    // Frozen: the same bytes on every download.
    expect((await download('en')).equals(before.en)).toBe(true);
    const accepted = await w.api('POST', `/api/v1/audits/${auditId}/acceptances`, w.lead, { role: 'leadAuditor' });
    expect(accepted.statusCode, accepted.body).toBe(201);
    const after = { en: await download('en'), zh: await download('zh') };
    // The Word report's sign-off says the same.
    const wordAfter = await word();
    expect(wordBefore).toContain('Not accepted yet');
    expect(wordAfter).toMatch(/Accepted by chen\S* on \d{4}-\d{2}-\d{2}/);
    expect(wordAfter.replace(/Accepted by chen\S* on \d{4}-\d{2}-\d{2}/, 'Not accepted yet')).toBe(wordBefore);
    expect(after.en.equals(before.en)).toBe(false);
    // Frozen again, with the acceptance.
    expect((await download('en')).equals(after.en)).toBe(true);

    const cases = [
      {
        lang: 'en',
        from: 'Sign-off',
        to: 'Appendix A — Checklist results',
        was: 'Not accepted yet',
        now: /^Accepted by chen\S* on \d{4}-\d{2}-\d{2}$/,
      },
      {
        lang: 'zh',
        from: '签署',
        to: '附录 A 检查表结果',
        was: '尚未接受',
        now: /^chen\S* 于 \d{4}-\d{2}-\d{2} 接受$/,
      },
    ] as const;
    for (const c of cases) {
      const a = text(before[c.lang], `before-${c.lang}`);
      const b = text(after[c.lang], `after-${c.lang}`);
      expect(b.length, c.lang).toBe(a.length);
      const changed = a.flatMap((line, i) => (line === b[i] ? [] : [i]));
      expect(changed.length, c.lang).toBeGreaterThan(0);
      // Every changed line lies in the sign-off block: after its heading, before appendix A.
      const start = a.findIndex((l) => l.trim() === c.from);
      const end = a.findIndex((l) => l.trim() === c.to);
      expect(start, c.from).toBeGreaterThan(-1);
      expect(end, c.to).toBeGreaterThan(start);
      expect(
        changed.filter((i) => i <= start || i >= end),
        c.lang,
      ).toEqual([]);
      // And what changed is the lead auditor's acceptance: "not accepted yet" became the name and the day.
      const cells = (lines: string[]) => changed.flatMap((i) => lines[i]!.trim().split(/\s{2,}/));
      expect(cells(a), c.lang).toContain(c.was);
      expect(
        cells(b).filter((x) => c.now.test(x)),
        c.lang,
      ).toHaveLength(1);
    }
  });
});
