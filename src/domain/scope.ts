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

/** One answer of an audit as a scope change sees it. */
export interface ScopedAnswer {
  requirementId: string;
  clauseId: string;
  verdict: string;
  notes: string;
  samples: string;
  interviewees: string;
  /** The recorded sample as JSON, '' when none. */
  sample: string;
  evidenceCount: number;
}

/** Something an auditor recorded: a verdict, a note, a sample, people interviewed or evidence examined. */
export const isRecorded = (a: ScopedAnswer): boolean =>
  a.verdict !== 'not_assessed' ||
  a.notes.trim() !== '' ||
  a.samples.trim() !== '' ||
  a.interviewees.trim() !== '' ||
  a.sample !== '' ||
  a.evidenceCount > 0;

/**
 * What changing an open audit's scope to `clauses` does to its answers: the checklist items that come in (a "not
 * assessed" answer each), the answers that go, and of those the ones with something recorded (the change asks first).
 */
export function scopeChange(
  answers: readonly ScopedAnswer[],
  requirements: readonly { id: string; clauseId: string }[],
  clauses: readonly string[],
) {
  const have = new Set(answers.map((a) => a.requirementId));
  const add = requirements.filter((r) => !have.has(r.id) && inScope(r.clauseId, clauses)).map((r) => r.id);
  const drop = answers.filter((a) => !inScope(a.clauseId, clauses));
  return { add, drop: drop.map((a) => a.requirementId), recorded: drop.filter(isRecorded) };
}
