import { describe, expect, it } from 'vitest';
import {
  checklistPages,
  clauseAt,
  nextOpen,
  onPage,
  pageOf,
  SPLIT_ABOVE,
  subClauseOf,
  within,
} from '../../src/domain/checklist-pages.js';

const item = (requirement_id: string, clause_id: string, verdict = 'not_assessed') => ({
  requirement_id,
  clause_id,
  top_clause: clause_id.split('.')[0]!,
  verdict,
});

/** `n` items under `clause` ("8.5" → 8.5-r1 … at clause 8.5.1), verdicts from `verdicts` in turn. */
const many = (clause: string, n: number, done = 0) =>
  Array.from({ length: n }, (_, i) =>
    item(`${clause}-r${i + 1}`, `${clause}.1`, i < done ? 'conforming' : 'not_assessed'),
  );

describe('checklist pages: one per clause, clause 8 (over 40 items) one per sub-clause', () => {
  it('splits a clause above 40 items', () => {
    expect(SPLIT_ABOVE).toBe(40);
  });

  it.each([
    ['8.5.1.3', 2, '8.5'],
    ['8.5.1.3', 1, '8'],
    ['8.5.1.3', 4, '8.5.1.3'],
    ['8.5', 3, '8.5'],
  ])('clause of %s at depth %i is %s', (id, depth, clause) => {
    expect(clauseAt(id, depth)).toBe(clause);
  });

  it.each([
    ['8.5.1', '8.5', true],
    ['8.5', '8.5', true],
    ['8.50', '8.5', false],
    ['8', '8.5', false],
    ['9.1', '8', false],
  ])('%s within %s: %s', (id, parent, answer) => {
    expect(within(id, parent)).toBe(answer);
  });

  it('keeps a clause of exactly 40 items on one page, with what is done', () => {
    const items = [
      item('4-a', '4.1', 'conforming'),
      item('4-b', '4.2', 'minor_nc'),
      item('4-c', '4.2'),
      ...many('5.1', 40, 3),
    ];
    expect(checklistPages(items)).toEqual([
      { key: '4', total: 3, done: 2 },
      { key: '5', total: 40, done: 3 },
    ]);
  });

  it('splits a clause of 41 items into its sub-clauses, in the order met', () => {
    const items = [
      ...many('8.1', 20, 20),
      ...many('8.2', 11),
      ...many('8.10', 10, 1),
      item('9-a', '9.1', 'observation'),
    ];
    expect(checklistPages(items)).toEqual([
      { key: '8.1', total: 20, done: 20 },
      { key: '8.2', total: 11, done: 0 },
      { key: '8.10', total: 10, done: 1 },
      { key: '9', total: 1, done: 1 },
    ]);
  });

  it('finds the page of a clause', () => {
    const pages = [
      { key: '4', total: 1, done: 0 },
      { key: '8.1', total: 1, done: 0 },
      { key: '8.10', total: 1, done: 0 },
    ];
    expect(pageOf(pages, '4.4.1')).toBe('4');
    expect(pageOf(pages, '8.10.2')).toBe('8.10');
    expect(pageOf(pages, '8.1.3')).toBe('8.1');
    expect(pageOf(pages, '9.1')).toBeUndefined();
  });

  it('shows a page its own items, "all" every item, and a split clause\'s number every item of it', () => {
    const items = [item('a', '8.1'), item('b', '8.10.1'), item('c', '8.2.1'), item('d', '9.1')];
    expect(onPage(items, '8.1').map((r) => r.requirement_id)).toEqual(['a']);
    expect(onPage(items, '8').map((r) => r.requirement_id)).toEqual(['a', 'b', 'c']);
    const all = onPage(items, 'all');
    expect(all.map((r) => r.requirement_id)).toEqual(['a', 'b', 'c', 'd']);
    expect(all).not.toBe(items);
  });

  it.each([
    ['4.2.1', '4', '4.2'],
    ['8.5.1.3', '8.5', '8.5.1'],
    ['8.5.1.3', 'all', '8.5'],
    ['4.2', '4', '4.2'],
  ])('%s stands under %s on page %s', (id, page, heading) => {
    expect(subClauseOf(id, page)).toBe(heading);
  });

  describe('the next item to assess', () => {
    const order = [
      item('r1', '4.1', 'conforming'),
      item('r2', '4.2'),
      item('r3', '5.1', 'minor_nc'),
      item('r4', '6.1'),
    ];

    it('is the next open one after the current item', () => {
      expect(nextOpen(order, 'r2')?.requirement_id).toBe('r4');
      expect(nextOpen(order, 'r1')?.requirement_id).toBe('r2');
      expect(nextOpen(order, 'r3')?.requirement_id).toBe('r4');
    });

    it('wraps round to the start', () => {
      expect(nextOpen(order, 'r4')?.requirement_id).toBe('r2');
    });

    it('reaches the last item when it is the only open one and there is no current item', () => {
      const lastOpen = [item('r1', '4.1', 'conforming'), item('r2', '4.2', 'conforming'), item('r3', '5.1')];
      expect(nextOpen(lastOpen, undefined)?.requirement_id).toBe('r3');
      expect(nextOpen(lastOpen, 'r1')?.requirement_id).toBe('r3');
    });

    it('starts at the first item with no current one, or an unknown one', () => {
      expect(nextOpen(order, undefined)?.requirement_id).toBe('r2');
      expect(nextOpen(order, 'gone')?.requirement_id).toBe('r2');
    });

    it('is none when the current item is the only open one, or none is open', () => {
      expect(nextOpen([order[0]!, order[1]!, order[2]!], 'r2')).toBeUndefined();
      expect(nextOpen([order[0]!, order[2]!], 'r1')).toBeUndefined();
      expect(nextOpen([], undefined)).toBeUndefined();
    });
  });
});
