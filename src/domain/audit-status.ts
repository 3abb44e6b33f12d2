// Audit lifecycle: planned → in progress → reporting → issued → closed.
// An issued audit is read-only; changing it means a new revision, which reopens it in progress
// while the issued revision stays frozen.
export const AUDIT_STATUSES = ['planned', 'in_progress', 'reporting', 'issued', 'closed'] as const;
export type AuditStatus = (typeof AUDIT_STATUSES)[number];

export const AUDIT_TYPES = [
  'internal',
  'self_assessment',
  'gap_analysis',
  'supplier',
  'certification_readiness',
] as const;
export type AuditType = (typeof AUDIT_TYPES)[number];

export type AuditTransition = 'start' | 'report' | 'reopen' | 'issue' | 'revise' | 'close';

const TRANSITIONS: Record<AuditTransition, { from: readonly AuditStatus[]; to: AuditStatus }> = {
  start: { from: ['planned'], to: 'in_progress' },
  report: { from: ['in_progress'], to: 'reporting' },
  reopen: { from: ['reporting'], to: 'in_progress' },
  issue: { from: ['reporting'], to: 'issued' },
  revise: { from: ['issued'], to: 'in_progress' },
  close: { from: ['issued'], to: 'closed' },
};
export const AUDIT_TRANSITIONS = Object.keys(TRANSITIONS) as AuditTransition[];

export type TransitionResult =
  | { ok: true; to: AuditStatus; newRevision: boolean }
  | { ok: false; reason: 'notAllowed' };

/** Decides a transition by the audit's status alone; what issuing needs besides is in issue-rules.ts. */
export function decideAuditTransition(status: AuditStatus, action: AuditTransition): TransitionResult {
  const t = TRANSITIONS[action];
  if (!t.from.includes(status)) return { ok: false, reason: 'notAllowed' };
  return { ok: true, to: t.to, newRevision: action === 'revise' };
}

export function availableTransitions(status: AuditStatus): AuditTransition[] {
  return AUDIT_TRANSITIONS.filter((a) => TRANSITIONS[a].from.includes(status));
}

/** Responses may change only while the audit is being carried out or written up. */
export function isEditable(status: AuditStatus): boolean {
  return status === 'planned' || status === 'in_progress' || status === 'reporting';
}

export function isAuditStatus(v: string): v is AuditStatus {
  return (AUDIT_STATUSES as readonly string[]).includes(v);
}
