import { describe, expect, it } from 'vitest';
import { effectiveScope, isRecorded, type ScopedAnswer, scopeChange, topClauseOf } from '../../src/domain/scope.js';

const blank: ScopedAnswer = {
  requirementId: '8.6.1-1',
  clauseId: '8.6.1',
  verdict: 'not_assessed',
  notes: '',
  samples: '',
  interviewees: '',
  sample: '',
  evidenceCount: 0,
};

describe('audit scope (9.2.2 b: the criteria and scope of each audit)', () => {
  it('covers all of clauses 4–10 for a certification-readiness audit or an empty choice, and drops nested clauses', () => {
    const all = ['4', '5', '6', '7', '8', '9', '10'];
    expect(effectiveScope('certification_readiness', ['8'])).toEqual(all);
    expect(effectiveScope('internal', [])).toEqual(all);
    expect(effectiveScope('internal', ['9.2', '8.6', '8', '8', '10'])).toEqual(['9.2', '8', '10']);
    expect(effectiveScope('self_assessment', ['8.6.1', '8.6'])).toEqual(['8.6']);
  });

  it('names the top clause of any clause id', () => {
    expect(['4.1', '8.5.1.3', '10', '10.2'].map(topClauseOf)).toEqual(['4', '8', '10', '10']);
  });

  it('counts an answer as recorded when anything at all was recorded', () => {
    const cases: [Partial<ScopedAnswer>, boolean][] = [
      [{}, false],
      [{ notes: '   ' }, false],
      [{ verdict: 'conforming' }, true],
      [{ verdict: 'not_audited' }, true],
      [{ notes: 'seen' }, true],
      [{ samples: 'CHG-1' }, true],
      [{ interviewees: 'Li Qiang' }, true],
      [{ sample: '{"size":3}' }, true],
      [{ evidenceCount: 1 }, true],
    ];
    for (const [over, recorded] of cases)
      expect(isRecorded({ ...blank, ...over }), JSON.stringify(over)).toBe(recorded);
  });

  it('adds the items a wider scope brings in and drops, flagging the recorded ones, what a narrower one leaves out', () => {
    const requirements = [
      { id: '8.5.1.1-1', clauseId: '8.5.1.1' },
      { id: '8.6.1-1', clauseId: '8.6.1' },
      { id: '8.6.1-2', clauseId: '8.6.1' },
      { id: '9.2-1', clauseId: '9.2' },
    ];
    const answers: ScopedAnswer[] = [
      { ...blank, requirementId: '8.6.1-1', clauseId: '8.6.1', verdict: 'conforming' },
      { ...blank, requirementId: '8.6.1-2', clauseId: '8.6.1' },
      { ...blank, requirementId: '9.2-1', clauseId: '9.2', notes: 'programme seen' },
    ];
    expect(scopeChange(answers, requirements, ['8', '9'])).toEqual({ add: ['8.5.1.1-1'], drop: [], recorded: [] });
    const narrower = scopeChange(answers, requirements, ['9']);
    expect(narrower.add).toEqual([]);
    expect(narrower.drop).toEqual(['8.6.1-1', '8.6.1-2']);
    expect(narrower.recorded.map((a) => a.requirementId)).toEqual(['8.6.1-1']);
    const moved = scopeChange(answers, requirements, ['8.5']);
    expect(moved).toMatchObject({ add: ['8.5.1.1-1'], drop: ['8.6.1-1', '8.6.1-2', '9.2-1'] });
    expect(moved.recorded.map((a) => a.requirementId)).toEqual(['8.6.1-1', '9.2-1']);
  });
});
