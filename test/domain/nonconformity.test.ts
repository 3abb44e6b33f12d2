import { describe, expect, it } from 'vitest';
import {
  decideTransition,
  NC_STATUSES,
  type NcAction,
  type NcSnapshot,
  type NcStatus,
  nextStatuses,
  type TransitionFields,
} from '../../src/domain/nonconformity.js';

const OWNER = 7;
const REVIEWER = 9;
const action = (over: Partial<NcAction> = {}): NcAction => ({
  ownerUserId: OWNER,
  status: 'done',
  round: 1,
  smsChange: false,
  ref: 'F-1-1/A1',
  ...over,
});
const nc = (status: NcStatus, over: Partial<NcSnapshot> = {}): NcSnapshot => ({
  status,
  round: 1,
  actions: [],
  ...over,
});

/** Complete, valid fields for each target. */
const VALID: Record<NcStatus, TransitionFields> = {
  open: { reason: 'Recurred at the March audit' },
  reaction_recorded: {
    correction: 'Restored the missing change records',
    consequences: 'Re-reviewed the 3 affected changes',
  },
  cause_analysed: {
    method: 'five_whys',
    cause: 'No template field for approval',
    similar: 'could_occur',
    similarWhere: 'Release management',
  },
  actions_planned: {
    actions: [{ description: 'Add approval field', ownerUserId: OWNER, dueDate: '2025-03-01', smsChange: true }],
  },
  actions_implemented: { note: 'All done' },
  effectiveness_reviewed: { effective: true, verification: 'Sampled 20 changes in April: all approved' },
  closed: { smsChangeReference: 'CHG-0042', note: '' },
};
/** A snapshot from which each target is allowed and its preconditions hold. */
const READY: Record<NcStatus, NcSnapshot> = {
  open: nc('closed', { actions: [action({ smsChange: true })] }),
  reaction_recorded: nc('open'),
  cause_analysed: nc('reaction_recorded'),
  actions_planned: nc('cause_analysed'),
  actions_implemented: nc('actions_planned', { actions: [action()] }),
  effectiveness_reviewed: nc('actions_implemented', { actions: [action()] }),
  closed: nc('effectiveness_reviewed', { actions: [action({ smsChange: true })] }),
};
const ALLOWED: Record<NcStatus, NcStatus[]> = {
  open: ['reaction_recorded'],
  reaction_recorded: ['cause_analysed'],
  cause_analysed: ['actions_planned'],
  actions_planned: ['actions_planned', 'actions_implemented'],
  actions_implemented: ['effectiveness_reviewed'],
  effectiveness_reviewed: ['closed'],
  closed: ['open'],
};

describe('nonconformity lifecycle (10.1): allowed and refused transitions', () => {
  for (const from of NC_STATUSES) {
    for (const to of NC_STATUSES) {
      const allowed = ALLOWED[from].includes(to);
      it(`${from} → ${to} is ${allowed ? 'allowed' : 'refused'}`, () => {
        const snapshot = { ...READY[to], status: from };
        const d = decideTransition(snapshot, to, VALID[to], REVIEWER);
        if (allowed) {
          expect(d).toMatchObject({ ok: true, from, to });
        } else {
          expect(d).toMatchObject({ ok: false, reason: 'notAllowed', from, to });
        }
      });
    }
  }

  it('offers exactly the allowed next statuses', () => {
    for (const s of NC_STATUSES) expect(nextStatuses(s).sort()).toEqual([...ALLOWED[s]].sort());
  });

  it('records the entered fields, trimmed', () => {
    const d = decideTransition(
      nc('open'),
      'reaction_recorded',
      { correction: '  fixed  ', consequences: 'none found' },
      1,
    );
    expect(d).toEqual({
      ok: true,
      from: 'open',
      to: 'reaction_recorded',
      round: 1,
      recorded: { correction: 'fixed', consequences: 'none found' },
    });
  });
});

describe('what each transition requires', () => {
  it('reaction: the correction and the consequences', () => {
    expect(decideTransition(nc('open'), 'reaction_recorded', {}, 1)).toEqual({
      ok: false,
      reason: 'missingFields',
      fields: ['correction', 'consequences'],
    });
    expect(decideTransition(nc('open'), 'reaction_recorded', { correction: ' ', consequences: 'x' }, 1)).toMatchObject({
      ok: false,
      fields: ['correction'],
    });
  });

  it('cause analysis: method, cause, whether similar ones exist — and where, unless none', () => {
    expect(decideTransition(nc('reaction_recorded'), 'cause_analysed', {}, 1)).toEqual({
      ok: false,
      reason: 'missingFields',
      fields: ['method', 'cause', 'similar'],
    });
    expect(
      decideTransition(nc('reaction_recorded'), 'cause_analysed', { method: 'tarot', cause: 'x', similar: 'none' }, 1),
    ).toEqual({ ok: false, reason: 'invalidFields', fields: ['method'] });
    expect(
      decideTransition(
        nc('reaction_recorded'),
        'cause_analysed',
        { method: 'fishbone', cause: 'x', similar: 'exist' },
        1,
      ),
    ).toEqual({ ok: false, reason: 'missingFields', fields: ['similarWhere'] });
    expect(
      decideTransition(nc('reaction_recorded'), 'cause_analysed', { method: 'other', cause: 'x', similar: 'none' }, 1),
    ).toMatchObject({ ok: true, recorded: { method: 'other', similar: 'none', similarWhere: '' } });
  });

  it('planning: at least one action, each with description, owner and a valid due date; SMS change flag kept', () => {
    expect(decideTransition(nc('cause_analysed'), 'actions_planned', {}, 1)).toEqual({
      ok: false,
      reason: 'missingFields',
      fields: ['actions'],
    });
    expect(decideTransition(nc('cause_analysed'), 'actions_planned', { actions: [{ description: 'x' }] }, 1)).toEqual({
      ok: false,
      reason: 'missingFields',
      fields: ['actions.0.ownerUserId', 'actions.0.dueDate'],
    });
    expect(
      decideTransition(
        nc('cause_analysed'),
        'actions_planned',
        { actions: [{ description: 'x', ownerUserId: 1, dueDate: '2025-02-30x' }] },
        1,
      ),
    ).toEqual({ ok: false, reason: 'invalidFields', fields: ['actions.0.dueDate'] });
    expect(decideTransition(nc('cause_analysed'), 'actions_planned', VALID.actions_planned, 1)).toMatchObject({
      ok: true,
      recorded: { actions: [{ description: 'Add approval field', smsChange: true }] },
    });
  });

  it('implemented: refused while an action is not done, naming it; cancelled actions do not block', () => {
    const open = nc('actions_planned', { actions: [action(), action({ status: 'in_progress', ref: 'F-1-1/A2' })] });
    expect(decideTransition(open, 'actions_implemented', {}, 1)).toEqual({
      ok: false,
      reason: 'actionsNotDone',
      actions: ['F-1-1/A2'],
    });
    const cancelled = nc('actions_planned', { actions: [action(), action({ status: 'cancelled' })] });
    expect(decideTransition(cancelled, 'actions_implemented', {}, 1)).toMatchObject({ ok: true });
  });

  it('implemented: refused without any action in the current round', () => {
    expect(decideTransition(nc('actions_planned'), 'actions_implemented', {}, 1)).toEqual({
      ok: false,
      reason: 'noActionThisRound',
    });
    const round2 = nc('actions_planned', { round: 2, actions: [action({ round: 1 })] });
    expect(decideTransition(round2, 'actions_implemented', {}, 1)).toEqual({ ok: false, reason: 'noActionThisRound' });
    expect(
      decideTransition(
        nc('actions_planned', { actions: [action({ status: 'cancelled' })] }),
        'actions_implemented',
        {},
        1,
      ),
    ).toEqual({ ok: false, reason: 'noActionThisRound' });
  });

  it('effectiveness review: needs the verdict and how it was verified', () => {
    const s = READY.effectiveness_reviewed;
    expect(decideTransition(s, 'effectiveness_reviewed', {}, REVIEWER)).toEqual({
      ok: false,
      reason: 'missingFields',
      fields: ['effective', 'verification'],
    });
  });

  it('effectiveness review by an action owner is refused', () => {
    const s = nc('actions_implemented', { actions: [action({ ownerUserId: 3 }), action({ ownerUserId: OWNER })] });
    expect(decideTransition(s, 'effectiveness_reviewed', VALID.effectiveness_reviewed, OWNER)).toEqual({
      ok: false,
      reason: 'reviewerOwnsAction',
    });
    expect(decideTransition(s, 'effectiveness_reviewed', VALID.effectiveness_reviewed, REVIEWER)).toMatchObject({
      ok: true,
      to: 'effectiveness_reviewed',
    });
  });

  it('not effective sends it back to planning, in a new round, recording the reviewer', () => {
    const d = decideTransition(
      READY.effectiveness_reviewed,
      'effectiveness_reviewed',
      { effective: false, verification: 'Recurred twice' },
      REVIEWER,
    );
    expect(d).toEqual({
      ok: true,
      from: 'actions_implemented',
      to: 'actions_planned',
      round: 2,
      recorded: { effective: false, verification: 'Recurred twice', reviewerId: REVIEWER },
    });
  });

  it('closing names the SMS change when an action required one (10.1.1 e)', () => {
    expect(decideTransition(READY.closed, 'closed', {}, 1)).toEqual({
      ok: false,
      reason: 'missingFields',
      fields: ['smsChangeReference'],
    });
    expect(decideTransition(nc('effectiveness_reviewed', { actions: [action()] }), 'closed', {}, 1)).toMatchObject({
      ok: true,
      to: 'closed',
    });
  });

  it('reopening needs a reason and starts a new round from open', () => {
    expect(decideTransition(READY.open, 'open', {}, 1)).toEqual({
      ok: false,
      reason: 'missingFields',
      fields: ['reason'],
    });
    expect(decideTransition(READY.open, 'open', { reason: 'Recurred' }, 1)).toEqual({
      ok: true,
      from: 'closed',
      to: 'open',
      round: 2,
      recorded: { reason: 'Recurred' },
    });
  });
});
