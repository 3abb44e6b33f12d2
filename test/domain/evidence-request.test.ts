import { describe, expect, it } from 'vitest';
import {
  availableMoves,
  decideCreate,
  decideMove,
  isRequestStatus,
  mayBeAsked,
  REQUEST_MOVES,
  REQUEST_STATUSES,
  type RequestActor,
  REVIEW_MOVES,
  requestOverdue,
  waitingFor,
} from '../../src/domain/evidence-request.js';

// Evidence requests (issue 18): who may do what, and which status each move leads to. Expectations written by hand.
const lead: RequestActor = { userId: 1, role: 'lead_auditor', onAuditTeam: false };
const teamAuditor: RequestActor = { userId: 2, role: 'auditor', onAuditTeam: true };
const otherAuditor: RequestActor = { userId: 3, role: 'auditor', onAuditTeam: false };
const addressee: RequestActor = { userId: 4, role: 'auditee', onAuditTeam: false };
const colleague: RequestActor = { userId: 5, role: 'auditee', onAuditTeam: false };
const viewer: RequestActor = { userId: 6, role: 'viewer', onAuditTeam: false };
const ADDRESSEE = 4;

describe('evidence request moves', () => {
  it.each([
    // status, move, actor, result
    ['open', 'answer', addressee, 'answered'],
    ['returned', 'answer', addressee, 'answered'],
    ['answered', 'answer', addressee, 'notNow'],
    ['accepted', 'answer', addressee, 'notNow'],
    ['withdrawn', 'answer', addressee, 'notNow'],
    ['open', 'answer', colleague, 'answered'],
    ['open', 'answer', viewer, 'forbidden'],
    ['answered', 'accept', lead, 'accepted'],
    ['answered', 'accept', teamAuditor, 'accepted'],
    ['answered', 'accept', otherAuditor, 'forbidden'],
    ['answered', 'accept', addressee, 'forbidden'],
    ['open', 'accept', lead, 'notNow'],
    ['returned', 'accept', lead, 'notNow'],
    ['answered', 'return', teamAuditor, 'returned'],
    ['open', 'return', teamAuditor, 'notNow'],
    ['answered', 'return', addressee, 'forbidden'],
    ['open', 'withdraw', lead, 'withdrawn'],
    ['answered', 'withdraw', lead, 'withdrawn'],
    ['returned', 'withdraw', teamAuditor, 'withdrawn'],
    ['accepted', 'withdraw', lead, 'notNow'],
    ['withdrawn', 'withdraw', lead, 'notNow'],
    ['open', 'withdraw', addressee, 'forbidden'],
  ] as const)('%s + %s by %j → %s', (status, move, actor, result) => {
    const d = decideMove({ status, move, actor, addresseeId: ADDRESSEE, auditOpen: true, comment: 'Missing page 2' });
    expect(d.ok ? d.to : d.reason).toBe(result);
  });

  it('asks again only with a comment saying what is missing', () => {
    const base = { status: 'answered', move: 'return', actor: lead, addresseeId: ADDRESSEE, auditOpen: true } as const;
    expect(decideMove({ ...base, comment: '  ' })).toEqual({ ok: false, reason: 'commentRequired' });
    expect(decideMove(base)).toEqual({ ok: false, reason: 'commentRequired' });
    expect(decideMove({ ...base, comment: 'Signed copy' })).toEqual({ ok: true, to: 'returned' });
  });

  it('closes every move once the audit is issued, even for the lead', () => {
    for (const [status, move, actor] of [
      ['open', 'answer', addressee],
      ['answered', 'accept', lead],
      ['answered', 'return', lead],
      ['open', 'withdraw', lead],
    ] as const)
      expect(decideMove({ status, move, actor, addresseeId: ADDRESSEE, auditOpen: false, comment: 'c' })).toEqual({
        ok: false,
        reason: 'frozen',
      });
    expect(decideCreate(lead, false)).toEqual({ ok: false, reason: 'frozen' });
  });

  it.each([
    [lead, { ok: true }],
    [teamAuditor, { ok: true }],
    [otherAuditor, { ok: false, reason: 'forbidden' }],
    [addressee, { ok: false, reason: 'forbidden' }],
    [{ userId: 7, role: 'admin', onAuditTeam: false }, { ok: true }],
  ] as const)('creating requests: %j → %j', (actor, result) => {
    expect(decideCreate(actor, true)).toEqual(result);
  });

  it.each([
    ['open', addressee, ['answer']],
    ['open', lead, ['answer', 'withdraw']],
    ['answered', lead, ['accept', 'return', 'withdraw']],
    ['answered', addressee, []],
    ['returned', addressee, ['answer']],
    ['accepted', lead, []],
    ['open', viewer, []],
  ] as const)('buttons at %s for %j: %j', (status, actor, moves) => {
    expect(availableMoves(status, actor, ADDRESSEE, true)).toEqual(moves);
  });

  it.each([
    ['open', '2026-03-01', '2026-03-02', true, 'addressee'],
    ['open', '2026-03-02', '2026-03-02', false, 'addressee'],
    ['returned', '2026-03-01', '2026-03-02', true, 'addressee'],
    ['answered', '2026-03-01', '2026-03-02', false, 'auditors'],
    ['accepted', '2026-03-01', '2026-03-02', false, null],
    ['withdrawn', '2026-03-01', '2026-03-02', false, null],
  ] as const)('%s due %s on %s: overdue %s, waiting for %s', (status, due, today, overdue, who) => {
    expect(requestOverdue(status, due, today)).toBe(overdue);
    expect(waitingFor(status)).toBe(who);
  });
});

describe('evidence request statuses and who may be asked', () => {
  it("has five statuses, four moves, three of them the auditors'", () => {
    expect([...REQUEST_STATUSES]).toEqual(['open', 'answered', 'returned', 'accepted', 'withdrawn']);
    expect([...REQUEST_MOVES]).toEqual(['answer', 'accept', 'return', 'withdraw']);
    expect([...REVIEW_MOVES]).toEqual(['accept', 'return', 'withdraw']);
  });

  it('recognises exactly those statuses', () => {
    expect(['open', 'answered', 'returned', 'accepted', 'withdrawn'].map(isRequestStatus)).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(['', 'Open', 'closed', 'rejected'].map(isRequestStatus)).toEqual([false, false, false, false]);
  });

  it('asks only members who may add evidence (docs/permissions.md: not a viewer)', () => {
    expect((['admin', 'lead_auditor', 'auditor', 'auditee', 'viewer'] as const).map(mayBeAsked)).toEqual([
      true,
      true,
      true,
      true,
      false,
    ]);
  });

  it('offers no button once the audit is issued', () => {
    expect(availableMoves('open', lead, ADDRESSEE, false)).toEqual([]);
    expect(availableMoves('answered', lead, ADDRESSEE, false)).toEqual([]);
  });

  it('lets the addressee answer even with a role that may not add evidence', () => {
    expect(decideMove({ status: 'open', move: 'answer', actor: viewer, addresseeId: 6, auditOpen: true })).toEqual({
      ok: true,
      to: 'answered',
    });
  });
});
