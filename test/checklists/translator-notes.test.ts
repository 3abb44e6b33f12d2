import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../helpers.js';
import { newAudit, type World, world } from '../reports/setup.js';

// Issue 16: where the published Chinese translation slips, the translator's note is a field of its own, shown apart
// from the requirement's text and marked as ours, never appended to the standard's words.
describe("translator's notes, apart from the text", () => {
  let w: World;
  let b: Browser;
  let auditId: number;
  const NOTE = '中文译本接续 5.2.1 把此列表编为 e)、f)、g)；标准中 5.2.2 的列表为 a)、b)、c)。';
  beforeAll(async () => {
    w = await world();
    auditId = await newAudit(w, { title: '方针审核', type: 'internal', scope: { clauses: ['5.2'] } });
    b = new Browser(w.t.app, 'zh-CN');
    await b.login('chen@example.com');
  });
  afterAll(async () => {
    await w.t.close();
  });

  it('the API gives the note as translatorNote, and the text without it', async () => {
    const r = await w.api('GET', '/api/v1/standards/iso-iec-20000-1-2018', w.lead);
    const item = (r.json().requirements as { id: string; text: { zh: string }; translatorNote?: object }[]).find(
      (x) => x.id === '5.2.2-1',
    )!;
    expect(item.text.zh).toBe(
      '服务管理方针应：a) 形成文档化信息并可用；b) 在组织内得到沟通；c) 适用时，对相关方可用。',
    );
    expect(item.translatorNote).toEqual({
      zh: NOTE,
      en: "The Chinese translation continues the lettering of 5.2.1 and prints e), f), g); the standard's list in 5.2.2 is a), b), c).",
    });
  });

  it('the standard, the checklist and the item page show the note as a note, after the text', async () => {
    const expected = `<p class="translator-note" role="note"><strong>译注（非标准原文）：</strong> ${NOTE}</p>`;
    for (const url of [
      '/standards/iso-iec-20000-1-2018/clauses/5.2',
      `/audits/${auditId}/checklist?clause=5`,
      `/audits/${auditId}/items/5.2.2-1`,
    ]) {
      const page = await b.get(url);
      expect(page.statusCode, url).toBe(200);
      expect(page.body, url).toContain(expected);
      expect(page.body, url).toContain('c) 适用时，对相关方可用。</p>');
      expect(page.body, url).not.toContain('【译注】');
    }
    const en = new Browser(w.t.app, 'en');
    await en.login('chen@example.com');
    const page = await en.get(`/audits/${auditId}/items/5.2.2-1`);
    expect(page.body).toContain(
      '<p class="translator-note" role="note"><strong>Translator&#39;s note (not the standard&#39;s text):</strong> The Chinese translation continues',
    );
  });
});
