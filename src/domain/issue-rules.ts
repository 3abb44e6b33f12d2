import type { Verdict } from './verdicts.js';

// What an audit report needs before it is issued (issue 15; ISO 19011 6.5.1, ISO/IEC 17021-1 9.4.8):
// who led it, why and against what it was done, what it covered, when it was carried out and what it concluded; a
// revision after the first says why it was made, and a certification-readiness audit states its recommendation;
// every item has a verdict (not audited counts: the report lists it under areas not covered); and every
// nonconforming verdict is carried by a nonconformity of the same grade, so none is issued silently.
export const REQUIRED_FIELDS = [
  'leadAuditorId',
  'objectives',
  'criteria',
  'scope',
  'actualStart',
  'actualEnd',
  'conclusion',
] as const;
export type RequiredField = (typeof REQUIRED_FIELDS)[number];

export interface IssueCandidate {
  /** The audit's type: a certification-readiness audit states a recommendation. */
  type: string;
  /** Stored from 0: a revision above 0 is a revision after the first, which says why it was made. */
  revision: number;
  revisionReason: string;
  recommendation: string;
  leadAuditorId: number | null;
  objectives: string;
  criteria: string;
  scope: readonly string[];
  actualStart: string | null;
  actualEnd: string | null;
  conclusion: string;
  responses: readonly { requirementId: string; verdict: Verdict }[];
  findings: readonly { requirementId: string | null; kind: string; grade: string | null }[];
}

/** Required only sometimes: the revision reason after the first revision, the recommendation of a readiness audit. */
export type ConditionalField = 'revisionReason' | 'recommendation';

export type IssueProblem =
  | { code: 'missing'; field: RequiredField | ConditionalField }
  | { code: 'datesReversed'; field: 'actualEnd' }
  | { code: 'notAssessed'; requirementId: string }
  | { code: 'ncWithoutFinding'; requirementId: string; grade: 'major' | 'minor' };

const GRADE_OF: Partial<Record<Verdict, 'major' | 'minor'>> = { major_nc: 'major', minor_nc: 'minor' };

/** Every reason the audit cannot be issued yet, in a stable order (fields, then items in the standard's order). */
export function issueProblems(c: IssueCandidate): IssueProblem[] {
  const problems: IssueProblem[] = [];
  const blank = (v: string | null) => v === null || v.trim() === '';
  const present: Record<RequiredField, boolean> = {
    leadAuditorId: c.leadAuditorId !== null,
    objectives: !blank(c.objectives),
    criteria: !blank(c.criteria),
    scope: c.scope.length > 0,
    actualStart: !blank(c.actualStart),
    actualEnd: !blank(c.actualEnd),
    conclusion: !blank(c.conclusion),
  };
  for (const f of REQUIRED_FIELDS) if (!present[f]) problems.push({ code: 'missing', field: f });
  // ISO 19011 6.5.1 / ISO/IEC 17021-1 9.4.8: a revised report says why; a readiness audit ends in a recommendation.
  if (c.revision > 0 && blank(c.revisionReason)) problems.push({ code: 'missing', field: 'revisionReason' });
  if (c.type === 'certification_readiness' && blank(c.recommendation))
    problems.push({ code: 'missing', field: 'recommendation' });
  if (c.actualStart && c.actualEnd && c.actualEnd < c.actualStart)
    problems.push({ code: 'datesReversed', field: 'actualEnd' });
  const graded = new Set(
    c.findings.filter((f) => f.kind === 'nonconformity' && f.requirementId).map((f) => `${f.requirementId}|${f.grade}`),
  );
  for (const r of c.responses) {
    if (r.verdict === 'not_assessed') problems.push({ code: 'notAssessed', requirementId: r.requirementId });
    const grade = GRADE_OF[r.verdict];
    if (grade && !graded.has(`${r.requirementId}|${grade}`))
      problems.push({ code: 'ncWithoutFinding', requirementId: r.requirementId, grade });
  }
  return problems;
}
