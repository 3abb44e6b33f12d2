// The structured parts of an audit report beyond the checklist (issue 15; ISO 19011 6.5.1, ISO/IEC 17021-1 9.4.8).

/** What a follow-up or surveillance audit found when it verified an earlier nonconformity. */
export const VERIFICATION_RESULTS = ['effective', 'not_effective', 'not_verified'] as const;
export type VerificationResult = (typeof VERIFICATION_RESULTS)[number];

/** Who accepts an issued report: the lead auditor, and optionally the auditee's representative. */
export const ACCEPTANCE_ROLES = ['leadAuditor', 'auditeeRepresentative'] as const;
export type AcceptanceRole = (typeof ACCEPTANCE_ROLES)[number];

export interface DivergingOpinion {
  topic: string;
  teamView: string;
  auditeeView: string;
}

export interface Verification {
  findingId: number;
  verified: string;
  result: VerificationResult;
}

/** The sample behind one checklist answer (ISO 19011 A.6). */
export interface ItemSample {
  population: string;
  size: number | null;
  method: string;
  references: string;
  result: string;
}

/** A sample is recorded when any of its parts is. */
export const hasSample = (s: ItemSample | null): s is ItemSample =>
  s !== null && (s.population !== '' || s.size !== null || s.method !== '' || s.references !== '' || s.result !== '');

/** A stored sample (JSON text, '' when none). */
export function sampleOf(json: string): ItemSample | null {
  if (!json) return null;
  const s = JSON.parse(json) as Partial<ItemSample>;
  return {
    population: s.population ?? '',
    size: s.size ?? null,
    method: s.method ?? '',
    references: s.references ?? '',
    result: s.result ?? '',
  };
}

/** A stored JSON list ('[]' by default). */
export const listOf = <T>(json: string): T[] => (json ? (JSON.parse(json) as T[]) : []);
