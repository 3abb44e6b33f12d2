import { describe, expect, it } from 'vitest';
import { coverageMatrix } from '../../src/domain/coverage.js';
import { checkImpartiality } from '../../src/domain/impartiality.js';
import { readiness } from '../../src/domain/readiness.js';
import { effectiveScope, inScope } from '../../src/domain/scope.js';
import { VERDICTS } from '../../src/domain/verdicts.js';

describe('audit domain rules', () => {
  it('clause 1.2: there is no "not applicable" verdict', () => {
    expect(VERDICTS).not.toContain('not_applicable');
    expect(VERDICTS).toEqual([
      'not_assessed',
      'conforming',
      'minor_nc',
      'major_nc',
      'observation',
      'ofi',
      'not_audited',
    ]);
  });

  it('sets "not audited in this audit" aside: readiness over the rest, coverage beside it, never conforming', () => {
    // Clause 8: conforming, minor, 2 × not audited → (1 + 0.25) / 2 = 62.5 %, examined 2 of 4 = 50 %.
    // Clause 9: only not audited → readiness 0 over nothing, coverage 0. Clause 10: not assessed → 0 %, 0 examined.
    // Overall: 1.25 / (7 − 4 not audited) = 41.7 %; examined 2 of 7 = 28.6 %; decided 6 of 7 = 85.7 %.
    const r = readiness(
      [
        { clause: '8', verdict: 'conforming', level: null },
        { clause: '8', verdict: 'minor_nc', level: null },
        { clause: '8', verdict: 'not_audited', level: null },
        { clause: '8', verdict: 'not_audited', level: null },
        { clause: '9', verdict: 'not_audited', level: null },
        { clause: '10', verdict: 'not_assessed', level: null },
        { clause: '10', verdict: 'not_audited', level: null },
      ],
      ['8', '9', '10'],
      false,
    );
    expect(r.byClause.map((c) => [c.clause, c.readiness, c.examined, c.notAudited, c.coverage])).toEqual([
      ['8', 62.5, 2, 2, 50],
      ['9', 0, 0, 1, 0],
      ['10', 0, 0, 1, 0],
    ]);
    expect([r.overall, r.items, r.examined, r.notAudited, r.coverage, r.assessed, r.progress]).toEqual([
      41.7, 7, 2, 4, 28.6, 6, 85.7,
    ]);
  });

  it('computes readiness as documented for a hand-made example', () => {
    // Clause 4: conforming, ofi, observation, minor → (1 + 1 + 0.75 + 0.25) / 4 = 75 %
    // Clause 5: major, not assessed → 0 %; overall: 3 / 6 = 50 %; 5 of 6 assessed.
    const r = readiness(
      [
        { clause: '4', verdict: 'conforming', level: null },
        { clause: '4', verdict: 'ofi', level: null },
        { clause: '4', verdict: 'observation', level: null },
        { clause: '4', verdict: 'minor_nc', level: null },
        { clause: '5', verdict: 'major_nc', level: null },
        { clause: '5', verdict: 'not_assessed', level: null },
      ],
      ['4', '5', '6'],
      false,
    );
    expect(r.byClause.map((c) => [c.clause, c.readiness])).toEqual([
      ['4', 75],
      ['5', 0],
    ]);
    expect(r.overall).toBe(50);
    expect(r.assessed).toBe(5);
    expect(r.progress).toBe(83.3);
  });

  it('never shows a clause with a major nonconformity as ready: capped at 59.9 %, overall too', () => {
    // Clause 8: 88 conforming + 1 major → 98.9 % computed, 59.9 % shown. Clause 9: 4 conforming → 100 %.
    const items = [
      ...Array.from({ length: 88 }, () => ({ clause: '8', verdict: 'conforming' as const, level: null })),
      { clause: '8', verdict: 'major_nc' as const, level: null },
      ...Array.from({ length: 4 }, () => ({ clause: '9', verdict: 'conforming' as const, level: null })),
    ];
    const r = readiness(items, ['8', '9'], false);
    expect(r.byClause.map((c) => [c.clause, c.readiness])).toEqual([
      ['8', 59.9],
      ['9', 100],
    ]);
    expect(r.overall).toBe(59.9);
    // Below the cap already: unchanged.
    const low = readiness([{ clause: '5', verdict: 'major_nc', level: null }], ['5'], false);
    expect(low.overall).toBe(0);
  });

  it('computes self-assessment readiness from implementation levels (level ÷ 5; unrated = 0)', () => {
    const r = readiness(
      [
        { clause: '8', verdict: 'not_assessed', level: 5 },
        { clause: '8', verdict: 'not_assessed', level: 2 },
        { clause: '8', verdict: 'not_assessed', level: null },
      ],
      ['8'],
      true,
    );
    expect(r.overall).toBe(46.7);
    expect(r.assessed).toBe(2);
  });

  it('9.2.2 c: refuses an auditor for a process they own, naming process and owner', () => {
    const p = { id: 1, name: 'Change management', ownerUserId: 7, ownerName: 'Li Qiang' };
    expect(checkImpartiality(7, p)).toEqual({ ok: false, process: 'Change management', owner: 'Li Qiang' });
    expect(checkImpartiality(8, p)).toEqual({ ok: true });
  });

  it('scopes by clause prefix and forces all of 4–10 for certification readiness', () => {
    expect(inScope('8.6.1', ['8.6'])).toBe(true);
    expect(inScope('8.60', ['8.6'])).toBe(false);
    expect(effectiveScope('certification_readiness', ['8'])).toEqual(['4', '5', '6', '7', '8', '9', '10']);
    expect(effectiveScope('internal', ['8', '8.6', '9.2'])).toEqual(['8', '9.2']);
  });

  it('names the clauses no audit of the cycle covers', () => {
    const m = coverageMatrix(
      [
        { id: '8.5', requirementClauses: ['8.5.1.1', '8.5.3'] },
        { id: '9.2', requirementClauses: ['9.2.1', '9.2.2'] },
        { id: '10.1', requirementClauses: ['10.1.1'] },
      ],
      [
        { id: 1, title: 'A', status: 'issued', scope: ['8'] },
        { id: 2, title: 'B', status: 'planned', scope: ['9.2.1'] },
      ],
    );
    expect(m.rows.map((r) => r.state)).toEqual(['completed', 'none', 'none']);
    expect(m.uncovered).toEqual(['9.2', '10.1']);
  });

  it('counts a clause covered in the cycle only where its items were examined', () => {
    const clauses = [
      { id: '8.5', requirementClauses: ['8.5.1.1', '8.5.3'] },
      { id: '9.2', requirementClauses: ['9.2.1', '9.2.2'] },
      { id: '10.1', requirementClauses: ['10.1.1'] },
    ];
    // Audit 1 (issued) left 8.5.3 and 10.1.1 not audited; audit 2 (closed) examined 8.5.3 only.
    const one = { id: 1, title: 'A', status: 'issued', scope: ['8', '9', '10'], notAudited: ['8.5.3', '10.1.1'] };
    const m = coverageMatrix(clauses, [one]);
    expect(m.rows.map((r) => [r.clause, r.cells, r.state])).toEqual([
      ['8.5', ['partial'], 'partial'],
      ['9.2', ['completed'], 'completed'],
      ['10.1', ['none'], 'none'],
    ]);
    expect(m.uncovered).toEqual(['8.5', '10.1']);
    const two = { id: 2, title: 'B', status: 'closed', scope: ['8.5.3'], notAudited: [] };
    const both = coverageMatrix(clauses, [one, two]);
    expect(both.rows.map((r) => [r.clause, r.cells, r.state])).toEqual([
      ['8.5', ['partial', 'none'], 'completed'],
      ['9.2', ['completed', 'none'], 'completed'],
      ['10.1', ['none', 'none'], 'none'],
    ]);
    expect(both.uncovered).toEqual(['10.1']);
  });
});
