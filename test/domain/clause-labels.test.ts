import { describe, expect, it } from 'vitest';
import { compareClauseIds } from '../../src/domain/clause-order.js';
import { shownTitle } from '../../src/domain/clause-title.js';
import { revisionOrdinal } from '../../src/domain/revision.js';

describe('revision numbers as people read them (issue 23: 第1版 is the first)', () => {
  it.each([
    [0, 1],
    [1, 2],
    [9, 10],
  ])('stored %i is revision %i', (stored, shown) => {
    expect(revisionOrdinal(stored)).toBe(shown);
  });
});

describe('titles we wrote for untitled paragraphs stand in brackets', () => {
  it.each([
    ['策划审核方案', 'editorial', 'zh', '〔策划审核方案〕'],
    ['Planning the audit programme', 'editorial', 'en', '[Planning the audit programme]'],
    ['服务管理体系', 'standard', 'zh', '服务管理体系'],
    ['Service management system', 'standard', 'en', 'Service management system'],
    ['Leadership', undefined, 'en', 'Leadership'],
    ['领导作用', undefined, 'zh', '领导作用'],
  ] as const)('%s (%s, %s) → %s', (title, source, lang, shown) => {
    expect(shownTitle(title, source, lang)).toBe(shown);
  });
});

describe('clause numbers sort part by part as numbers; no clause sorts last', () => {
  const sorted = (ids: (string | null)[]) => [...ids].sort(compareClauseIds);

  it('puts 8.2.6 before 8.10 and 9 before 10', () => {
    expect(sorted(['10', '8.10', '9', '8.2.6', '8.2', '4.1', '8'])).toEqual([
      '4.1',
      '8',
      '8.2',
      '8.2.6',
      '8.10',
      '9',
      '10',
    ]);
  });

  it('puts a clause before its own sub-clauses', () => {
    expect(compareClauseIds('8.2', '8.2.1')).toBeLessThan(0);
    expect(compareClauseIds('8.2.1', '8.2')).toBeGreaterThan(0);
    // 8.0 is not written by the standard, but a part "0" still sorts after a missing part
    expect(compareClauseIds('8', '8.0')).toBeLessThan(0);
  });

  it('answers 0 for the same clause and for two missing clauses', () => {
    expect(compareClauseIds('8.2.6', '8.2.6')).toBe(0);
    expect(compareClauseIds(null, undefined)).toBe(0);
    expect(compareClauseIds('', null)).toBe(0);
  });

  it('puts a missing clause after every numbered one', () => {
    expect(compareClauseIds('10', null)).toBe(-1);
    expect(compareClauseIds(undefined, '4')).toBe(1);
    expect(compareClauseIds('', '4')).toBe(1);
    expect(sorted([null, '10', null, '4'])).toEqual(['4', '10', null, null]);
  });

  it('gives the difference of the first differing part', () => {
    expect(compareClauseIds('8.10', '8.2')).toBe(8);
    expect(compareClauseIds('9', '10')).toBe(-1);
  });
});
