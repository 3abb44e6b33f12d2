import { describe, expect, it } from 'vitest';
import {
  checkProposal,
  nextStep,
  type NextStepInput,
  PROPOSAL_STEPS,
  proposalFields,
  STEP_TARGET,
} from '../../src/domain/proposal.js';

// The auditee's proposals (10.1): what each step must hold, what is kept of it, and who acts next once the
// nonconformity has moved past planning.
describe('a proposal for each step of 10.1', () => {
  it('names three steps, each moving the nonconformity one status on', () => {
    expect([...PROPOSAL_STEPS]).toEqual(['reaction', 'cause', 'actions']);
    expect(STEP_TARGET).toEqual({ reaction: 'reaction_recorded', cause: 'cause_analysed', actions: 'actions_planned' });
  });

  it('asks of each step what recording it would ask', () => {
    expect(checkProposal('reaction', {})).toEqual({
      ok: false,
      reason: 'missingFields',
      fields: ['correction', 'consequences'],
    });
    expect(checkProposal('reaction', { correction: 'Classified', consequences: 'None' })).toEqual({ ok: true });
    expect(checkProposal('cause', { method: 'five_whys', cause: 'No check', similar: 'none' })).toEqual({ ok: true });
    expect(checkProposal('cause', { method: 'five_whys', cause: '  ' })).toMatchObject({ ok: false });
    expect(checkProposal('actions', { actions: [] })).toMatchObject({ ok: false });
    expect(
      checkProposal('actions', { actions: [{ description: 'Train', ownerUserId: 7, dueDate: '2030-01-31' }] }),
    ).toEqual({ ok: true });
  });

  it('keeps only the fields of its own step, trimmed', () => {
    const sent = {
      correction: ' Classified INC-77 ',
      consequences: ' SLA checked ',
      method: 'five_whys',
      cause: ' No mandatory category ',
      similar: 'exist',
      similarWhere: ' Service requests ',
      actions: [{ description: ' Make it mandatory ', ownerUserId: 7, dueDate: '2030-01-31', smsChange: true }],
      note: 'not kept',
    };
    expect(proposalFields('reaction', sent)).toEqual({ correction: 'Classified INC-77', consequences: 'SLA checked' });
    expect(proposalFields('cause', sent)).toEqual({
      method: 'five_whys',
      cause: 'No mandatory category',
      similar: 'exist',
      similarWhere: 'Service requests',
    });
    expect(proposalFields('actions', sent)).toEqual({
      actions: [{ description: 'Make it mandatory', ownerUserId: 7, dueDate: '2030-01-31', smsChange: true }],
    });
    expect(proposalFields('cause', { method: 'other', cause: 'x', similar: 'none' })).toMatchObject({
      similarWhere: '',
    });
    expect(proposalFields('actions', {})).toEqual({ actions: [] });
    expect(proposalFields('actions', { actions: [{ description: 'Train' }] })).toEqual({
      actions: [{ description: 'Train', ownerUserId: null, dueDate: null, smsChange: false }],
    });
  });
});

describe('who acts next once actions are planned (10.1)', () => {
  const base: NextStepInput = {
    status: 'actions_planned',
    ownerId: 7,
    acknowledged: true,
    viewerId: 7,
    viewerManages: false,
    pendingSteps: [],
    openActionOwners: [],
    viewerOwnsAction: false,
  };
  it.each([
    ['owner, actions still open with others', { openActionOwners: [8] }, ['propose'], 'actionOwners'],
    ['owner owning an open action', { openActionOwners: [7] }, ['completeActions', 'propose'], null],
    ['auditor, every action done', { viewerId: 9, viewerManages: true }, ['markImplemented'], null],
    ['auditor, actions open', { viewerId: 9, viewerManages: true, openActionOwners: [8] }, [], 'actionOwners'],
    ['viewer, every action done', { viewerId: 5 }, [], 'auditors'],
    [
      'auditor after implementation',
      { status: 'actions_implemented', viewerId: 9, viewerManages: true },
      ['reviewEffectiveness'],
      null,
    ],
    ['owner after implementation', { status: 'actions_implemented' }, [], 'auditors'],
    [
      'auditor after the review',
      { status: 'effectiveness_reviewed', viewerId: 9, viewerManages: true },
      ['close'],
      null,
    ],
    ['owner after the review', { status: 'effectiveness_reviewed' }, [], 'auditors'],
    [
      'owner with everything pending but a further step',
      { status: 'open', acknowledged: true, pendingSteps: ['reaction'] },
      ['propose'],
      'auditors',
    ],
  ] as const)('%s', (_name, over, moves, waitingFor) => {
    expect(nextStep({ ...base, ...(over as Partial<NextStepInput>) })).toEqual({ moves, waitingFor });
  });
});
