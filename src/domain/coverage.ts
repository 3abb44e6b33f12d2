import { inScope } from './scope.js';

// Programme coverage (9.2.2): every clause of 4–10 must be audited within the programme's cycle.
// A clause counts as covered by an audit when every requirement under it is in that audit's scope.
export interface CoverageAudit {
  id: number;
  title: string;
  status: string;
  scope: readonly string[];
}
export interface CoverageClause {
  id: string;
  requirementClauses: readonly string[]; // the clause ids of the requirements under it
}
export type CellState = 'none' | 'planned' | 'completed';
const COMPLETED = new Set(['issued', 'closed']);

export function coverageMatrix(clauses: readonly CoverageClause[], audits: readonly CoverageAudit[]) {
  const rows = clauses.map((c) => {
    const cells = audits.map((a): CellState => {
      const covered = c.requirementClauses.length > 0 && c.requirementClauses.every((rc) => inScope(rc, a.scope));
      if (!covered) return 'none';
      return COMPLETED.has(a.status) ? 'completed' : 'planned';
    });
    const state: CellState = cells.includes('completed') ? 'completed' : cells.includes('planned') ? 'planned' : 'none';
    return { clause: c.id, cells, state };
  });
  return { rows, uncovered: rows.filter((r) => r.state === 'none').map((r) => r.clause) };
}
