import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorld, STATEMENT, type World } from './fixture.js';

// The auditee's part in 10.1: the owner acknowledges and proposes; an auditor accepts or returns each proposal.
describe('proposals on a nonconformity (API)', () => {
  let w: World;
  let nc: number;
  const ids: Record<string, number> = {};
  beforeAll(async () => {
    w = await makeWorld();
    await w.t.db.updateTable('app_user').set({ display_name: 'Lin (owner)' }).where('id', '=', w.users.owner).execute();
    const r = await w.api('lead', 'POST', `/api/v1/audits/${w.auditA}/findings`, {
      requirementId: '8.5.1.3-1',
      kind: 'nonconformity',
      grade: 'major',
      statement: STATEMENT,
      ownerUserId: w.users.owner,
    });
    nc = r.json().id;
    await w.t.db.updateTable('finding').set({ raised_on: '2026-01-05' }).where('id', '=', nc).execute();
  });
  afterAll(async () => {
    await w.t.close();
  });
  const get = (who: 'owner' | 'viewer' | 'lead') => w.api(who, 'GET', `/api/v1/nonconformities/${nc}`);
  const propose = (body: object, who: 'owner' | 'reviewer' = 'owner') =>
    w.api(who, 'POST', `/api/v1/nonconformities/${nc}/proposals`, body);
  const decide = (id: number, body: object, who: 'lead' | 'owner' | 'bert' = 'lead') =>
    w.api(who, 'POST', `/api/v1/proposals/${id}/decision`, body);

  it('says who acts next: the owner may acknowledge and propose; others wait for her, by name', async () => {
    expect((await get('owner')).json()).toMatchObject({
      acknowledgedAt: null,
      proposalDue: '2026-01-19',
      nextStep: { moves: ['acknowledge', 'propose'], waitingFor: null, names: [] },
    });
    expect((await get('viewer')).json().nextStep).toEqual({ moves: [], waitingFor: 'owner', names: ['Lin (owner)'] });
    expect((await get('lead')).json().nextStep).toEqual({ moves: ['record'], waitingFor: null, names: [] });
  });

  it('only the owner acknowledges (403 otherwise); acknowledging twice keeps the first time', async () => {
    const other = await w.api('reviewer', 'POST', `/api/v1/nonconformities/${nc}/acknowledgement`);
    expect(other.statusCode).toBe(403);
    expect(other.json().message).toBe('Only the owner of the nonconformity can acknowledge it or send proposals.');
    const first = await w.api('owner', 'POST', `/api/v1/nonconformities/${nc}/acknowledgement`);
    expect(first.statusCode).toBe(200);
    const at = first.json().acknowledgedAt;
    expect(at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    const again = await w.api('owner', 'POST', `/api/v1/nonconformities/${nc}/acknowledgement`);
    expect(again.json()).toEqual({ id: nc, acknowledgedAt: at, acknowledgedBy: w.users.owner });
    expect((await get('owner')).json().nextStep.moves).toEqual(['propose']);
  });

  it('refuses an incomplete proposal saying what is missing, and a proposal from someone else', async () => {
    const r = await propose({ step: 'reaction', correction: 'Stopped the unrecorded changes' });
    expect(r.statusCode).toBe(422);
    expect(r.json().message).toBe('Still missing: Consequences dealt with.');
    const zh = await w.api(
      'owner',
      'POST',
      `/api/v1/nonconformities/${nc}/proposals`,
      { step: 'actions', actions: [{ description: 'x', ownerUserId: w.users.bert, dueDate: '2026-03-01' }] },
      'zh-CN',
    );
    expect(zh.statusCode).toBe(422);
    expect(zh.json().refusal).toEqual({ reason: 'ownerNotMember', fields: ['actions.0.ownerUserId'] });
    expect((await propose({ step: 'reaction', correction: 'a', consequences: 'b' }, 'reviewer')).statusCode).toBe(403);
  });

  it('the owner sends the whole plan at once; the auditors are named as the ones to act', async () => {
    const reaction = await propose({ step: 'reaction', correction: 'Stopped the change', consequences: 'None' });
    expect(reaction.statusCode).toBe(201);
    expect(reaction.json()).toMatchObject({
      step: 'reaction',
      status: 'pending',
      fields: { correction: 'Stopped the change', consequences: 'None' },
      proposedBy: { id: w.users.owner, name: 'Lin (owner)' },
      decidedBy: null,
      comment: '',
    });
    ids.reaction = reaction.json().id;
    ids.cause = (
      await propose({
        step: 'cause',
        method: 'five_whys',
        cause: 'No change calendar',
        similar: 'could_occur',
        similarWhere: 'Releases',
      })
    ).json().id;
    const actions = await propose({
      step: 'actions',
      actions: [
        { description: 'Keep a change calendar', ownerUserId: w.users.owner, dueDate: '2026-03-01', smsChange: true },
      ],
    });
    expect(actions.statusCode).toBe(201);
    ids.actions = actions.json().id;
    expect((await get('viewer')).json().nextStep).toEqual({
      moves: [],
      waitingFor: 'auditors',
      names: ['lead', 'reviewer', 'root'],
    });
    const attention = (await w.api('lead', 'GET', '/api/v1/me/attention')).json();
    expect(
      attention.filter((i: { kind: string }) => i.kind === 'proposal').map((i: { title: string }) => i.title),
    ).toEqual([
      // Same due date (the nonconformity's): by title.
      `F-${w.auditA}-1 Cause analysis`,
      `F-${w.auditA}-1 Correction and consequences`,
      `F-${w.auditA}-1 Corrective actions`,
    ]);
  });

  it('accepting out of order is refused; returning needs a comment; the owner revises', async () => {
    const early = await decide(ids.cause!, { decision: 'accept' });
    expect(early.statusCode).toBe(422);
    expect(early.json().message).toBe(
      'A nonconformity cannot go from “Open” to “Cause analysed”; that step follows “Reaction recorded”.',
    );
    const bare = await decide(ids.reaction!, { decision: 'return' });
    expect(bare.statusCode).toBe(422);
    expect(bare.json().fields.comment).toEqual(['Say why you return the proposal.']);
    const returned = await decide(ids.reaction!, { decision: 'return', comment: 'Say which changes were stopped.' });
    expect(returned.statusCode).toBe(200);
    expect(returned.json()).toMatchObject({
      status: 'returned',
      comment: 'Say which changes were stopped.',
      decidedBy: { id: w.users.lead, name: 'lead' },
      nonconformity: { status: 'open' },
    });
    expect((await decide(ids.reaction!, { decision: 'accept' })).statusCode).toBe(409);
    const revised = await propose({ step: 'reaction', correction: 'Stopped CHG-12 and CHG-13', consequences: 'None' });
    ids.reaction = revised.json().id;
  });

  it('accepting moves the lifecycle exactly as recording the step does, in order, creating the actions', async () => {
    const ok = await decide(ids.reaction!, { decision: 'accept', comment: 'Fine' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().nonconformity.status).toBe('reaction_recorded');
    expect((await decide(ids.cause!, { decision: 'accept' })).json().nonconformity.status).toBe('cause_analysed');
    expect((await decide(ids.actions!, { decision: 'accept' })).json().nonconformity.status).toBe('actions_planned');
    const n = (await get('owner')).json();
    expect(n.status).toBe('actions_planned');
    expect(n.timeline.map((e: { to: string; by: { name: string } }) => [e.to, e.by.name])).toEqual([
      ['reaction_recorded', 'lead'],
      ['cause_analysed', 'lead'],
      ['actions_planned', 'lead'],
    ]);
    expect(n.timeline[0].fields).toEqual({ correction: 'Stopped CHG-12 and CHG-13', consequences: 'None' });
    expect(n.actions).toMatchObject([
      {
        ref: `F-${w.auditA}-1/A1`,
        description: 'Keep a change calendar',
        owner: { id: w.users.owner },
        dueDate: '2026-03-01',
        smsChange: true,
        status: 'planned',
      },
    ]);
    expect(n.nextStep).toEqual({ moves: ['completeActions', 'propose'], waitingFor: null, names: [] });
    const list = (await w.api('viewer', 'GET', `/api/v1/nonconformities/${nc}/proposals`)).json();
    expect(list.map((p: { step: string; status: string }) => [p.step, p.status])).toEqual([
      ['reaction', 'returned'],
      ['cause', 'accepted'],
      ['actions', 'accepted'],
      ['reaction', 'accepted'],
    ]);
  });

  it("only the organisation's auditors decide: 403 to the auditee, 404 to another organisation", async () => {
    const p = await propose({
      step: 'actions',
      actions: [{ description: 'Train the CAB', ownerUserId: w.users.owner, dueDate: '2026-04-01' }],
    });
    expect((await decide(p.json().id, { decision: 'accept' }, 'owner')).statusCode).toBe(403);
    expect((await decide(p.json().id, { decision: 'accept' }, 'bert')).statusCode).toBe(404);
  });
});
