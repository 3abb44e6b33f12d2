// The auditee's part in 10.1: the owner of a nonconformity proposes each step (the reaction, the cause analysis, the
// actions); an auditor accepts it — which moves the lifecycle exactly as recording the step directly does — or
// returns it with a comment. Pure rules: what may be proposed when, what a proposal must hold, and who acts next.

import { decideTransition, type NcStatus, type Refusal, type TransitionFields } from './nonconformity.js';

export const PROPOSAL_STEPS = ['reaction', 'cause', 'actions'] as const;
export type ProposalStep = (typeof PROPOSAL_STEPS)[number];

export const PROPOSAL_STATUSES = ['pending', 'accepted', 'returned', 'superseded'] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];

/** The lifecycle status an accepted proposal moves the nonconformity to. */
export const STEP_TARGET: Record<ProposalStep, NcStatus> = {
  reaction: 'reaction_recorded',
  cause: 'cause_analysed',
  actions: 'actions_planned',
};

/** The status from which the step's transition starts (planning further actions is also allowed while planning). */
const STEP_FROM: Record<ProposalStep, readonly NcStatus[]> = {
  reaction: ['open'],
  cause: ['reaction_recorded'],
  actions: ['cause_analysed', 'actions_planned'],
};

const ORDER: readonly NcStatus[] = ['open', 'reaction_recorded', 'cause_analysed', 'actions_planned'];

/**
 * Steps the owner may propose now: the next one and those after it up to the actions, so that an owner can send the
 * whole plan at once; the auditor then accepts them in order.
 */
export function proposableSteps(status: NcStatus): ProposalStep[] {
  const at = ORDER.indexOf(status);
  if (at < 0) return [];
  return PROPOSAL_STEPS.filter((s) => ORDER.indexOf(STEP_TARGET[s]) > at || STEP_FROM[s].includes(status));
}

/** Checks that a proposal holds what recording the step would require; the same refusal as the lifecycle's. */
export function checkProposal(step: ProposalStep, f: TransitionFields): ({ ok: false } & Refusal) | { ok: true } {
  const d = decideTransition({ status: STEP_FROM[step][0]!, round: 1, actions: [] }, STEP_TARGET[step], f, 0);
  if (d.ok) return { ok: true };
  return d;
}

/** The fields a step keeps (what the owner sent for other steps is not stored). */
export function proposalFields(step: ProposalStep, f: TransitionFields): TransitionFields {
  if (step === 'reaction') return { correction: f.correction?.trim(), consequences: f.consequences?.trim() };
  if (step === 'cause')
    return { method: f.method, cause: f.cause?.trim(), similar: f.similar, similarWhere: f.similarWhere?.trim() ?? '' };
  return {
    actions: (f.actions ?? []).map((a) => ({
      description: a.description?.trim(),
      ownerUserId: a.ownerUserId ?? null,
      dueDate: a.dueDate ?? null,
      smsChange: a.smsChange === true,
    })),
  };
}

/** What a viewer can do next on a nonconformity, and whom it waits for when it is not them. */
export type NextMove =
  | 'acknowledge'
  | 'propose'
  | 'reviewProposal'
  | 'record' // an auditor may record the step directly
  | 'completeActions'
  | 'markImplemented'
  | 'reviewEffectiveness'
  | 'close';
export type WaitingFor = 'owner' | 'noOwner' | 'auditors' | 'actionOwners' | null;

export interface NextStepInput {
  status: NcStatus;
  ownerId: number | null;
  acknowledged: boolean;
  viewerId: number;
  /** The viewer may run the lifecycle (finding.manage). */
  viewerManages: boolean;
  pendingSteps: readonly ProposalStep[];
  /** Owners of the live actions (planned / in progress) of the current round. */
  openActionOwners: readonly (number | null)[];
  /** The viewer owns a live action of the nonconformity (they may not review its effectiveness). */
  viewerOwnsAction: boolean;
}

export function nextStep(n: NextStepInput): { moves: NextMove[]; waitingFor: WaitingFor } {
  const moves: NextMove[] = [];
  const isOwner = n.ownerId !== null && n.ownerId === n.viewerId;
  if (n.status === 'closed') return { moves, waitingFor: null };
  if (isOwner && !n.acknowledged) moves.push('acknowledge');
  const planning = ORDER.includes(n.status);
  if (planning && n.pendingSteps.length) {
    if (n.viewerManages) moves.push('reviewProposal');
    if (isOwner && proposableSteps(n.status).some((s) => !n.pendingSteps.includes(s))) moves.push('propose');
    return { moves, waitingFor: n.viewerManages ? null : 'auditors' };
  }
  if (n.status === 'actions_planned') {
    if (n.openActionOwners.includes(n.viewerId)) moves.push('completeActions');
    if (n.openActionOwners.length === 0 && n.viewerManages) moves.push('markImplemented');
    if (isOwner) moves.push('propose');
    const waitingFor: WaitingFor =
      n.openActionOwners.length > 0 ? (moves.includes('completeActions') ? null : 'actionOwners') : 'auditors';
    return { moves, waitingFor: n.viewerManages && waitingFor === 'auditors' ? null : waitingFor };
  }
  if (planning) {
    if (isOwner) moves.push('propose');
    if (n.viewerManages) moves.push('record');
    if (isOwner || n.viewerManages) return { moves, waitingFor: null };
    return { moves, waitingFor: n.ownerId === null ? 'noOwner' : 'owner' };
  }
  if (n.status === 'actions_implemented' && n.viewerManages && !n.viewerOwnsAction) moves.push('reviewEffectiveness');
  if (n.status === 'effectiveness_reviewed' && n.viewerManages) moves.push('close');
  return { moves, waitingFor: moves.length ? null : 'auditors' };
}
