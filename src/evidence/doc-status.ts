// 7.5.4 coverage: is each required piece of documented information there, and is it kept under review?

export const DOC_STATUSES = ['missing', 'overdue', 'present'] as const;
export type DocStatus = (typeof DOC_STATUSES)[number];

/**
 * One required item: `missing` with no linked evidence, `present` when some linked evidence has no next
 * review date or one not yet passed, `overdue` when every linked item is past its next review date.
 */
export function requirementDocStatus(nextReviewDates: readonly (string | null)[], today: string): DocStatus {
  if (nextReviewDates.length === 0) return 'missing';
  return nextReviewDates.some((d) => d === null || d >= today) ? 'present' : 'overdue';
}

/** A 7.5.4 entry is only as good as its weakest requirement: any missing → missing, else any overdue → overdue. */
export function catalogueDocStatus(statuses: readonly DocStatus[]): DocStatus {
  if (statuses.length === 0 || statuses.includes('missing')) return 'missing';
  return statuses.includes('overdue') ? 'overdue' : 'present';
}

export function countByStatus(statuses: readonly DocStatus[]): Record<DocStatus, number> {
  const counts: Record<DocStatus, number> = { missing: 0, overdue: 0, present: 0 };
  for (const s of statuses) counts[s] += 1;
  return counts;
}
