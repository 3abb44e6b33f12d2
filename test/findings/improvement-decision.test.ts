import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorld, type World } from './fixture.js';

// 9.3 / 10.2: whether an opportunity for improvement is taken up is decided by those who run management reviews
// (docs/permissions.md: review.manage — administrator and lead auditor). An auditee may record and update
// improvements (action.update), but a decision they send is not theirs to make and is left as it was.
describe('the decision on an opportunity for improvement (10.2)', () => {
  let w: World;
  beforeAll(async () => {
    w = await makeWorld();
  });
  afterAll(() => w.t.close());

  const base = {
    title: 'Automate change notifications',
    source: 'suggestion',
    evaluationCriteria: 'Fewer unannounced changes',
    target: 'No unannounced change in Q1',
  };

  it('keeps an auditee’s improvement pending whatever decision they send', async () => {
    const res = await w.api('owner', 'POST', `/api/v1/organizations/${w.orgA}/improvements`, {
      ...base,
      decision: 'approved',
      decisionNotes: 'I approve my own idea',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ decision: 'pending', decisionNotes: '' });
  });

  it('lets the lead auditor decide, and an auditee’s later edit leaves that decision alone', async () => {
    const created = await w.api('lead', 'POST', `/api/v1/organizations/${w.orgA}/improvements`, {
      ...base,
      decision: 'approved',
      decisionNotes: 'Approved in the 2026 review',
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as number;
    expect(created.json()).toMatchObject({ decision: 'approved', decisionNotes: 'Approved in the 2026 review' });

    const edited = await w.api('owner', 'PUT', `/api/v1/improvements/${id}`, {
      ...base,
      plan: 'Webhook from the change tool',
      decision: 'rejected',
      decisionNotes: 'overruled',
    });
    expect(edited.statusCode).toBe(200);
    expect(edited.json()).toMatchObject({
      plan: 'Webhook from the change tool',
      decision: 'approved',
      decisionNotes: 'Approved in the 2026 review',
    });
  });
});
