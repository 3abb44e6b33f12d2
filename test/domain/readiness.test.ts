import { describe, expect, it } from 'vitest';
import { itemScore, MAJOR_NC_CAP, readiness, VERDICT_SCORE } from '../../src/domain/readiness.js';

// The readiness table of docs/readiness.md: conforming 1, OFI 1, observation 0.75, minor 0.25, major 0, not assessed
// 0, not audited left out; self-assessments score level ÷ 5 (0–5, no level 0); a major nonconformity caps at 59.9 %.
describe('readiness as docs/readiness.md states it', () => {
  it('scores each verdict as the table says', () => {
    expect(VERDICT_SCORE).toEqual({
      conforming: 1,
      ofi: 1,
      observation: 0.75,
      minor_nc: 0.25,
      major_nc: 0,
      not_assessed: 0,
      not_audited: 0,
    });
    expect(MAJOR_NC_CAP).toBe(59.9);
  });

  it.each([
    [{ clause: '4', verdict: 'observation', level: 4 }, false, 0.75],
    [{ clause: '4', verdict: 'observation', level: 4 }, true, 0.8],
    [{ clause: '4', verdict: 'conforming', level: null }, true, 0],
    [{ clause: '4', verdict: 'not_assessed', level: 0 }, true, 0],
    [{ clause: '4', verdict: 'not_assessed', level: 5 }, true, 1],
    [{ clause: '4', verdict: 'not_assessed', level: 7 }, true, 1],
    [{ clause: '4', verdict: 'not_assessed', level: -2 }, true, 0],
  ] as const)('%j, levels %s → %d', (item, useLevels, score) => {
    expect(itemScore(item, useLevels)).toBe(score);
  });

  it('counts one item of every verdict: 3 ÷ 6 = 50 %, below the cap; 5 of 7 examined, 6 decided', () => {
    const verdicts = [
      'conforming',
      'ofi',
      'observation',
      'minor_nc',
      'major_nc',
      'not_assessed',
      'not_audited',
    ] as const;
    const r = readiness(
      verdicts.map((verdict) => ({ clause: '6', verdict, level: null })),
      ['6'],
      false,
    );
    expect(r.byClause).toEqual([
      {
        clause: '6',
        items: 7,
        assessed: 6,
        examined: 5,
        notAudited: 1,
        coverage: 71.4,
        counts: {
          not_assessed: 1,
          conforming: 1,
          minor_nc: 1,
          major_nc: 1,
          observation: 1,
          ofi: 1,
          not_audited: 1,
        },
        readiness: 50,
      },
    ]);
  });

  it('scores a self-assessment by level, clamped to 0–5, over the items not set aside', () => {
    // Clause 4: levels 5, 3, none, 7 (→ 5), −2 (→ 0): (1 + 0.6 + 0 + 1 + 0) ÷ 5 = 52 %; 4 rated of 5.
    // Clause 5: level 2, and a not-audited item (level 4 ignored): 0.4 ÷ 1 = 40 %; 1 examined, 2 decided.
    // Overall: 3.0 ÷ 6 = 50 %; 7 items (the clause-11 item is outside the clauses asked for), 6 decided, 5 examined.
    const r = readiness(
      [
        { clause: '4', verdict: 'not_assessed', level: 5 },
        { clause: '4', verdict: 'conforming', level: 3 },
        { clause: '4', verdict: 'not_assessed', level: null },
        { clause: '4', verdict: 'not_assessed', level: 7 },
        { clause: '4', verdict: 'minor_nc', level: -2 },
        { clause: '5', verdict: 'not_assessed', level: 2 },
        { clause: '5', verdict: 'not_audited', level: 4 },
        { clause: '11', verdict: 'conforming', level: 5 },
      ],
      ['4', '5'],
      true,
    );
    expect(
      r.byClause.map((c) => [c.clause, c.items, c.assessed, c.examined, c.notAudited, c.coverage, c.readiness]),
    ).toEqual([
      ['4', 5, 4, 4, 0, 80, 52],
      ['5', 2, 2, 1, 1, 50, 40],
    ]);
    expect(r).toMatchObject({
      overall: 50,
      items: 7,
      assessed: 6,
      progress: 85.7,
      examined: 5,
      notAudited: 1,
      coverage: 71.4,
    });
  });

  it('gives 0 everywhere for an audit with no items, and lists no clause', () => {
    expect(readiness([], ['4', '5'], false)).toEqual({
      byClause: [],
      overall: 0,
      items: 0,
      assessed: 0,
      progress: 0,
      examined: 0,
      notAudited: 0,
      coverage: 0,
    });
  });

  it('rounds to one decimal: 2 of 3 conforming is 66.7 %', () => {
    const r = readiness(
      [
        { clause: '7', verdict: 'conforming', level: null },
        { clause: '7', verdict: 'conforming', level: null },
        { clause: '7', verdict: 'not_assessed', level: null },
      ],
      ['7'],
      false,
    );
    expect([r.overall, r.byClause[0]?.readiness, r.progress]).toEqual([66.7, 66.7, 66.7]);
  });
});
