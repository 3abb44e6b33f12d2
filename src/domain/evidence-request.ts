// Evidence requests (issue 18): an auditor asks a member of the auditee organisation for evidence on checklist items
// of an audit, by a date. Pure rules: the statuses and the moves between them, who may make each move, and when a
// request is overdue. Dates are calendar dates (YYYY-MM-DD); "today" is the organisation's own date.
//
//   open ──answer──▶ answered ──accept──▶ accepted
//                      │  ▲
//                 return  answer
//                      ▼  │
//                    returned
//   open | answered | returned ──withdraw──▶ withdrawn
//
// Once the audit is issued (or closed) its requests are closed as well: nothing moves any more.

import { can, type Role } from './permissions.js';

export const REQUEST_STATUSES = ['open', 'answered', 'returned', 'accepted', 'withdrawn'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

export const REQUEST_MOVES = ['answer', 'accept', 'return', 'withdraw'] as const;
export type RequestMove = (typeof REQUEST_MOVES)[number];
/** The moves an auditor makes (the API's transitions). */
export const REVIEW_MOVES = ['accept', 'return', 'withdraw'] as const;
export type ReviewMove = (typeof REVIEW_MOVES)[number];

const MOVES: Record<RequestMove, { from: readonly RequestStatus[]; to: RequestStatus }> = {
  answer: { from: ['open', 'returned'], to: 'answered' },
  accept: { from: ['answered'], to: 'accepted' },
  return: { from: ['answered'], to: 'returned' },
  withdraw: { from: ['open', 'answered', 'returned'], to: 'withdrawn' },
};

export const isRequestStatus = (v: string): v is RequestStatus => (REQUEST_STATUSES as readonly string[]).includes(v);

/** Who is acting: their role in the organisation, and whether they lead or are on the team of the request's audit. */
export interface RequestActor {
  userId: number;
  role: Role;
  onAuditTeam: boolean;
}

/**
 * The audit's lead and auditors ask, accept, ask again and withdraw: a member who fills checklists (audit.respond) and
 * is on the audit's team, or anyone who manages audits (audit.manage) in the organisation.
 */
export function mayReview(a: RequestActor): boolean {
  return can(a.role, 'audit.manage') || (can(a.role, 'audit.respond') && a.onAuditTeam);
}

/** The addressee answers; so may another member who adds evidence (evidence.manage), e.g. a colleague standing in. */
export function mayAnswer(a: RequestActor, addresseeId: number): boolean {
  return a.userId === addresseeId || can(a.role, 'evidence.manage');
}

/** Who may be asked: a member whose role lets them add evidence (a viewer could not answer). */
export const mayBeAsked = (role: Role): boolean => can(role, 'evidence.manage');

export type MoveRefusal = 'frozen' | 'forbidden' | 'notNow' | 'commentRequired';
export type MoveDecision = { ok: true; to: RequestStatus } | { ok: false; reason: MoveRefusal };

export interface MoveInput {
  status: RequestStatus;
  move: RequestMove;
  actor: RequestActor;
  addresseeId: number;
  /** The audit is still being carried out or written up (planned, in progress, reporting). */
  auditOpen: boolean;
  /** The auditor's comment (asking again needs one: it says what is still missing). */
  comment?: string;
}

/** Decides one move. Checked in this order: the audit frozen, the actor's right, the status, the comment. */
export function decideMove(i: MoveInput): MoveDecision {
  if (!i.auditOpen) return { ok: false, reason: 'frozen' };
  const allowed = i.move === 'answer' ? mayAnswer(i.actor, i.addresseeId) : mayReview(i.actor);
  if (!allowed) return { ok: false, reason: 'forbidden' };
  const m = MOVES[i.move];
  if (!m.from.includes(i.status)) return { ok: false, reason: 'notNow' };
  if (i.move === 'return' && !(i.comment ?? '').trim()) return { ok: false, reason: 'commentRequired' };
  return { ok: true, to: m.to };
}

/** Creating requests: the audit open, and an actor who may review. */
export function decideCreate(
  actor: RequestActor,
  auditOpen: boolean,
): { ok: true } | { ok: false; reason: MoveRefusal } {
  if (!auditOpen) return { ok: false, reason: 'frozen' };
  if (!mayReview(actor)) return { ok: false, reason: 'forbidden' };
  return { ok: true };
}

/** The moves this actor can make now (for the buttons on a page), in a fixed order. */
export function availableMoves(
  status: RequestStatus,
  actor: RequestActor,
  addresseeId: number,
  auditOpen: boolean,
): RequestMove[] {
  return REQUEST_MOVES.filter((move) => {
    const d = decideMove({ status, move, actor, addresseeId, auditOpen, comment: 'x' });
    return d.ok;
  });
}

/** Whose move it is: the addressee's while open or returned, the auditors' once answered, nobody's when settled. */
export function waitingFor(status: RequestStatus): 'addressee' | 'auditors' | null {
  if (status === 'open' || status === 'returned') return 'addressee';
  if (status === 'answered') return 'auditors';
  return null;
}

/** Overdue: still waiting for an answer and its due date is before the organisation's today (due today is not). */
export function requestOverdue(status: RequestStatus, due: string, today: string): boolean {
  return waitingFor(status) === 'addressee' && due < today;
}
