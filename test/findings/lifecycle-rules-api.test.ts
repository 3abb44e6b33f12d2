import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorld, STATEMENT, type World } from './fixture.js';

type Json = ReturnType<typeof JSON.parse>; // a JSON body, read field by field

// Two 10.1 rules as the API applies them (issue 22: each shown to catch its own breach): an action's owner is a
// member of the organisation that owns the nonconformity, and an SMS change that was cancelled no longer needs the
// reference of a change to close the nonconformity (8.5.1: only changes that happen are recorded).
describe('corrective action rules through the API (10.1)', () => {
  let w: World;
  beforeAll(async () => {
    w = await makeWorld();
  });
  afterAll(async () => {
    await w.t.close();
  });

  const move = async (id: number, body: object, who: 'lead' | 'reviewer' = 'lead') =>
    w.api(who, 'POST', `/api/v1/nonconformities/${id}/transitions`, body);
  const ok = async (id: number, body: object, who: 'lead' | 'reviewer' = 'lead'): Promise<Json> => {
    const r = await move(id, body, who);
    expect(r.statusCode, r.body).toBe(200);
    return r.json();
  };
  const toPlanning = async (requirementId: string) => {
    const r = await w.api('lead', 'POST', `/api/v1/audits/${w.auditA}/findings`, {
      requirementId,
      kind: 'nonconformity',
      grade: 'minor',
      statement: STATEMENT,
    });
    expect(r.statusCode, r.body).toBe(201);
    const id = r.json().id as number;
    await ok(id, { to: 'reaction_recorded', correction: 'Corrected', consequences: 'None found' });
    await ok(id, { to: 'cause_analysed', method: 'five_whys', cause: 'No check', similar: 'none' });
    return id;
  };

  it('refuses an action owned by someone outside the organisation, naming the action, and plans nothing', async () => {
    const id = await toPlanning('8.6.1-1');
    const r = await move(id, {
      to: 'actions_planned',
      actions: [
        { description: 'Classify incidents', ownerUserId: w.users.owner, dueDate: '2030-01-31' },
        { description: 'Train the desk', ownerUserId: w.users.bert, dueDate: '2030-01-31' },
      ],
    });
    expect(r.statusCode).toBe(422);
    expect(r.json().refusal).toEqual({ reason: 'ownerNotMember', fields: ['actions.1.ownerUserId'] });
    const nc = (await w.api('lead', 'GET', `/api/v1/nonconformities/${id}`)).json();
    expect(nc).toMatchObject({ status: 'cause_analysed', actions: [] });
  });

  it('closes without a change reference when the only SMS-change action was cancelled, and asks for one while it is live', async () => {
    const id = await toPlanning('8.5.1.3-1');
    const planned = await ok(id, {
      to: 'actions_planned',
      actions: [
        { description: 'Change the tool', ownerUserId: w.users.owner, dueDate: '2030-01-31', smsChange: true },
        { description: 'Brief the team', ownerUserId: w.users.owner, dueDate: '2030-01-31' },
      ],
    });
    const [change, brief] = planned.actions as { id: number }[];
    const patch = (actionId: number, status: string) =>
      w.api('owner', 'PATCH', `/api/v1/actions/${actionId}`, { status });
    expect((await patch(brief!.id, 'done')).statusCode).toBe(200);
    expect((await patch(change!.id, 'cancelled')).statusCode).toBe(200);
    await ok(id, { to: 'actions_implemented' });
    await ok(id, { to: 'effectiveness_reviewed', effective: true, verification: 'Sampled 10 changes' }, 'reviewer');
    expect(await ok(id, { to: 'closed' })).toMatchObject({ status: 'closed' });

    // The same nonconformity reopened with a live SMS change: now the reference is asked for.
    await ok(id, { to: 'open', reason: 'Recurred' });
    await ok(id, { to: 'reaction_recorded', correction: 'Corrected again', consequences: 'None' });
    await ok(id, { to: 'cause_analysed', method: 'five_whys', cause: 'Tool still optional', similar: 'none' });
    const again = await ok(id, {
      to: 'actions_planned',
      actions: [
        { description: 'Make it mandatory', ownerUserId: w.users.owner, dueDate: '2030-03-31', smsChange: true },
      ],
    });
    const live = (again.actions as { id: number; ref: string }[]).at(-1)!;
    expect((await patch(live.id, 'done')).statusCode).toBe(200);
    await ok(id, { to: 'actions_implemented' });
    await ok(id, { to: 'effectiveness_reviewed', effective: true, verification: 'Sampled 10 changes' }, 'reviewer');
    const needRef = await move(id, { to: 'closed' });
    expect(needRef.statusCode).toBe(422);
    expect(needRef.json().refusal).toEqual({ reason: 'missingFields', fields: ['smsChangeReference'] });
  });
});
