import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeWorld, STATEMENT, type World } from '../findings/fixture.js';

// Kept figures (issue 20) turn with the organisation's own date, not only with writes: an action due on 30 November
// is not overdue at 23:58 in Shanghai and is three minutes later, while UTC is still on the 30th.
describe('needs attention and the consultant’s table when the organisation’s date turns', () => {
  let w: World;
  beforeAll(async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-30T15:58:00.000Z')); // 23:58 in Shanghai
    w = await makeWorld();
    await w.t.db.updateTable('organization').set({ time_zone: 'Asia/Shanghai' }).where('id', '=', w.orgA).execute();
    const nc = await w.api('lead', 'POST', `/api/v1/audits/${w.auditA}/findings`, {
      requirementId: '8.6.1-1',
      kind: 'nonconformity',
      grade: 'major',
      statement: STATEMENT,
      ownerUserId: w.users.owner,
      dueDate: '2099-01-10',
    });
    expect(nc.statusCode).toBe(201);
    const move = (body: object) => w.api('lead', 'POST', `/api/v1/nonconformities/${nc.json().id}/transitions`, body);
    await move({ to: 'reaction_recorded', correction: 'Classified INC-77', consequences: 'None' });
    await move({ to: 'cause_analysed', method: 'five_whys', cause: 'No triage rota', similar: 'none' });
    const planned = await move({
      to: 'actions_planned',
      actions: [{ description: 'Classify every incident', ownerUserId: w.users.owner, dueDate: '2026-11-30' }],
    });
    expect(planned.statusCode).toBe(200);
  });
  afterAll(async () => {
    vi.useRealTimers();
    await w.t.close();
  });

  const action = async () => {
    const s = (await w.api('owner', 'GET', '/api/v1/me/attention/summary')).json() as {
      kind: string;
      items: { due: string; overdue: boolean }[];
    }[];
    return s.find((x) => x.kind === 'action')!.items.map((i) => [i.due, i.overdue]);
  };
  const overdueInTable = async () =>
    ((await w.api('lead', 'GET', '/api/v1/me/clients')).json() as { items: { overdueActions: number }[] }).items[0]!
      .overdueActions;

  it('not overdue at 23:58 on its due date, overdue at 00:01 the next day, with no write between', async () => {
    expect(await action()).toEqual([['2026-11-30', false]]);
    expect(await overdueInTable()).toBe(0);
    vi.setSystemTime(new Date('2026-11-30T16:01:00.000Z')); // 00:01 on 1 December in Shanghai, three minutes on
    expect(await action()).toEqual([['2026-11-30', true]]);
    expect(await overdueInTable()).toBe(1);
  });
});
