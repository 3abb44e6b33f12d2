import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attentionItems } from '../../src/attention/items.js';
import { nowIso } from '../../src/db/time.js';
import { translator } from '../../src/web/i18n.js';
import { insertAudit, makeWorld, STATEMENT, type World } from '../findings/fixture.js';

// Dates far in the past and future keep "overdue" independent of the day the test runs.
describe('needs attention: GET /api/v1/me/attention and GET /api/v1/organizations/:orgId/attention', () => {
  let w: World;
  let nc: number;
  let action: number;
  let planned: number;
  beforeAll(async () => {
    w = await makeWorld();
    const raised = await w.api('lead', 'POST', `/api/v1/audits/${w.auditA}/findings`, {
      requirementId: '8.6.1-1',
      kind: 'nonconformity',
      grade: 'minor',
      statement: STATEMENT,
      ownerUserId: w.users.owner,
      dueDate: '2000-01-10',
    });
    expect(raised.statusCode).toBe(201);
    nc = raised.json().id;
    const move = (body: object) => w.api('lead', 'POST', `/api/v1/nonconformities/${nc}/transitions`, body);
    expect(
      (await move({ to: 'reaction_recorded', correction: 'Classified INC-77', consequences: 'None' })).statusCode,
    ).toBe(200);
    expect(
      (await move({ to: 'cause_analysed', method: 'five_whys', cause: 'No triage rota', similar: 'none' })).statusCode,
    ).toBe(200);
    const plannedRes = await move({
      to: 'actions_planned',
      actions: [
        { description: 'Classify every incident at logging', ownerUserId: w.users.owner, dueDate: '2999-12-31' },
      ],
    });
    expect(plannedRes.statusCode).toBe(200);
    action = plannedRes.json().actions[0].id;
    // The lead is on audit A's team; a planned audit of the programme should have started long ago.
    await w.t.db.insertInto('audit_team').values({ audit_id: w.auditA, user_id: w.users.lead }).execute();
    planned = await insertAudit(w.t, w.orgA, 'Programme audit Q1', { status: 'planned' });
    await w.t.db.updateTable('audit').set({ planned_start: '2000-02-01' }).where('id', '=', planned).execute();
    const now = nowIso();
    for (const [title, next] of [
      ['Incident procedure', '2001-05-05'],
      ['Change policy', '2002-01-01'],
      ['SLA catalogue', '2999-01-01'],
    ])
      await w.t.db
        .insertInto('evidence')
        .values({
          organization_id: w.orgA,
          title,
          kind: 'procedure',
          version_label: '1',
          owner: '',
          approved_on: null,
          next_review_on: next,
          location: 'wiki',
          description: '',
          file_id: null,
          file_name: null,
          created_by: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
  });
  afterAll(async () => {
    await w.t.close();
  });

  const pick = (items: Array<Record<string, unknown>>) =>
    items.map(({ kind, organizationId, title, due, overdue, url }) => ({
      kind,
      organizationId,
      title,
      due,
      overdue,
      url,
    }));

  it("the owner's list: her nonconformity and the evidence overdue first, then her action by due date", async () => {
    const r = await w.api('owner', 'GET', '/api/v1/me/attention');
    expect(r.statusCode).toBe(200);
    expect(pick(r.json())).toEqual([
      {
        kind: 'nonconformity',
        organizationId: w.orgA,
        title: `F-${w.auditA}-1 Incidents are not classified`,
        due: '2000-01-10',
        overdue: true,
        url: `/findings/${nc}`,
      },
      {
        kind: 'evidence_review',
        organizationId: w.orgA,
        title: '2 evidence items past their review date',
        due: '2001-05-05',
        overdue: true,
        url: `/orgs/${w.orgA}/evidence?overdue=1`,
      },
      {
        kind: 'action',
        organizationId: w.orgA,
        title: `F-${w.auditA}-1/A1 Classify every incident at logging`,
        due: '2999-12-31',
        overdue: false,
        url: `/findings/${nc}#action-${action}`,
      },
    ]);
    expect(r.json()[0]).toMatchObject({ organizationName: 'Alpha IT 服务', note: 'Minor · Actions planned' });
  });

  it("the lead's list: the late programme audit, evidence, the audit she is on with what blocks its issue, the review never held", async () => {
    const r = await w.api('lead', 'GET', '/api/v1/me/attention');
    expect(r.statusCode).toBe(200);
    expect(pick(r.json())).toEqual([
      {
        kind: 'planned_audit',
        organizationId: w.orgA,
        title: 'Programme audit Q1',
        due: '2000-02-01',
        overdue: true,
        url: `/audits/${planned}`,
      },
      {
        kind: 'evidence_review',
        organizationId: w.orgA,
        title: '2 evidence items past their review date',
        due: '2001-05-05',
        overdue: true,
        url: `/orgs/${w.orgA}/evidence?overdue=1`,
      },
      {
        kind: 'audit',
        organizationId: w.orgA,
        title: 'Internal audit 2025',
        due: null,
        overdue: false,
        url: `/audits/${w.auditA}`,
      },
      {
        kind: 'management_review',
        organizationId: w.orgA,
        title: 'No management review held yet',
        due: null,
        overdue: false,
        url: `/orgs/${w.orgA}/reviews`,
      },
    ]);
    // Four responses, all with a verdict; the major nonconformity on 8.5.1.3-1 has no finding yet.
    expect(r.json()[2]).toMatchObject({
      progress: 100,
      blockers: [{ reason: 'ncWithoutFinding', count: 1 }],
      note: 'In progress · 100% assessed · 1 nonconforming verdict without a finding',
    });
  });

  it('in Chinese, titles and notes are in Chinese', async () => {
    const r = await w.api('lead', 'GET', '/api/v1/me/attention', undefined, 'zh-CN');
    expect(r.json().map((i: { title: string }) => i.title)).toEqual([
      'Programme audit Q1',
      '2 项证据已过评审日期',
      'Internal audit 2025',
      '尚未进行过管理评审',
    ]);
    expect(r.json()[2].note).toBe('实施中 · 已评价 100% · 1 个不符合评价尚未提出审核发现');
  });

  it("another organisation's admin sees only his own organisation's items", async () => {
    const r = await w.api('bert', 'GET', '/api/v1/me/attention');
    expect(pick(r.json())).toEqual([
      {
        kind: 'management_review',
        organizationId: w.orgB,
        title: 'No management review held yet',
        due: null,
        overdue: false,
        url: `/orgs/${w.orgB}/reviews`,
      },
    ]);
  });

  it("the organisation's list holds everyone's items; 404 to a non-member, 401 signed out", async () => {
    const r = await w.api('viewer', 'GET', `/api/v1/organizations/${w.orgA}/attention`);
    expect(r.statusCode).toBe(200);
    expect(pick(r.json()).map((i) => [i.kind, i.title, i.due, i.overdue])).toEqual([
      ['nonconformity', `F-${w.auditA}-1 Incidents are not classified`, '2000-01-10', true],
      ['planned_audit', 'Programme audit Q1', '2000-02-01', true],
      ['evidence_review', '2 evidence items past their review date', '2001-05-05', true],
      ['action', `F-${w.auditA}-1/A1 Classify every incident at logging`, '2999-12-31', false],
      ['audit', 'Internal audit 2025', null, false],
      ['management_review', 'No management review held yet', null, false],
    ]);
    expect((await w.api('bert', 'GET', `/api/v1/organizations/${w.orgA}/attention`)).statusCode).toBe(404);
    expect((await w.t.app.inject({ method: 'GET', url: '/api/v1/me/attention' })).statusCode).toBe(401);
  });

  it('when every action is done, the raiser is asked for the effectiveness review and the action leaves the owner', async () => {
    expect((await w.api('owner', 'PATCH', `/api/v1/actions/${action}`, { status: 'done' })).statusCode).toBe(200);
    expect(
      (await w.api('lead', 'POST', `/api/v1/nonconformities/${nc}/transitions`, { to: 'actions_implemented' }))
        .statusCode,
    ).toBe(200);
    const lead = pick((await w.api('lead', 'GET', '/api/v1/me/attention')).json());
    expect(lead[0]).toEqual({
      kind: 'effectiveness_review',
      organizationId: w.orgA,
      title: `F-${w.auditA}-1 Incidents are not classified`,
      due: '2000-01-10',
      overdue: true,
      url: `/findings/${nc}`,
    });
    const owner = pick((await w.api('owner', 'GET', '/api/v1/me/attention')).json());
    expect(owner.map((i) => i.kind)).toEqual(['nonconformity', 'evidence_review']);
  });

  it("overdue is decided by the organisation's own date: 01:30 in Shanghai is still the day before in UTC", async () => {
    await w.t.db.updateTable('organization').set({ time_zone: 'UTC' }).where('id', '=', w.orgB).execute();
    await w.t.db
      .insertInto('management_review')
      .values({
        organization_id: w.orgB,
        ref: 'MR-1',
        seq: 1,
        title: 'Review',
        held_on: '2025-03-01',
        period_start: '2024-03-01',
        period_end: '2025-02-28',
        attendees: '',
        narratives_json: '{}',
        minutes: '',
        created_by: null,
        created_at: nowIso(),
        updated_at: nowIso(),
      })
      .execute();
    await w.t.db
      .updateTable('action_item')
      .set({ status: 'planned', due_date: '2026-03-01' })
      .where('id', '=', action)
      .execute();
    const at = '2026-03-01T17:30:00.000Z'; // 2026-03-02 01:30 in Shanghai, 2026-03-01 17:30 in UTC
    const a = await attentionItems(w.t.db, { kind: 'org', orgId: w.orgA }, translator('en'), at);
    expect(a.find((i) => i.kind === 'action')).toMatchObject({ due: '2026-03-01', overdue: true });
    const b = await attentionItems(w.t.db, { kind: 'org', orgId: w.orgB }, translator('en'), at);
    // Held 2025-03-01: the next one is due a year on, 2026-03-01 — today in UTC, so due but not yet overdue.
    expect(b.map((i) => [i.kind, i.title, i.due, i.overdue])).toEqual([
      ['management_review', 'Management review due', '2026-03-01', false],
      ['audit', 'Beta audit', null, false],
    ]);
  });
});
