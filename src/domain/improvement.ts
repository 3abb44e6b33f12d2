// 10.2 continual improvement: what an improvement opportunity records, and the rules on its progress.
export const IMPROVEMENT_SOURCES = ['ofi_finding', 'management_review', 'suggestion'] as const;
/** 10.2 a): improvement targets. */
export const TARGET_DIMENSIONS = [
  'quality',
  'value',
  'capability',
  'cost',
  'productivity',
  'resource_utilisation',
  'risk_reduction',
] as const;
export const DECISIONS = ['pending', 'approved', 'rejected'] as const;
export const IMPROVEMENT_STATUSES = ['proposed', 'in_progress', 'implemented', 'closed'] as const;
export const PRIORITIES = ['high', 'medium', 'low'] as const;
export const TARGET_MET = ['', 'yes', 'no'] as const;

export interface ImprovementState {
  decision: string;
  status: string;
  evaluationCriteria: string;
  target: string;
  measuredResult: string;
  targetMet: string;
}

/**
 * The first rule an improvement breaks, as a field and an i18n key; null when it is consistent.
 * A decision is taken against evaluation criteria (10.2); only approved improvements are carried out (10.2 b);
 * an implemented improvement is measured against its target before it is closed (10.2 d).
 */
export function improvementProblem(s: ImprovementState): { field: string; key: string } | null {
  if (s.decision !== 'pending' && !s.evaluationCriteria.trim())
    return { field: 'evaluationCriteria', key: 'reviews.improvement.errors.criteriaFirst' };
  if (s.status !== 'proposed' && s.decision !== 'approved')
    return { field: 'status', key: 'reviews.improvement.errors.notApproved' };
  if (s.decision === 'approved' && !s.target.trim())
    return { field: 'target', key: 'reviews.improvement.errors.targetFirst' };
  if (s.status === 'closed' && (!s.measuredResult.trim() || !s.targetMet))
    return { field: 'measuredResult', key: 'reviews.improvement.errors.measureFirst' };
  return null;
}
