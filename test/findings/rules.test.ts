import { describe, expect, it } from 'vitest';
import {
  addDays,
  daysBetween,
  daysOpen,
  daysOverdue,
  DEFAULT_DUE_SETTINGS,
  defaultDueDate,
  isOverdue,
} from '../../src/domain/due-dates.js';
import { improvementProblem } from '../../src/domain/improvement.js';
import { findingRef } from '../../src/findings/queries.js';
import { draftFromVerdict } from '../../src/findings/routes.js';

describe('due dates, overdue and aging (pure)', () => {
  it('defaults the due date by grade from the organisation settings; observations and OFIs have none', () => {
    expect(defaultDueDate('major', '2025-01-31', DEFAULT_DUE_SETTINGS)).toBe('2025-03-02');
    expect(defaultDueDate('minor', '2025-01-31', DEFAULT_DUE_SETTINGS)).toBe('2025-04-01');
    expect(defaultDueDate('major', '2024-02-28', { majorDueDays: 1, minorDueDays: 2 })).toBe('2024-02-29');
    expect(defaultDueDate(null, '2025-01-31', DEFAULT_DUE_SETTINGS)).toBeNull();
  });

  it('is overdue only after the due date, and never once finished', () => {
    expect(isOverdue('2025-03-10', 'open', '2025-03-10')).toBe(false);
    expect(isOverdue('2025-03-10', 'open', '2025-03-11')).toBe(true);
    expect(isOverdue('2025-03-10', 'actions_planned', '2026-01-01')).toBe(true);
    expect(isOverdue('2025-03-10', 'in_progress', '2026-01-01')).toBe(true);
    for (const s of ['closed', 'done', 'cancelled']) expect(isOverdue('2025-03-10', s, '2026-01-01')).toBe(false);
    expect(isOverdue(null, 'open', '2026-01-01')).toBe(false);
    expect(daysOverdue('2025-03-10', 'open', '2025-03-15')).toBe(5);
    expect(daysOverdue('2025-03-10', 'done', '2025-03-15')).toBe(0);
  });

  it('ages an item in whole days until closed or until today, across month and DST boundaries', () => {
    expect(daysOpen('2025-03-01', null, '2025-04-01')).toBe(31);
    expect(daysOpen('2025-03-01T23:59:00.000Z', '2025-03-05T00:01:00.000Z', '2026-01-01')).toBe(4);
    expect(daysOpen('2025-03-05', null, '2025-03-01')).toBe(0);
    expect(daysBetween('2024-12-31', '2025-01-01')).toBe(1);
    expect(addDays('2025-10-25', 2)).toBe('2025-10-27');
  });
});

describe('drafting and naming findings', () => {
  it('takes kind and grade from the checklist verdict', () => {
    expect(draftFromVerdict('major_nc')).toEqual({ kind: 'nonconformity', grade: 'major' });
    expect(draftFromVerdict('minor_nc')).toEqual({ kind: 'nonconformity', grade: 'minor' });
    expect(draftFromVerdict('observation')).toEqual({ kind: 'observation', grade: '' });
    expect(draftFromVerdict('ofi')).toEqual({ kind: 'ofi', grade: '' });
    expect(draftFromVerdict(undefined)).toEqual({ kind: 'nonconformity', grade: '' });
  });

  it('gives stable human ids', () => {
    expect(findingRef(12, 'ACME', 3)).toBe('F-12-3');
    expect(findingRef(null, 'ACME', 4)).toBe('F-ACME-4');
    expect(findingRef(null, '12', 1)).toBe('F-O12-1');
  });
});

describe('improvement rules (10.2)', () => {
  const base = {
    decision: 'pending',
    status: 'proposed',
    evaluationCriteria: '',
    target: '',
    measuredResult: '',
    targetMet: '',
  };
  it('decides against criteria, carries out only approved ones, measures before closing', () => {
    expect(improvementProblem(base)).toBeNull();
    expect(improvementProblem({ ...base, decision: 'approved' })).toMatchObject({ field: 'evaluationCriteria' });
    expect(improvementProblem({ ...base, status: 'in_progress' })).toMatchObject({ field: 'status' });
    expect(improvementProblem({ ...base, decision: 'approved', evaluationCriteria: 'c' })).toMatchObject({
      field: 'target',
    });
    const approved = { ...base, decision: 'approved', evaluationCriteria: 'c', target: 't' };
    expect(improvementProblem({ ...approved, status: 'implemented' })).toBeNull();
    expect(improvementProblem({ ...approved, status: 'closed' })).toMatchObject({ field: 'measuredResult' });
    expect(improvementProblem({ ...approved, status: 'closed', measuredResult: '78 %', targetMet: 'yes' })).toBeNull();
    expect(improvementProblem({ ...base, decision: 'rejected', evaluationCriteria: 'c' })).toBeNull();
  });
});
