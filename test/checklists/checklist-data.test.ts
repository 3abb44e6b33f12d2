import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECKLIST_DIR, ChecklistError, loadStandards, parseStandard } from '../../src/checklists/load.js';

const [std] = loadStandards();
const s = std!.data;
const FILE = join(CHECKLIST_DIR, 'iso-iec-20000-1-2018.yaml');

// Every numbered clause and sub-clause of 4–10.2 in ISO/IEC 20000-1:2018.
const EXPECTED_CLAUSES =
  `4 4.1 4.2 4.3 4.4 5 5.1 5.2 5.2.1 5.2.2 5.3 6 6.1 6.1.1 6.1.2 6.1.3 6.2 6.2.1 6.2.2 6.3 7 7.1 7.2 7.3 7.4
7.5 7.5.1 7.5.2 7.5.3 7.5.3.1 7.5.3.2 7.5.4 7.6 8 8.1 8.2 8.2.1 8.2.2 8.2.3 8.2.4 8.2.5 8.2.6 8.3 8.3.1 8.3.2 8.3.3 8.3.4
8.3.4.1 8.3.4.2 8.4 8.4.1 8.4.2 8.4.3 8.5 8.5.1 8.5.1.1 8.5.1.2 8.5.1.3 8.5.2 8.5.2.1 8.5.2.2 8.5.2.3 8.5.3 8.6 8.6.1
8.6.2 8.6.3 8.7 8.7.1 8.7.2 8.7.3 8.7.3.1 8.7.3.2 8.7.3.3 9 9.1 9.2 9.2.1 9.2.2 9.3 9.4 10 10.1 10.1.1 10.1.2 10.2`.split(
    /\s+/,
  );

// Clauses whose text asks for documented information ("形成文档化信息", "保留…作为证据", "记录", 7.5.4 entries).
const DOCUMENTED = [
  '4.3',
  '5.2.2',
  '6.1.2',
  '6.2.1',
  '6.3',
  '7.2',
  '8.2.4',
  '8.2.6',
  '8.3.3',
  '8.3.4.1',
  '8.3.4.2',
  '8.5.1.1',
  '8.6.1',
  '8.7.1',
  '8.7.2',
  '8.7.3.1',
  '9.1',
  '9.2.2',
  '9.3',
  '10.1.2',
];

describe('ISO/IEC 20000-1:2018 checklist data', () => {
  it('has every sub-clause of 4–10.2 with a Chinese and an English title', () => {
    const ids = s.clauses.map((c) => c.id);
    for (const id of EXPECTED_CLAUSES) expect(ids, id).toContain(id);
    for (const c of s.clauses) {
      expect(c.title.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(c.title.en).toMatch(/[A-Za-z]/);
    }
  });

  it('encodes each obligation as its own item: low hundreds in total, ids unique and numbered in order per clause', () => {
    expect(s.requirements.length).toBeGreaterThanOrEqual(200);
    expect(new Set(s.requirements.map((r) => r.id)).size).toBe(s.requirements.length);
    const next = new Map<string, number>();
    for (const r of s.requirements) {
      const n = (next.get(r.clause) ?? 0) + 1;
      expect(r.id).toBe(`${r.clause}-${n}`);
      next.set(r.clause, n);
    }
    // 8.6.1 splits the incident list from the obligations on records, major incidents and top management.
    expect(s.requirements.filter((r) => r.clause === '8.6.1').length).toBeGreaterThanOrEqual(5);
  });

  it('keeps ids stable: the ids of the first edition of this file never disappear', () => {
    const ids = new Set(s.requirements.map((r) => r.id));
    for (const id of [
      '4.1-1',
      '4.3-4',
      '5.1-1',
      '6.3-1',
      '7.5.4-1',
      '8.1-1',
      '8.2.3.1-1',
      '8.5.1.3-1',
      '8.6.1-1',
      '8.7.3.3-1',
      '9.2.2-1',
      '9.3-1',
      '10.1.1-1',
      '10.2-1',
    ]) {
      expect(ids, id).toContain(id);
    }
  });

  it('gives every item Chinese and English text and at least one audit question in each language', () => {
    for (const r of s.requirements) {
      expect(r.text.zh, r.id).toMatch(/[\u4e00-\u9fff]/);
      expect(r.text.en, r.id).toMatch(/[A-Za-z]{3}/);
      expect(r.questions.length, r.id).toBeGreaterThan(0);
      expect(r.evidence.length, r.id).toBeGreaterThan(0);
    }
  });

  it('keeps list items a), b) and nested 1), 2) visible in the item text', () => {
    const item = (id: string) => s.requirements.find((r) => r.id === id)!;
    expect(item('5.1-1').text.zh).toMatch(/a\).*b\).*l\)/s);
    expect(item('6.1.2-1').text.zh).toMatch(/a\).*1\).*2\).*3\)/s);
  });

  it('cleans the OCR noise of the source ("C)", "1S0", "i~十", "7.5.3.l")', () => {
    const all = JSON.stringify(s);
    expect(all).not.toMatch(/[^a-zA-Z]C\) /);
    expect(all).not.toContain('1S0');
    expect(all).not.toContain('i~十');
    expect(all).not.toContain('7.5.3.l');
  });

  it('says which documented information is required wherever a clause requires it', () => {
    for (const clause of DOCUMENTED) {
      const items = s.requirements.filter((r) => r.clause === clause);
      expect(
        items.some((r) => r.documentedInformation.type !== 'none'),
        clause,
      ).toBe(true);
    }
    expect(s.requirements.find((r) => r.id === '4.3-4')!.documentedInformation).toMatchObject({
      type: 'maintain',
      catalogue: '7.5.4-a',
    });
  });

  it('has the 7.5.4 catalogue a–l, each entry linked from the items that require it', () => {
    expect(s.documentedInformationCatalogue.map((e) => e.key)).toEqual(
      'abcdefghijkl'.split('').map((l) => `7.5.4-${l}`),
    );
    const linked = new Set(
      s.requirements.flatMap((r) =>
        r.documentedInformation.type === 'none' ? [] : [r.documentedInformation.catalogue],
      ),
    );
    for (const key of ['7.5.4-a', '7.5.4-b', '7.5.4-c', '7.5.4-d', '7.5.4-g', '7.5.4-h', '7.5.4-i', '7.5.4-l'])
      expect(linked, key).toContain(key);
  });

  it('marks Annex SL requirements (shared with ISO 9001 / ISO/IEC 27001) and only those', () => {
    const flag = (id: string) => s.requirements.find((r) => r.id === id)!.annexSL;
    expect(flag('4.1-1')).toBe(true);
    expect(flag('9.2.1-1')).toBe(true);
    expect(flag('10.1.1-1')).toBe(true);
    expect(flag('8.6.1-1')).toBe(false);
    expect(flag('8.2.6-1')).toBe(false);
  });

  it('records cross-references between items (8.1 → 8.2.3, 8.7.1 → 6.1 style)', () => {
    const refs = s.requirements.filter((r) => r.clause === '8.1').flatMap((r) => r.references);
    expect(refs).toContain('8.2.3');
  });

  it('clause 1.2: the data model has no "not applicable" for clauses 4–10', () => {
    const withNa = readFileSync(FILE, 'utf8').replace('clause: "4.1"', 'clause: "4.1"\n    applicable: false');
    expect(() => parseStandard(withNa, 'na.yaml')).toThrow(/requirements 4\.1-1.*applicable/);
    expect(s.exclusionRule.zh).toContain('1.2');
  });

  it('refuses a malformed file naming the file, the item id and the field', () => {
    const broken = readFileSync(FILE, 'utf8').replace(
      /(id: "8\.6\.1-2"[\s\S]*?questions:)/,
      '$1\n      - { zh: "只有中文" }\n',
    );
    expect(() => parseStandard(broken, 'broken.yaml')).toThrow(ChecklistError);
    expect(() => parseStandard(broken, 'broken.yaml')).toThrow(
      /broken\.yaml: requirements 8\.6\.1-2, field questions\.\d+\.en/,
    );
    const badClause = readFileSync(FILE, 'utf8').replace('clause: "8.6.1"', 'clause: "8.6.9"');
    expect(() => parseStandard(badClause, 'x.yaml')).toThrow(
      /requirements 8\.6\.1-1, field clause: unknown clause 8\.6\.9/,
    );
    expect(() => parseStandard('code: [', 'y.yaml')).toThrow(/y\.yaml: not valid YAML/);
  });
});
