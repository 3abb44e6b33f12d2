import { describe, expect, it } from 'vitest';
import {
  ACCEPTANCE_ROLES,
  hasSample,
  listOf,
  sampleOf,
  VERIFICATION_RESULTS,
} from '../../src/domain/report-content.js';

const empty = { population: '', size: null, method: '', references: '', result: '' };

describe('report content beyond the checklist (issue 15; ISO 19011 6.5.1, ISO/IEC 17021-1 9.4.8)', () => {
  it('records a verification as effective, not effective or not verified', () => {
    expect([...VERIFICATION_RESULTS]).toEqual(['effective', 'not_effective', 'not_verified']);
  });

  it('has the report accepted by the lead auditor and the auditee representative', () => {
    expect([...ACCEPTANCE_ROLES]).toEqual(['leadAuditor', 'auditeeRepresentative']);
  });

  it.each([
    ['no sample', null, false],
    ['every part empty', empty, false],
    ['a population', { ...empty, population: 'change records 2026' }, true],
    ['a size', { ...empty, size: 12 }, true],
    ['a size of 0', { ...empty, size: 0 }, true],
    ['a method', { ...empty, method: 'random' }, true],
    ['references', { ...empty, references: 'CHG-0012, CHG-0031' }, true],
    ['a result', { ...empty, result: 'all approved' }, true],
  ])('a sample with %s is recorded: %s', (_, sample, recorded) => {
    expect(hasSample(sample)).toBe(recorded);
  });

  it('reads a stored sample, filling the parts left out', () => {
    expect(sampleOf('')).toBeNull();
    expect(sampleOf('{}')).toEqual(empty);
    expect(sampleOf('{"population":"incidents","size":20}')).toEqual({ ...empty, population: 'incidents', size: 20 });
    expect(sampleOf('{"population":"p","size":3,"method":"m","references":"r","result":"ok"}')).toEqual({
      population: 'p',
      size: 3,
      method: 'm',
      references: 'r',
      result: 'ok',
    });
  });

  it('reads a stored list, empty when nothing is stored', () => {
    expect(listOf('')).toEqual([]);
    expect(listOf('[]')).toEqual([]);
    expect(listOf('[{"topic":"t","teamView":"a","auditeeView":"b"}]')).toEqual([
      { topic: 't', teamView: 'a', auditeeView: 'b' },
    ]);
  });
});
