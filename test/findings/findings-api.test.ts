import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorld, STATEMENT, type World } from './fixture.js';

describe('findings and nonconformity API (10.1)', () => {
  let w: World;
  let ncId: number;
  beforeAll(async () => {
    w = await makeWorld();
  });
  afterAll(async () => {
    await w.t.close();
  });

  const raise = (body: object, who: 'lead' | 'bert' | 'viewer' = 'lead', auditId = w.auditA) =>
    w.api(who, 'POST', `/api/v1/audits/${auditId}/findings`, body);
  const move = (id: number, body: object, who: 'lead' | 'owner' | 'reviewer' | 'bert' = 'lead', lang = 'en') =>
    w.api(who, 'POST', `/api/v1/nonconformities/${id}/transitions`, body, lang);

  it('raises a graded nonconformity on a checklist item: 201 with id, human ref, status open and a due date by grade', async () => {
    const r = await raise({ requirementId: '8.6.1-1', kind: 'nonconformity', grade: 'minor', statement: STATEMENT });
    expect(r.statusCode).toBe(201);
    const body = r.json();
    ncId = body.id;
    expect(body).toMatchObject({
      ref: `F-${w.auditA}-1`,
      kind: 'nonconformity',
      grade: 'minor',
      status: 'open',
      clauseId: '8.6.1',
      statement: STATEMENT,
    });
    const days = (Date.parse(body.dueDate) - Date.parse(body.raisedOn)) / 86_400_000;
    expect(days).toBe(60);
    const trail = await w.t.db
      .selectFrom('audit_trail')
      .select(['action'])
      .where('entity', '=', 'finding')
      .where('entity_id', '=', String(ncId))
      .execute();
    expect(trail).toEqual([{ action: 'create' }]);
  });

  it('requires a grade only for nonconformities, and refuses an unknown checklist item', async () => {
    const noGrade = await raise({ requirementId: '8.6.1-1', kind: 'nonconformity', statement: STATEMENT });
    expect(noGrade.statusCode).toBe(422);
    expect(noGrade.json().fields.grade).toEqual(['A nonconformity needs a grade: major or minor.']);
    const obs = await raise({ requirementId: '7.5.4-1', kind: 'ofi', grade: 'major', statement: STATEMENT });
    expect(obs.statusCode).toBe(201);
    expect(obs.json()).toMatchObject({
      kind: 'ofi',
      grade: null,
      status: 'recorded',
      dueDate: null,
      ref: `F-${w.auditA}-2`,
    });
    const unknown = await raise({ requirementId: '99.1-1', kind: 'observation', statement: STATEMENT });
    expect(unknown.statusCode).toBe(422);
  });

  it('answers 404 for another organisation’s audit or nonconformity, 403 without the permission', async () => {
    expect((await raise({ requirementId: '8.6.1-1', kind: 'ofi', statement: STATEMENT }, 'bert')).statusCode).toBe(404);
    expect(
      (await raise({ requirementId: '8.6.1-1', kind: 'ofi', statement: STATEMENT }, 'lead', w.auditB)).statusCode,
    ).toBe(404);
    expect((await w.api('bert', 'GET', `/api/v1/nonconformities/${ncId}`)).statusCode).toBe(404);
    expect((await move(ncId, { to: 'reaction_recorded', correction: 'x', consequences: 'y' }, 'bert')).statusCode).toBe(
      404,
    );
    expect((await w.api('bert', 'GET', `/api/v1/organizations/${w.orgA}/nonconformities`)).statusCode).toBe(404);
    expect((await raise({ requirementId: '8.6.1-1', kind: 'ofi', statement: STATEMENT }, 'viewer')).statusCode).toBe(
      403,
    );
    for (const url of [
      '/api/v1/nonconformities/99999999999',
      '/api/v1/findings/2147483648',
      '/api/v1/reviews/99999999999/inputs',
    ]) {
      expect((await w.api('lead', 'GET', url)).statusCode, url).toBe(404);
    }
    const huge = await w.api('lead', 'GET', `/api/v1/organizations/${w.orgA}/nonconformities?owner=99999999999`);
    expect(huge.statusCode).toBe(422);
  });

  it('lists the organisation’s nonconformities, each with its status', async () => {
    const r = await w.api('lead', 'GET', `/api/v1/organizations/${w.orgA}/nonconformities`);
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual([
      expect.objectContaining({ id: ncId, status: 'open', grade: 'minor', overdue: false, daysOpen: 0 }),
    ]);
  });

  it('refuses a transition that is not allowed, or misses fields, with a localised 422', async () => {
    const skip = await move(ncId, { to: 'closed' });
    expect(skip.statusCode).toBe(422);
    expect(skip.json()).toMatchObject({
      error: 'findings.refused.notAllowed',
      refusal: { reason: 'notAllowed', from: 'open', to: 'closed' },
    });
    expect(skip.json().message).toContain('cannot go from “Open” to “Closed”');
    const missing = await move(ncId, { to: 'reaction_recorded', correction: 'Classified INC-77' }, 'lead', 'zh-CN');
    expect(missing.statusCode).toBe(422);
    expect(missing.json().message).toBe('尚缺：后果的处理。');
    expect((await w.api('lead', 'GET', `/api/v1/nonconformities/${ncId}`)).json()).toMatchObject({
      status: 'open',
      timeline: [],
    });
  });

  it('runs the lifecycle to closure; an action owner may not review effectiveness; not effective goes back to planning', async () => {
    const ok = async (body: object, who: 'lead' | 'reviewer' = 'lead') => {
      const r = await move(ncId, body, who);
      expect(r.statusCode, r.body).toBe(200);
      return r.json();
    };
    await ok({ to: 'reaction_recorded', correction: 'Classified INC-77', consequences: 'Checked SLA impact: none' });
    await ok({
      to: 'cause_analysed',
      method: 'five_whys',
      cause: 'Tool does not force a category',
      similar: 'could_occur',
      similarWhere: 'Service requests',
    });
    const planned = await ok({
      to: 'actions_planned',
      actions: [
        { description: 'Make category mandatory', ownerUserId: w.users.owner, dueDate: '2030-01-31', smsChange: true },
      ],
    });
    expect(planned.actions).toEqual([
      expect.objectContaining({
        ref: `F-${w.auditA}-1/A1`,
        status: 'planned',
        smsChange: true,
        owner: { id: w.users.owner, name: 'owner' },
      }),
    ]);
    const notDone = await move(ncId, { to: 'actions_implemented' });
    expect(notDone.statusCode).toBe(422);
    expect(notDone.json().message).toContain(`F-${w.auditA}-1/A1`);
    const actionId = planned.actions[0].id;
    const done = await w.api('owner', 'PATCH', `/api/v1/actions/${actionId}`, { status: 'done' });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ status: 'done' });
    await ok({ to: 'actions_implemented' });
    expect((await w.api('owner', 'PATCH', `/api/v1/actions/${actionId}`, { status: 'planned' })).statusCode).toBe(422);

    // The owner of the action may not review its effectiveness (auditees lack finding.manage anyway: 403).
    await w.t.db.updateTable('action_item').set({ owner_user_id: w.users.lead }).where('id', '=', actionId).execute();
    const own = await move(ncId, { to: 'effectiveness_reviewed', effective: true, verification: 'Sampled' });
    expect(own.statusCode).toBe(422);
    expect(own.json().refusal).toEqual({ reason: 'reviewerOwnsAction' });

    const back = await ok(
      { to: 'effectiveness_reviewed', effective: false, verification: 'Two incidents still uncategorised' },
      'reviewer',
    );
    expect(back).toMatchObject({ status: 'actions_planned', round: 2 });
    expect((await move(ncId, { to: 'actions_implemented' })).json().refusal).toEqual({ reason: 'noActionThisRound' });
    const more = await ok({
      to: 'actions_planned',
      actions: [{ description: 'Train service desk', ownerUserId: w.users.owner, dueDate: '2030-02-28' }],
    });
    expect(more.actions.map((a: { ref: string }) => a.ref)).toEqual([`F-${w.auditA}-1/A1`, `F-${w.auditA}-1/A2`]);
    await w.api('owner', 'PATCH', `/api/v1/actions/${more.actions[1].id}`, { status: 'done' });
    await ok({ to: 'actions_implemented', note: 'Training held' });
    await ok(
      { to: 'effectiveness_reviewed', effective: true, verification: 'Sampled 30 incidents: all categorised' },
      'reviewer',
    );
    const needRef = await move(ncId, { to: 'closed' });
    expect(needRef.json().refusal).toEqual({ reason: 'missingFields', fields: ['smsChangeReference'] });
    const closed = await ok({ to: 'closed', smsChangeReference: 'Incident procedure rev. 4' });
    expect(closed).toMatchObject({ status: 'closed', next: ['open'] });
    expect(closed.closedAt).toBeTruthy();
  });

  it('reopens a closed nonconformity with a reason and keeps its history', async () => {
    const before = (await w.api('lead', 'GET', `/api/v1/nonconformities/${ncId}`)).json();
    expect((await move(ncId, { to: 'open' })).statusCode).toBe(422);
    const r = await move(ncId, { to: 'open', reason: 'Recurred: INC-91 uncategorised' });
    expect(r.statusCode).toBe(200);
    const nc = r.json();
    expect(nc).toMatchObject({ status: 'open', round: 3, closedAt: null });
    expect(nc.timeline).toHaveLength(before.timeline.length + 1);
    expect(nc.timeline.slice(0, -1)).toEqual(before.timeline);
    expect(nc.timeline.map((e: { to: string }) => e.to)).toEqual([
      'reaction_recorded',
      'cause_analysed',
      'actions_planned',
      'actions_implemented',
      'actions_planned',
      'actions_planned',
      'actions_implemented',
      'effectiveness_reviewed',
      'closed',
      'open',
    ]);
    expect(nc.timeline[4]).toMatchObject({
      requested: 'effectiveness_reviewed',
      fields: { effective: false, reviewerId: w.users.reviewer },
      by: { id: w.users.reviewer },
    });
    expect(nc.timeline.at(-1)).toMatchObject({
      from: 'closed',
      to: 'open',
      fields: { reason: 'Recurred: INC-91 uncategorised' },
      by: { id: w.users.lead },
    });
    expect(nc.actions).toHaveLength(2);
  });

  it('computes overdue from due dates and filters the registers, per organisation and across the user’s organisations', async () => {
    const late = await raise({
      requirementId: '8.5.1.3-1',
      kind: 'nonconformity',
      grade: 'major',
      statement: STATEMENT,
      dueDate: '2020-01-01',
      ownerUserId: w.users.owner,
    });
    expect(late.statusCode).toBe(201);
    const overdue = (await w.api('lead', 'GET', `/api/v1/organizations/${w.orgA}/nonconformities?overdue=1`)).json();
    expect(overdue.map((n: { id: number }) => n.id)).toEqual([late.json().id]);
    expect(overdue[0]).toMatchObject({ overdue: true, grade: 'major' });
    expect(overdue[0].daysOverdue).toBeGreaterThan(1000);
    const major = (
      await w.api('lead', 'GET', `/api/v1/organizations/${w.orgA}/nonconformities?grade=major&clause=8.5`)
    ).json();
    expect(major).toHaveLength(1);
    expect(
      (await w.api('lead', 'GET', `/api/v1/organizations/${w.orgA}/nonconformities?clause=9`)).json(),
    ).toHaveLength(0);
    const mine = (await w.api('owner', 'GET', '/api/v1/nonconformities?mine=1')).json();
    expect(mine.map((n: { id: number }) => n.id)).toEqual([late.json().id]);
    expect((await w.api('bert', 'GET', '/api/v1/nonconformities')).json()).toEqual([]);
    const myActions = (await w.api('owner', 'GET', '/api/v1/actions?mine=1')).json();
    // A1 was handed to the lead auditor above: only A2 is still the owner's.
    expect(myActions.map((a: { ref: string }) => a.ref)).toEqual([`F-${w.auditA}-1/A2`]);
  });

  it('raises findings from other sources with an organisation-scoped id', async () => {
    const r = await w.api('lead', 'POST', `/api/v1/organizations/${w.orgA}/findings`, {
      source: 'complaint',
      sourceReference: 'CMP-12',
      clauseId: '8.3.2',
      kind: 'nonconformity',
      grade: 'minor',
      statement: STATEMENT,
    });
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({ ref: 'F-ALPHA-1', source: 'complaint', auditId: null, clauseId: '8.3.2' });
  });

  it('changes owner, service and due date of a finding, refusing another organisation’s register entries', async () => {
    const svc = await w.api('root', 'POST', `/api/v1/organizations/${w.orgA}/services`, { name: 'Service desk' });
    const foreign = await w.api('root', 'POST', `/api/v1/organizations/${w.orgB}/services`, { name: 'Beta hosting' });
    const r = await w.api('lead', 'PATCH', `/api/v1/findings/${ncId}`, {
      ownerUserId: w.users.owner,
      serviceId: svc.json().id,
      dueDate: '2031-01-01',
    });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({
      owner: { id: w.users.owner },
      serviceId: svc.json().id,
      dueDate: '2031-01-01',
      status: 'open',
    });
    expect(
      (await w.api('lead', 'PATCH', `/api/v1/findings/${ncId}`, { serviceId: foreign.json().id })).statusCode,
    ).toBe(422);
    expect((await w.api('bert', 'PATCH', `/api/v1/findings/${ncId}`, { dueDate: '2031-01-02' })).statusCode).toBe(404);
    const cleared = await w.api('lead', 'PATCH', `/api/v1/findings/${ncId}`, { serviceId: null });
    expect(cleared.json()).toMatchObject({ serviceId: null, dueDate: '2031-01-01' });
  });

  it('lists the endpoints in the OpenAPI document under findings', async () => {
    const doc = (await w.t.app.inject({ method: 'GET', url: '/api/docs/json' })).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/audits/{auditId}/findings',
        '/api/v1/organizations/{orgId}/nonconformities',
        '/api/v1/nonconformities/{nonconformityId}/transitions',
      ]),
    );
    expect(doc.paths['/api/v1/nonconformities/{nonconformityId}/transitions'].post.tags).toEqual(['findings']);
  });
});
