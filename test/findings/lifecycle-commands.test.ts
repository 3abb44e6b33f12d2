import type { LightMyRequestResponse } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { quickWorld, type QuickWorld, setUpOnce } from '../support/quick-world.js';
import { STATEMENT } from './fixture.js';

type Json = ReturnType<typeof JSON.parse>; // a JSON body, read field by field

// The lifecycle commands (src/findings/lifecycle.ts) through the API: what one transition records (status, round,
// closing date, the timeline entry, the planned actions with their references, the trail) and what a refused one
// leaves untouched; an action's status and completion date; pending proposals a recorded step makes moot.
describe('nonconformity lifecycle commands', () => {
  let w: QuickWorld;
  setUpOnce(async () => {
    w = await quickWorld();
  });
  afterAll(async () => {
    await w?.t.close();
  });

  const ok = async (r: Promise<LightMyRequestResponse>, code = 200): Promise<Json> => {
    const res = await r;
    expect(res.statusCode, res.body).toBe(code);
    return res.json();
  };
  const move = (id: number, body: object, who: 'lead' | 'auditor' = 'lead') =>
    w.api(who, 'POST', `/api/v1/nonconformities/${id}/transitions`, body);
  const get = async (id: number) => ok(w.api('lead', 'GET', `/api/v1/nonconformities/${id}`));
  const raise = async (requirementId: string) =>
    (
      await ok(
        w.api('lead', 'POST', `/api/v1/audits/${w.auditA}/findings`, {
          requirementId,
          kind: 'nonconformity',
          grade: 'minor',
          statement: STATEMENT,
          ownerUserId: w.users.owner,
        }),
        201,
      )
    ).id as number;
  const toCause = async (id: number) => {
    await ok(move(id, { to: 'reaction_recorded', correction: 'Corrected', consequences: 'None found' }));
    await ok(move(id, { to: 'cause_analysed', method: 'five_whys', cause: 'No check', similar: 'none' }));
  };
  const trail = async (entity: string, entityId: number) =>
    (
      await w.t.db
        .selectFrom('audit_trail')
        .select(['action', 'before_json', 'after_json'])
        .where('entity', '=', entity)
        .where('entity_id', '=', String(entityId))
        .orderBy('id')
        .execute()
    ).map((r) => ({
      action: r.action,
      before: r.before_json && JSON.parse(r.before_json),
      after: r.after_json && JSON.parse(r.after_json),
    }));

  it('records a step: the new status, a timeline entry with its fields and who, and a trail entry', async () => {
    const id = await raise('8.6.1-1');
    const nc = await ok(move(id, { to: 'reaction_recorded', correction: 'Reclassified INC-77', consequences: 'None' }));
    expect([nc.status, nc.round, nc.closedAt]).toEqual(['reaction_recorded', 1, null]);
    expect(nc.timeline.map((e: Json) => [e.from, e.to, e.requested, e.round, e.fields, e.by.id])).toEqual([
      [
        'open',
        'reaction_recorded',
        'reaction_recorded',
        1,
        { correction: 'Reclassified INC-77', consequences: 'None' },
        w.users.lead,
      ],
    ]);
    expect((await trail('finding', id)).at(-1)).toEqual({
      action: 'update',
      before: { status: 'open', round: 1 },
      after: {
        status: 'reaction_recorded',
        round: 1,
        transition: 'reaction_recorded',
        fields: { correction: 'Reclassified INC-77', consequences: 'None' },
      },
    });
  });

  it('plans actions with references after the nonconformity’s own, owners, due dates and SMS-change flags', async () => {
    const id = await raise('8.5.1.3-1');
    await toCause(id);
    const ref = (await get(id)).ref as string;
    const nc = await ok(
      move(id, {
        to: 'actions_planned',
        actions: [
          {
            description: '  Classify every incident  ',
            ownerUserId: w.users.owner,
            dueDate: '2030-01-31',
            smsChange: true,
          },
          { description: 'Train the desk', ownerUserId: w.users.auditor, dueDate: '2030-02-28' },
        ],
      }),
    );
    expect(nc.status).toBe('actions_planned');
    expect(
      nc.actions.map((a: Json) => [
        a.ref,
        a.description,
        a.owner?.id,
        a.dueDate,
        a.status,
        a.smsChange,
        a.round,
        a.completedAt,
      ]),
    ).toEqual([
      [`${ref}/A1`, 'Classify every incident', w.users.owner, '2030-01-31', 'planned', true, 1, null],
      [`${ref}/A2`, 'Train the desk', w.users.auditor, '2030-02-28', 'planned', false, 1, null],
    ]);
    expect(nc.timeline.at(-1).fields.actionRefs).toEqual([`${ref}/A1`, `${ref}/A2`]);
    const created = await trail('action', nc.actions[0].id);
    expect(created.map((e) => [e.action, e.after.ref, e.after.status])).toEqual([['create', `${ref}/A1`, 'planned']]);
    // Planning more while planning: the numbering goes on.
    const more = await ok(
      move(id, {
        to: 'actions_planned',
        actions: [{ description: 'Audit the tool', ownerUserId: w.users.owner, dueDate: '2030-03-31' }],
      }),
    );
    expect(more.actions.map((a: Json) => a.ref)).toEqual([`${ref}/A1`, `${ref}/A2`, `${ref}/A3`]);
  });

  it('refuses an action owned by someone outside the organisation, naming it, and records nothing', async () => {
    const id = await raise('7.5.4-1');
    await toCause(id);
    const before = await get(id);
    const r = await move(id, {
      to: 'actions_planned',
      actions: [
        { description: 'Inside', ownerUserId: w.users.owner, dueDate: '2030-01-31' },
        { description: 'Outside', ownerUserId: w.users.bert, dueDate: '2030-01-31' },
      ],
    });
    expect(r.statusCode).toBe(422);
    expect(r.json().refusal).toEqual({ reason: 'ownerNotMember', fields: ['actions.1.ownerUserId'] });
    const after = await get(id);
    expect([after.status, after.actions, after.timeline.length]).toEqual([
      'cause_analysed',
      [],
      before.timeline.length,
    ]);
  });

  it('refuses a step the lifecycle does not allow (422 saying what is missing) and records nothing', async () => {
    const id = await raise('4.1-1');
    const r = await move(id, { to: 'reaction_recorded', correction: 'Only the correction' });
    expect(r.statusCode).toBe(422);
    expect(r.json().refusal).toEqual({ reason: 'missingFields', fields: ['consequences'] });
    const nc = await get(id);
    expect([nc.status, nc.timeline.length]).toEqual(['open', 0]);
    expect((await trail('finding', id)).filter((e) => e.action === 'update')).toEqual([]);
  });

  it('dates a closed nonconformity and clears the date when it is reopened in a new round', async () => {
    const id = await raise('8.6.1-1');
    await toCause(id);
    const planned = await ok(
      move(id, {
        to: 'actions_planned',
        actions: [{ description: 'Fix', ownerUserId: w.users.owner, dueDate: '2030-01-31' }],
      }),
    );
    await ok(w.api('owner', 'PATCH', `/api/v1/actions/${planned.actions[0].id}`, { status: 'done' }));
    await ok(move(id, { to: 'actions_implemented' }));
    await ok(move(id, { to: 'effectiveness_reviewed', effective: true, verification: 'Sampled 10' }, 'auditor'));
    const closed = await ok(move(id, { to: 'closed' }));
    expect(closed.status).toBe('closed');
    expect(closed.closedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    const reopened = await ok(move(id, { to: 'open', reason: 'Recurred' }));
    expect([reopened.status, reopened.round, reopened.closedAt]).toEqual(['open', 2, null]);
  });

  it("sets an action's status; completion is dated once, kept on a repeat, and cleared for a cancelled action", async () => {
    const id = await raise('7.5.4-1'); // a second nonconformity on the item
    await toCause(id);
    const nc = await ok(
      move(id, {
        to: 'actions_planned',
        actions: [{ description: 'Do it', ownerUserId: w.users.owner, dueDate: '2030-01-31' }],
      }),
    );
    const actionId = nc.actions[0].id as number;
    const patch = (status: string) => w.api('owner', 'PATCH', `/api/v1/actions/${actionId}`, { status });
    const done = await ok(patch('done'));
    expect(done.status).toBe('done');
    expect(done.completedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    await w.t.db
      .updateTable('action_item')
      .set({ completed_at: '2029-12-01T08:00:00.000Z' })
      .where('id', '=', actionId)
      .execute();
    expect((await ok(patch('done'))).completedAt).toBe('2029-12-01T08:00:00.000Z');
    const cancelled = await ok(patch('cancelled'));
    expect([cancelled.status, cancelled.completedAt]).toEqual(['cancelled', null]);
    expect((await trail('action', actionId)).slice(1)).toEqual([
      { action: 'update', before: { status: 'planned' }, after: { status: 'done' } },
      { action: 'update', before: { status: 'done' }, after: { status: 'done' } },
      { action: 'update', before: { status: 'done' }, after: { status: 'cancelled' } },
    ]);
    // Once the nonconformity has moved on from planning, its actions are locked.
    await ok(patch('done'));
    await ok(move(id, { to: 'actions_implemented' }));
    const locked = await patch('in_progress');
    expect(locked.statusCode).toBe(422);
    expect((await get(id)).actions[0].status).toBe('done');
  });

  it("supersedes the owner's pending proposal for a step the auditor records directly, and only that step's", async () => {
    const id = await raise('8.5.1.3-1');
    const propose = (body: object) => ok(w.api('owner', 'POST', `/api/v1/nonconformities/${id}/proposals`, body), 201);
    const reaction = await propose({ step: 'reaction', correction: 'Stopped', consequences: 'None' });
    const cause = await propose({ step: 'cause', method: 'five_whys', cause: 'No check', similar: 'none' });
    await ok(move(id, { to: 'reaction_recorded', correction: 'Recorded by the lead', consequences: 'None' }));
    const status = async (pid: number) =>
      (await w.t.db.selectFrom('nc_proposal').select('status').where('id', '=', pid).executeTakeFirstOrThrow()).status;
    expect([await status(reaction.id), await status(cause.id)]).toEqual(['superseded', 'pending']);
    // The cause recorded by the lead: the owner's cause proposal is moot too.
    await ok(move(id, { to: 'cause_analysed', method: 'five_whys', cause: 'Lead', similar: 'none' }));
    expect(await status(cause.id)).toBe('superseded');
  });
});
