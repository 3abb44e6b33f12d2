import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nowIso } from '../../src/db/time.js';
import { Browser } from '../helpers.js';
import { makeWorld, STATEMENT, type World } from './fixture.js';

describe('completing and handing on corrective actions', () => {
  let w: World;
  let nc: number;
  let a1: number;
  let a2: number;
  let evidence: number;
  let foreign: number;
  beforeAll(async () => {
    w = await makeWorld();
    nc = (
      await w.api('lead', 'POST', `/api/v1/audits/${w.auditA}/findings`, {
        requirementId: '8.6.1-1',
        kind: 'nonconformity',
        grade: 'minor',
        statement: STATEMENT,
        ownerUserId: w.users.owner,
      })
    ).json().id;
    const move = (body: object) => w.api('lead', 'POST', `/api/v1/nonconformities/${nc}/transitions`, body);
    await move({ to: 'reaction_recorded', correction: 'c', consequences: 'c' });
    await move({ to: 'cause_analysed', method: 'other', cause: 'c', similar: 'none' });
    const planned = await move({
      to: 'actions_planned',
      actions: [
        { description: 'Classify incidents', ownerUserId: w.users.owner, dueDate: '2000-02-01' },
        { description: 'Train the service desk', ownerUserId: w.users.owner, dueDate: '2999-02-01' },
      ],
    });
    [a1, a2] = planned.json().actions.map((a: { id: number }) => a.id);
    const ins = async (orgId: number, title: string) =>
      (
        await w.t.db
          .insertInto('evidence')
          .values({
            organization_id: orgId,
            title,
            kind: 'record',
            version_label: '',
            owner: '',
            approved_on: null,
            next_review_on: null,
            location: 'wiki',
            description: '',
            file_id: null,
            file_name: null,
            created_by: null,
            created_at: nowIso(),
            updated_at: nowIso(),
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    evidence = await ins(w.orgA, 'Incident classification report');
    foreign = await ins(w.orgB, 'Beta secret');
  });
  afterAll(async () => {
    await w.t.close();
  });

  it('shows the overdue action flagged, and completes it with a note, a date and evidence', async () => {
    const before = (await w.api('owner', 'GET', `/api/v1/nonconformities/${nc}`)).json();
    expect(before.actions.map((a: { overdue: boolean }) => a.overdue)).toEqual([true, false]);
    const r = await w.api('owner', 'POST', `/api/v1/actions/${a1}/completion`, {
      note: 'All 212 open incidents classified',
      completedOn: '2026-01-15',
      evidenceIds: [evidence],
    });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({
      status: 'done',
      completedOn: '2026-01-15',
      completionNote: 'All 212 open incidents classified',
      overdue: false,
      evidence: [{ id: evidence, title: 'Incident classification report' }],
    });
  });

  it('refuses evidence of another organisation, a date in the future and an empty note', async () => {
    const other = await w.api('owner', 'POST', `/api/v1/actions/${a2}/completion`, {
      note: 'x',
      completedOn: '2026-01-15',
      evidenceIds: [foreign],
    });
    expect(other.statusCode).toBe(422);
    expect(other.json().fields).toEqual({ evidenceIds: ['Pick evidence of this organisation.'] });
    const future = await w.api('owner', 'POST', `/api/v1/actions/${a2}/completion`, {
      note: 'x',
      completedOn: '2999-01-01',
    });
    expect(future.json().fields).toEqual({ completedOn: ['The completion date cannot be later than today.'] });
    const empty = await w.api('owner', 'POST', `/api/v1/actions/${a2}/completion`, {
      note: ' ',
      completedOn: '2026-01-15',
    });
    expect(empty.statusCode).toBe(422);
    expect(Object.keys(empty.json().fields)).toEqual(['note']);
    expect(
      (await w.api('viewer', 'POST', `/api/v1/actions/${a2}/completion`, { note: 'x', completedOn: '2026-01-15' }))
        .statusCode,
    ).toBe(403);
  });

  it('hands an action on to another member only', async () => {
    const bad = await w.api('owner', 'POST', `/api/v1/actions/${a2}/reassignment`, { ownerUserId: w.users.bert });
    expect(bad.statusCode).toBe(422);
    const ok = await w.api('owner', 'POST', `/api/v1/actions/${a2}/reassignment`, { ownerUserId: w.users.reviewer });
    expect(ok.json().owner).toEqual({ id: w.users.reviewer, name: 'reviewer' });
    const trail = await w.t.db
      .selectFrom('audit_trail')
      .select(['before_json', 'after_json'])
      .where('entity', '=', 'action')
      .where('entity_id', '=', String(a2))
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(trail.before_json!)).toEqual({ owner_user_id: w.users.owner });
    expect(JSON.parse(trail.after_json!)).toEqual({ owner_user_id: w.users.reviewer });
  });

  it('on the page (zh): completes with an uploaded file, which lands in the evidence library', async () => {
    const b = new Browser(w.t.app, 'zh-CN');
    await b.login('reviewer@a.example');
    const page = await b.get(`/findings/${nc}`);
    expect(page.body).toContain('完成措施');
    const form = new FormData();
    form.append('_csrf', b.csrf);
    form.append('note', '已培训 14 名服务台人员');
    form.append('completedOn', '2026-01-20');
    form.append('evidenceIds', '');
    form.append('evidenceTitle', '培训签到表');
    form.append('file', new Blob(['attendance'], { type: 'text/plain' }), 'attendance.txt');
    const res = await b.request({
      method: 'POST',
      url: `/actions/${a2}/complete`,
      payload: form,
    });
    expect(res.statusCode).toBe(303);
    const after = await b.get(`/findings/${nc}`);
    expect(after.body).toContain('已于 2026-01-20 完成');
    expect(after.body).toContain('已培训 14 名服务台人员');
    expect(after.body).toMatch(/<a href="\/evidence\/\d+">培训签到表<\/a>/);
    const stored = await w.t.db
      .selectFrom('evidence')
      .select(['title', 'kind', 'file_name'])
      .where('organization_id', '=', w.orgA)
      .where('title', '=', '培训签到表')
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ title: '培训签到表', kind: 'record', file_name: 'attendance.txt' });
  });
});
