import { TOP_CLAUSES } from './verdicts.js';

/** True when a requirement's clause lies within one of the scope clauses (equal or a sub-clause). */
export function inScope(clauseId: string, scopeClauses: readonly string[]): boolean {
  return scopeClauses.some((s) => clauseId === s || clauseId.startsWith(`${s}.`));
}

/** A certification-readiness audit always covers all of clauses 4–10. */
export function effectiveScope(type: string, clauses: readonly string[]): string[] {
  if (type === 'certification_readiness' || clauses.length === 0) return [...TOP_CLAUSES];
  // Drop clauses already covered by an ancestor in the list: ["8", "8.6"] is just ["8"].
  const unique = [...new Set(clauses)];
  return unique.filter((c) => !unique.some((o) => o !== c && c.startsWith(`${o}.`)));
}

export const topClauseOf = (clauseId: string): string => clauseId.split('.')[0]!;
