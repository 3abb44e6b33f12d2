import { describe, expect, it } from 'vitest';
import { FINDING_VERDICTS, isVerdict, NONCONFORMING, TOP_CLAUSES } from '../../src/domain/verdicts.js';

describe('verdicts (clause 1.2: no "not applicable")', () => {
  it('counts minor and major as nonconforming, nothing else', () => {
    expect([...NONCONFORMING]).toEqual(['minor_nc', 'major_nc']);
  });

  it('offers a drafted finding for nonconformities, observations and opportunities for improvement only', () => {
    expect([...FINDING_VERDICTS]).toEqual(['minor_nc', 'major_nc', 'observation', 'ofi']);
  });

  it('recognises exactly the seven verdicts', () => {
    const known = ['not_assessed', 'conforming', 'minor_nc', 'major_nc', 'observation', 'ofi', 'not_audited'];
    expect(known.map(isVerdict)).toEqual(known.map(() => true));
    expect(['not_applicable', 'n/a', '', 'Conforming', 3, null, undefined].map(isVerdict)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('covers clauses 4 to 10, the requirements of the standard (clause 1.2)', () => {
    expect([...TOP_CLAUSES]).toEqual(['4', '5', '6', '7', '8', '9', '10']);
  });
});
