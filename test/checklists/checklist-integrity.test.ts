import { describe, expect, it } from 'vitest';
import { loadStandards } from '../../src/checklists/load.js';
import { DOC_TYPES } from '../../src/checklists/schema.js';

// Integrity of the checklist's text (issue 16): what a lead auditor relies on when they cite "8.5.1.2 f)".
const [std] = loadStandards();
const s = std!.data;
const clauseIds = new Set(s.clauses.map((c) => c.id));
const item = (id: string) => s.requirements.find((r) => r.id === id)!;
// The requirement's own text: translator's notes live in their own field (translatorNote) and never inside it.
const body = (t: string) => t.trim();

describe('checklist integrity', () => {
  it('gives every clause number cited in an item\'s text ("见 8.5.1", "see 8.2.3", "6.3 c)") a reference entry', () => {
    const missing: string[] = [];
    for (const r of s.requirements) {
      for (const text of [r.text.zh, r.text.en]) {
        for (const m of body(text).matchAll(/(?<![\d.])(\d+(?:\.\d+)+)(?!\.\d)(\s*[a-z]\))?/g)) {
          const ref = m[1]!;
          if (!clauseIds.has(ref) || ref === r.clause) continue;
          // "6.3 c)" cites one list entry: the reference names the item that holds it (6.3-3), not the clause.
          const ok = m[2]
            ? r.references.some((x) => x.startsWith(`${ref}-`))
            : r.references.some((x) => x === ref || x.startsWith(`${ref}-`));
          if (!ok) missing.push(`${r.id} cites ${m[0].trim()}, references ${JSON.stringify(r.references)}`);
        }
        for (const m of body(text).matchAll(/(?:见|[Ss]ee)\s*(\d+(?:\.\d+)*)/g))
          if (!r.references.some((x) => x === m[1] || x.startsWith(`${m[1]}-`)))
            missing.push(`${r.id}: "${m[0]}" without a reference`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('letters every list a), b), c) … without gaps, and numbers nested lists 1), 2), 3) … from 1', () => {
    const wrong: string[] = [];
    for (const r of s.requirements) {
      for (const [lang, text] of Object.entries(r.text)) {
        const marks: string[] = [];
        for (const m of body(text).matchAll(/(?<![A-Za-z0-9.(])([a-z]|\d{1,2})\)/g)) {
          const before = body(text).slice(Math.max(0, m.index! - 8), m.index);
          if (/\d(\.\d+)+\s*$/.test(before)) continue; // "6.3 c)" cites another clause's entry
          marks.push(m[1]!);
        }
        const letters = marks.filter((x) => /[a-z]/.test(x));
        const expected = letters.map((_, i) => String.fromCharCode(97 + i));
        if (letters.join() !== expected.join()) wrong.push(`${r.id} ${lang}: ${letters.join(' ')}`);
        let run: number[] = [];
        for (const x of [...marks, 'end']) {
          if (/^\d+$/.test(x)) run.push(Number(x));
          else {
            if (run.some((n, i) => n !== i + 1)) wrong.push(`${r.id} ${lang}: ${run.join(' ')}`);
            run = [];
          }
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(body(item('5.2.2-1').text.zh)).toMatch(/^服务管理方针应：a\) .*b\) .*c\) /);
  });

  it('knows the kind "both" (documents maintained and records retained) and uses it where the text asks for both', () => {
    expect(DOC_TYPES).toEqual(['maintain', 'retain', 'both', 'none']);
    const kinds = Object.fromEntries(s.requirements.map((r) => [r.id, r.documentedInformation.type]));
    // Each decided against the item's own text (checklists/CHANGES.md gives the reasons).
    expect({
      '7.5.1-1': kinds['7.5.1-1'],
      '7.5.4-1': kinds['7.5.4-1'],
      '6.2.1-3': kinds['6.2.1-3'],
      '5.2.1-1': kinds['5.2.1-1'],
      '5.2.2-1': kinds['5.2.2-1'],
      '8.7.2-6': kinds['8.7.2-6'],
      '8.7.3.1-3': kinds['8.7.3.1-3'],
      '8.2.6-7': kinds['8.2.6-7'],
      '8.2.6-3': kinds['8.2.6-3'],
      '8.2.6-5': kinds['8.2.6-5'],
    }).toEqual({
      '7.5.1-1': 'both',
      '7.5.4-1': 'both',
      '6.2.1-3': 'retain',
      '5.2.1-1': 'none',
      '5.2.2-1': 'maintain',
      '8.7.2-6': 'none',
      '8.7.3.1-3': 'none',
      '8.2.6-7': 'none',
      '8.2.6-3': 'retain',
      '8.2.6-5': 'retain',
    });
    for (const id of ['8.2.6-3', '8.2.6-5'])
      expect(item(id).documentedInformation).toMatchObject({ type: 'retain', catalogue: '7.5.4-l' });
  });

  it('says "retain" where the text says 保留, and "maintain" only where it does not', () => {
    const wrong = s.requirements
      .filter(
        (r) =>
          /应保留[^，。；]*文档化信息/.test(r.text.zh) && !['retain', 'both'].includes(r.documentedInformation.type),
      )
      .map((r) => r.id);
    expect(wrong).toEqual([]);
  });

  it('marks the titles the standard does not have as editorial, and only those', () => {
    expect(
      s.clauses
        .filter((c) => c.titleSource === 'editorial')
        .map((c) => c.id)
        .sort(),
    ).toEqual(
      [
        '6.1.1',
        '6.1.2',
        '6.1.3',
        '7.5.3.1',
        '7.5.3.2',
        '8.2.3.1',
        '8.2.3.2',
        '9.2.1',
        '9.2.2',
        '10.1.1',
        '10.1.2',
      ].sort(),
    );
  });

  it('carries the corrections of issue 16 (literal expectations)', () => {
    // 7.5.1: the NOTE is a note, not requirement c).
    expect(item('7.5.1-1').text.zh).not.toMatch(/c\) 不同组织/);
    expect(item('7.5.1-1').text.zh).toContain('。注：不同组织相关服务管理体系文档化信息的详略程度');
    expect(body(item('7.5.1-1').text.en)).not.toContain('c)');
    // 8.5.1.2 f): the translation's words stay, with a note; the English says "to the organization".
    expect(item('8.5.1.2-2').text.zh).toMatch(/f\) 已存在的服务从客户或其他相关方至客户或组织的转移。$/);
    expect(item('8.5.1.2-2').translatorNote?.zh).toBe(
      'f) 中的“至客户或组织”是译文笔误：标准所指是从客户或其他方转移至组织。',
    );
    expect(body(item('8.5.1.2-2').text.en)).toMatch(
      /f\) transferring an existing service from the customer or another party to the organization\.$/,
    );
    // Translator's notes where the published Chinese slips.
    for (const id of [
      '5.1-1',
      '5.2.1-1',
      '5.2.2-1',
      '5.3-1',
      '6.1.2-1',
      '8.2.2-3',
      '8.3.2-9',
      '9.3-2',
      '8.5.1.2-2',
      '7.5.1-1',
    ]) {
      expect(item(id).translatorNote?.zh, id).toBeTruthy();
      expect(item(id).translatorNote?.en, id).toMatch(/Chinese translation/);
    }
    // A note is never inside the text, in either language.
    for (const r of s.requirements)
      for (const text of [r.text.zh, r.text.en]) expect(text, r.id).not.toMatch(/译注|Translator's note/);
    expect(item('5.1-1').translatorNote?.zh).toContain('职责范围');
    expect(item('5.2.1-1').translatorNote?.zh).toContain('与组织意图相适宜');
    expect(item('6.1.2-1').translatorNote?.zh).toContain('SMS 和服务的风险和机遇');
    // A bare clause number no longer opens 8.5.1.2-3 like a heading.
    expect(item('8.5.1.2-3').text.zh).toMatch(/^对于在 8\.5\.2 管理范围内/);
    // The 2018 edition requires configuration information and known-error records, not a CMDB or a KEDB.
    const presumes = s.requirements
      .flatMap((r) => [
        r.text.zh,
        r.documentedInformation.type === 'none' ? '' : r.documentedInformation.what.zh,
        ...r.evidence.map((e) => e.zh),
        ...r.questions.map((q) => q.zh),
      ])
      .flatMap((t) => t.split(/[；。]/))
      .filter((t) => /配置管理数据库|已知错误数据库|已知错误库|CMDB|KEDB/.test(t) && !/如|无论|可保存在|一种/.test(t));
    expect(presumes).toEqual([]);
    // "SMS" in evidence means the system, never a text message.
    expect(JSON.stringify(item('8.6.1-5').evidence)).toContain('text message');
    // English.
    expect(item('10.2-5').text.en).not.toContain('e.g.');
    expect(item('8.7.1-2').text.en).not.toContain('each service');
    expect(item('8.3.2-4').text.en).toContain('new or changed service requirements');
    const title = (id: string) => s.clauses.find((c) => c.id === id)!.title.en;
    expect([title('4.2'), title('6.3'), title('8')]).toEqual([
      'Understanding the needs and expectations of interested parties',
      'Plan the SMS',
      'Operation of the SMS',
    ]);
  });

  it('has the cross-references issue 16 found missing', () => {
    const refs = (id: string) => item(id).references;
    expect({
      '8.7.1-1': refs('8.7.1-1'),
      '8.7.2-1': refs('8.7.2-1'),
      '8.7.3.2-1': refs('8.7.3.2-1'),
      '8.5.1.2-2': refs('8.5.1.2-2'),
      '8.6.3-5': refs('8.6.3-5'),
      '8.5.2.1-4': refs('8.5.2.1-4'),
      '8.5.3-7': refs('8.5.3-7'),
      '8.5.2.3-3': refs('8.5.2.3-3'),
      '8.5.3-3': refs('8.5.3-3'),
      '8.2.5-1': refs('8.2.5-1'),
      '8.7.3.1-2': refs('8.7.3.1-2'),
    }).toEqual({
      '8.7.1-1': ['6.1'],
      '8.7.2-1': ['6.1'],
      '8.7.3.2-1': ['6.1'],
      '8.5.1.2-2': ['8.5.2', '8.5.1.1'],
      '8.6.3-5': ['8.5.1.1'],
      '8.5.2.1-4': ['8.2.6'],
      '8.5.3-7': ['8.2.6'],
      '8.5.2.3-3': ['8.5.3'],
      '8.5.3-3': ['8.5.1'],
      '8.2.5-1': ['6.3-3'],
      '8.7.3.1-2': ['6.3-3'],
    });
  });
});
