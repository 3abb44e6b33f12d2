import { describe, expect, it } from 'vitest';
import {
  DECISIONS,
  IMPROVEMENT_SOURCES,
  IMPROVEMENT_STATUSES,
  improvementProblem,
  PRIORITIES,
  TARGET_DIMENSIONS,
  TARGET_MET,
} from '../../src/domain/improvement.js';

// 10.2 continual improvement: decided against evaluation criteria, carried out only when approved (10.2 b), measured
// against its target before it is closed (10.2 d).
const base = {
  decision: 'pending',
  status: 'proposed',
  evaluationCriteria: '',
  target: '',
  measuredResult: '',
  targetMet: '',
};
const approved = { ...base, decision: 'approved', evaluationCriteria: 'cost ≤ 5 days', target: 'MTTR −20 %' };

const criteria = { field: 'evaluationCriteria', key: 'reviews.improvement.errors.criteriaFirst' };
const notApproved = { field: 'status', key: 'reviews.improvement.errors.notApproved' };
const targetFirst = { field: 'target', key: 'reviews.improvement.errors.targetFirst' };
const measure = { field: 'measuredResult', key: 'reviews.improvement.errors.measureFirst' };

describe('10.2 improvement opportunities', () => {
  it('records sources, the 10.2 a) target dimensions, decisions, statuses, priorities and whether the target was met', () => {
    expect([...IMPROVEMENT_SOURCES]).toEqual(['ofi_finding', 'management_review', 'suggestion']);
    expect([...TARGET_DIMENSIONS]).toEqual([
      'quality',
      'value',
      'capability',
      'cost',
      'productivity',
      'resource_utilisation',
      'risk_reduction',
    ]);
    expect([...DECISIONS]).toEqual(['pending', 'approved', 'rejected']);
    expect([...IMPROVEMENT_STATUSES]).toEqual(['proposed', 'in_progress', 'implemented', 'closed']);
    expect([...PRIORITIES]).toEqual(['high', 'medium', 'low']);
    expect([...TARGET_MET]).toEqual(['', 'yes', 'no']);
  });

  it.each([
    ['a pending proposal', base, null],
    ['a pending proposal with criteria already written', { ...base, evaluationCriteria: 'c' }, null],
    ['approved without criteria', { ...base, decision: 'approved', target: 't' }, criteria],
    ['rejected without criteria', { ...base, decision: 'rejected' }, criteria],
    ['rejected with blank criteria', { ...base, decision: 'rejected', evaluationCriteria: '  \n' }, criteria],
    ['rejected with criteria', { ...base, decision: 'rejected', evaluationCriteria: 'c' }, null],
    ['in progress while pending', { ...base, status: 'in_progress' }, notApproved],
    [
      'implemented while rejected',
      { ...base, decision: 'rejected', evaluationCriteria: 'c', status: 'implemented' },
      notApproved,
    ],
    ['closed while pending', { ...base, status: 'closed', measuredResult: 'r', targetMet: 'yes' }, notApproved],
    ['approved without a target', { ...approved, target: '' }, targetFirst],
    ['approved with a blank target', { ...approved, target: '   ' }, targetFirst],
    ['approved, proposed', approved, null],
    ['approved, in progress', { ...approved, status: 'in_progress' }, null],
    ['approved, implemented, not yet measured', { ...approved, status: 'implemented' }, null],
    ['closed without a result', { ...approved, status: 'closed', targetMet: 'yes' }, measure],
    ['closed with a blank result', { ...approved, status: 'closed', measuredResult: ' ', targetMet: 'no' }, measure],
    [
      'closed without saying whether the target was met',
      { ...approved, status: 'closed', measuredResult: '−25 %' },
      measure,
    ],
    [
      'closed, measured, target met',
      { ...approved, status: 'closed', measuredResult: '−25 %', targetMet: 'yes' },
      null,
    ],
    [
      'closed, measured, target not met',
      { ...approved, status: 'closed', measuredResult: '−5 %', targetMet: 'no' },
      null,
    ],
  ])('%s', (_, state, problem) => {
    expect(improvementProblem(state)).toEqual(problem);
  });
});
