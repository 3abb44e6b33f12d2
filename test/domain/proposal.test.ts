import { describe, expect, it } from 'vitest';
import { byUrgency, managementReviewDue } from '../../src/domain/attention.js';
import { nextStep, type NextStepInput, proposableSteps } from '../../src/domain/proposal.js';

describe('what the owner may propose, and who acts next (10.1)', () => {
  it.each([
    ['open', ['reaction', 'cause', 'actions']],
    ['reaction_recorded', ['cause', 'actions']],
    ['cause_analysed', ['actions']],
    ['actions_planned', ['actions']],
    ['actions_implemented', []],
    ['closed', []],
  ] as const)('at %s: %j', (status, steps) => {
    expect(proposableSteps(status)).toEqual(steps);
  });

  const base: NextStepInput = {
    status: 'open',
    ownerId: 7,
    acknowledged: false,
    viewerId: 7,
    viewerManages: false,
    pendingSteps: [],
    openActionOwners: [],
    viewerOwnsAction: false,
  };
  it.each([
    ['owner, nothing sent', {}, { moves: ['acknowledge', 'propose'], waitingFor: null }],
    ['someone else, nothing sent', { viewerId: 9 }, { moves: [], waitingFor: 'owner' }],
    ['someone else, no owner', { viewerId: 9, ownerId: null }, { moves: [], waitingFor: 'noOwner' }],
    ['auditor, nothing sent', { viewerId: 9, viewerManages: true }, { moves: ['record'], waitingFor: null }],
    [
      'owner, everything sent',
      { acknowledged: true, pendingSteps: ['reaction', 'cause', 'actions'] },
      { moves: [], waitingFor: 'auditors' },
    ],
    [
      'auditor, a proposal pending',
      { viewerId: 9, viewerManages: true, pendingSteps: ['reaction'] },
      { moves: ['reviewProposal'], waitingFor: null },
    ],
    [
      'action owner while planned',
      { status: 'actions_planned', viewerId: 9, openActionOwners: [9] },
      { moves: ['completeActions'], waitingFor: null },
    ],
    [
      'viewer while actions are open',
      { status: 'actions_planned', viewerId: 5, openActionOwners: [9] },
      { moves: [], waitingFor: 'actionOwners' },
    ],
    [
      'auditor owning an action, after implementation',
      { status: 'actions_implemented', viewerId: 9, viewerManages: true, viewerOwnsAction: true },
      { moves: [], waitingFor: 'auditors' },
    ],
    ['closed', { status: 'closed', acknowledged: true }, { moves: [], waitingFor: null }],
  ] as const)('%s', (_name, over, expected) => {
    expect(nextStep({ ...base, ...(over as Partial<NextStepInput>) })).toEqual(expected);
  });
});

describe('needs attention: order and review due dates', () => {
  it('puts overdue first, then the soonest due date, undated last', () => {
    const items = [
      { title: 'c', due: null, overdue: false },
      { title: 'b', due: '2026-05-01', overdue: false },
      { title: 'a', due: '2026-06-01', overdue: true },
      { title: 'd', due: '2026-01-01', overdue: true },
    ];
    expect(items.sort(byUrgency).map((i) => i.title)).toEqual(['d', 'a', 'b', 'c']);
  });
  it.each([
    [null, null, '2026-06-01', { due: null, state: 'never' }],
    ['2025-06-20', null, '2026-06-01', { due: '2026-06-20', state: 'due' }],
    ['2025-09-01', null, '2026-06-01', null],
    ['2025-09-01', '2026-06-10', '2026-06-01', { due: '2026-06-10', state: 'scheduled' }],
    ['2025-09-01', '2026-12-10', '2026-06-01', null],
  ] as const)('last %s, next %s, today %s', (last, next, today, expected) => {
    expect(managementReviewDue(last, next, today)).toEqual(expected);
  });
});
