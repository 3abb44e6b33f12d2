// Certification readiness (China): before a certification body accepts an application, the service management
// system must have operated for at least three months, with at least one internal audit covering all of clauses
// 4–10 and one management review completed. Pure rule: each condition with its evidence or what is missing, and the
// first date from which the organisation can apply.

export const CLAUSES_4_TO_10 = ['4', '5', '6', '7', '8', '9', '10'] as const;
export const MIN_OPERATION_MONTHS = 3;

export interface CertAudit {
  id: number;
  title: string;
  type: string;
  status: string;
  /** The date the report was issued (YYYY-MM-DD), null while not issued. */
  issuedOn: string | null;
  scopeClauses: readonly string[];
}
export interface CertReview {
  id: number;
  title: string;
  heldOn: string;
}

export type Condition =
  | { code: 'smsOperated'; met: boolean; since: string | null; from: string | null }
  | { code: 'internalAudit'; met: boolean; audit: CertAudit | null; missingClauses: string[] }
  | { code: 'managementReview'; met: boolean; review: CertReview | null };

/** The date `months` calendar months after `date` (day clamped to the month's end). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = (total % 12) + 1;
  const last = new Date(Date.UTC(ny, nm, 0)).getUTCDate();
  return `${ny}-${String(nm).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** Clauses of 4–10 an audit's scope does not cover as a whole (a scope of "8.6" does not cover clause 8). */
export function missingClauses(scope: readonly string[]): string[] {
  const whole = new Set(scope);
  return CLAUSES_4_TO_10.filter((c) => !whole.has(c));
}

export function certificationReadiness(input: {
  smsStartedOn: string | null;
  audits: readonly CertAudit[];
  reviews: readonly CertReview[];
  today: string;
}) {
  const { smsStartedOn, today } = input;
  const operatedFrom = smsStartedOn ? addMonths(smsStartedOn, MIN_OPERATION_MONTHS) : null;
  const sms: Condition = {
    code: 'smsOperated',
    met: operatedFrom !== null && operatedFrom <= today,
    since: smsStartedOn,
    from: operatedFrom,
  };
  const issued = input.audits
    .filter((a) => a.type === 'internal' && (a.status === 'issued' || a.status === 'closed') && a.issuedOn !== null)
    .sort((a, b) => (a.issuedOn! < b.issuedOn! ? -1 : 1));
  const full = issued.find((a) => missingClauses(a.scopeClauses).length === 0) ?? null;
  // When none covers everything, the closest one says what is missing.
  const closest =
    full ??
    [...issued].sort((a, b) => missingClauses(a.scopeClauses).length - missingClauses(b.scopeClauses).length)[0] ??
    null;
  const audit: Condition = {
    code: 'internalAudit',
    met: full !== null,
    audit: closest,
    missingClauses: closest ? missingClauses(closest.scopeClauses) : [...CLAUSES_4_TO_10],
  };
  const held = input.reviews.filter((r) => r.heldOn <= today).sort((a, b) => (a.heldOn < b.heldOn ? -1 : 1));
  const review: Condition = { code: 'managementReview', met: held.length > 0, review: held[0] ?? null };
  const conditions = [sms, audit, review];
  const ready = conditions.every((c) => c.met);
  // The first date on which all three hold: known once the audit and the review exist and the start date is set.
  const dates = [operatedFrom, full?.issuedOn ?? null, held[0]?.heldOn ?? null];
  const canApplyFrom = dates.every((d) => d !== null) ? (dates as string[]).sort().at(-1)! : null;
  return { ready, canApplyFrom, conditions };
}
export type CertificationReadiness = ReturnType<typeof certificationReadiness>;
