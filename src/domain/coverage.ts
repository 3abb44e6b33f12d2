import { inScope } from './scope.js';

// Programme coverage (9.2.2): every clause of 4–10 must be audited within the programme's cycle.
// A clause counts as covered by a completed audit when every requirement under it is in that audit's scope and was
// examined: items set to "not audited in this audit" leave it partly audited. Across the cycle, a clause is covered
// when the completed audits together examined every requirement under it.
export interface CoverageAudit {
  id: number;
  title: string;
  status: string;
  scope: readonly string[];
  /** Clause ids of the requirements this audit recorded as not audited. */
  notAudited?: readonly string[];
}
export interface CoverageClause {
  id: string;
  requirementClauses: readonly string[]; // the clause ids of the requirements under it
}
export type CellState = 'none' | 'planned' | 'partial' | 'completed';
const COMPLETED = new Set(['issued', 'closed']);

export function coverageMatrix(clauses: readonly CoverageClause[], audits: readonly CoverageAudit[]) {
  const skipped = audits.map((a) => new Set(a.notAudited ?? []));
  const rows = clauses.map((c) => {
    const examinedInCycle = new Set<string>();
    const cells = audits.map((a, i): CellState => {
      const done = COMPLETED.has(a.status);
      const examined = c.requirementClauses.filter((rc) => inScope(rc, a.scope) && !skipped[i]!.has(rc));
      if (done) for (const rc of examined) examinedInCycle.add(rc);
      const inAudit = c.requirementClauses.length > 0 && c.requirementClauses.every((rc) => inScope(rc, a.scope));
      if (!inAudit) return 'none';
      if (!done) return 'planned';
      if (examined.length === c.requirementClauses.length) return 'completed';
      return examined.length > 0 ? 'partial' : 'none';
    });
    const together = c.requirementClauses.length > 0 && c.requirementClauses.every((rc) => examinedInCycle.has(rc));
    const state: CellState =
      cells.includes('completed') || together
        ? 'completed'
        : cells.includes('planned')
          ? 'planned'
          : cells.includes('partial')
            ? 'partial'
            : 'none';
    return { clause: c.id, cells, state };
  });
  return {
    rows,
    uncovered: rows.filter((r) => r.state === 'none' || r.state === 'partial').map((r) => r.clause),
  };
}
