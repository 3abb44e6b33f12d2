// Verdicts on a checklist item. Clause 1.2 forbids excluding requirements of clauses 4–10,
// so there is deliberately no "not applicable" verdict. "Not audited in this audit" (not_audited) is different: the item
// is in scope but was not examined this time (sampling, ISO 19011 6.4 / A.6); it is never counted as conforming, and
// the report lists it under areas not covered.
export const VERDICTS = [
  'not_assessed',
  'conforming',
  'minor_nc',
  'major_nc',
  'observation',
  'ofi',
  'not_audited',
] as const;
export type Verdict = (typeof VERDICTS)[number];

export const NONCONFORMING: readonly Verdict[] = ['minor_nc', 'major_nc'];
/** Verdicts that offer a drafted finding. */
export const FINDING_VERDICTS: readonly Verdict[] = ['minor_nc', 'major_nc', 'observation', 'ofi'];

export function isVerdict(v: unknown): v is Verdict {
  return typeof v === 'string' && (VERDICTS as readonly string[]).includes(v);
}

export const TOP_CLAUSES = ['4', '5', '6', '7', '8', '9', '10'] as const;
