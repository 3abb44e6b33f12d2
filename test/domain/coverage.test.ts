import { describe, expect, it } from 'vitest';
import { type CoverageAudit, coverageMatrix } from '../../src/domain/coverage.js';

// 9.2.2: a clause is covered in the programme's cycle by audits that were carried out and reported — an issued or
// closed audit. A planned audit, or one still in the field or being written up, shows as planned and covers nothing.
const CLAUSE_9_2 = [{ id: '9.2', requirementClauses: ['9.2.1', '9.2.2'] }];
const audit = (id: number, status: string, scope: string[]): CoverageAudit => ({ id, title: `A${id}`, status, scope });

describe('programme coverage by audit status (9.2.2)', () => {
  const whole: [string, string, string][] = [
    // status of the one audit covering 9.2, its cell, the clause's state in the cycle
    ['planned', 'planned', 'planned'],
    ['in_progress', 'planned', 'planned'],
    ['reporting', 'planned', 'planned'],
    ['issued', 'completed', 'completed'],
    ['closed', 'completed', 'completed'],
  ];
  for (const [status, cell, state] of whole)
    it(`an audit of the whole clause that is ${status} makes it ${state}`, () => {
      const m = coverageMatrix(CLAUSE_9_2, [audit(1, status, ['9.2'])]);
      expect(m.rows).toEqual([{ clause: '9.2', cells: [cell], state }]);
      expect(m.uncovered).toEqual([]);
    });

  it('leaves a clause uncovered when only planned audits share its requirements between them', () => {
    const m = coverageMatrix(CLAUSE_9_2, [audit(1, 'planned', ['9.2.1']), audit(2, 'planned', ['9.2.2'])]);
    expect(m.rows).toEqual([{ clause: '9.2', cells: ['none', 'none'], state: 'none' }]);
    expect(m.uncovered).toEqual(['9.2']);
  });

  it('covers it when issued audits together examined every requirement, and not when one half is only planned', () => {
    const both = coverageMatrix(CLAUSE_9_2, [audit(1, 'issued', ['9.2.1']), audit(2, 'closed', ['9.2.2'])]);
    expect(both.rows[0]!.state).toBe('completed');
    const half = coverageMatrix(CLAUSE_9_2, [audit(1, 'issued', ['9.2.1']), audit(2, 'in_progress', ['9.2.2'])]);
    expect(half.rows[0]!.state).toBe('none');
    expect(half.uncovered).toEqual(['9.2']);
  });

  it('never counts a clause with no requirement under it as covered: nothing was examined', () => {
    const m = coverageMatrix([{ id: '4', requirementClauses: [] }], [audit(1, 'issued', ['4'])]);
    expect(m.rows).toEqual([{ clause: '4', cells: ['none'], state: 'none' }]);
  });
});
