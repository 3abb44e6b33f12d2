import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorld, type World } from '../findings/fixture.js';

type Json = ReturnType<typeof JSON.parse>;

// Evidence requests in "needs attention" (issue 18): the addressee sees what to answer (overdue in the organisation's
// time zone), the lead sees answers to review; nothing once the request is settled.
describe('evidence requests need attention', () => {
  let w: World;
  beforeAll(async () => {
    w = await makeWorld();
    await w.t.db.updateTable('audit').set({ lead_auditor_id: w.users.lead }).where('id', '=', w.auditA).execute();
  });
  afterAll(async () => {
    await w.t.close();
  });
  const mine = async (who: 'owner' | 'lead') =>
    ((await w.api(who, 'GET', '/api/v1/me/attention', undefined, 'zh-CN')).json() as Json[])
      .filter((e) => e.kind.startsWith('evidence_request'))
      .map((e) => [e.kind, e.title, e.due, e.overdue, e.note]);

  it('lists the request for its addressee, then the answer for the lead, then nothing', async () => {
    const created = await w.api('lead', 'POST', `/api/v1/audits/${w.auditA}/evidence-requests`, [
      { requirementIds: ['4.1-1'], need: 'Context analysis', addresseeId: w.users.owner, dueDate: '2020-05-01' },
      { requirementIds: ['8.6.1-1'], need: 'Incident list', addresseeId: w.users.owner, dueDate: '2099-05-01' },
    ]);
    expect(created.statusCode, created.body).toBe(201);
    const [first, second] = created.json() as Json[];
    expect(await mine('owner')).toEqual([
      ['evidence_request', 'ER-1 Context analysis', '2020-05-01', true, '待回复 · Internal audit 2025'],
      ['evidence_request', 'ER-2 Incident list', '2099-05-01', false, '待回复 · Internal audit 2025'],
    ]);
    expect(await mine('lead')).toEqual([]);
    await w.api('owner', 'POST', `/api/v1/evidence-requests/${first.id}/answers`, { note: 'see the SMS plan' });
    expect(await mine('lead')).toEqual([
      ['evidence_request_review', 'ER-1 Context analysis', '2020-05-01', false, '待审阅 · Internal audit 2025'],
    ]);
    expect(await mine('owner')).toEqual([
      ['evidence_request', 'ER-2 Incident list', '2099-05-01', false, '待回复 · Internal audit 2025'],
    ]);
    await w.api('lead', 'POST', `/api/v1/evidence-requests/${first.id}/transitions`, { action: 'accept' });
    await w.api('lead', 'POST', `/api/v1/evidence-requests/${second.id}/transitions`, { action: 'withdraw' });
    expect([...(await mine('lead')), ...(await mine('owner'))]).toEqual([]);
    // The organisation's view lists open requests too.
    await w.api('lead', 'POST', `/api/v1/audits/${w.auditA}/evidence-requests`, {
      requirementIds: ['4.1-1'],
      need: 'Scope statement',
      addresseeId: w.users.owner,
      dueDate: '2099-06-01',
    });
    const org = (await w.api('lead', 'GET', `/api/v1/organizations/${w.orgA}/attention`)).json() as Json[];
    expect(org.filter((e) => e.kind.startsWith('evidence_request')).map((e) => e.title)).toEqual([
      'ER-3 Scope statement',
    ]);
  });
});
