import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../helpers.js';
import { makeWorld, STATEMENT, type World } from './fixture.js';

describe('findings, registers, improvements and reviews pages (zh-CN and en)', () => {
  let w: World;
  let lead: Browser;
  let ncId: number;
  let ofiId: number;
  beforeAll(async () => {
    w = await makeWorld();
    lead = new Browser(w.t.app, 'en');
    await lead.login('lead@a.example');
  });
  afterAll(async () => {
    await w.t.close();
  });

  it('drafts a finding from a checklist response: kind and grade from the verdict, requirement text, notes as evidence', async () => {
    const r = await lead.get(`/audits/${w.auditA}/findings/new?requirementId=8.6.1-1`);
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('<option value="nonconformity" selected>');
    expect(r.body).toContain('<option value="minor" selected>');
    expect(r.body).toContain('Incident INC-77 was not classified; no priority recorded.');
    expect(r.body).toContain('8.6.1-1 (8.6.1)');
    expect(r.body).toContain('A single lapse in meeting a requirement');
    const major = await lead.get(`/audits/${w.auditA}/findings/new?requirementId=8.5.1.3-1`);
    expect(major.body).toContain('<option value="major" selected>');
    const ofi = await lead.get(`/audits/${w.auditA}/findings/new?requirementId=7.5.4-1`);
    expect(ofi.body).toContain('<option value="ofi" selected>');
    expect((await lead.get(`/audits/${w.auditB}/findings/new?requirementId=8.6.1-1`)).statusCode).toBe(404);
  });

  it('raises the finding through the form, keeping what was typed on a validation error', async () => {
    const bad = await lead.post(`/audits/${w.auditA}/findings`, {
      requirementId: '8.6.1-1',
      kind: 'nonconformity',
      grade: '',
      statementRequirement: 'R',
      statementEvidence: 'E typed',
      statementNonconformity: 'N',
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('A nonconformity needs a grade');
    expect(bad.body).toContain('E typed');
    const ok = await lead.post(`/audits/${w.auditA}/findings`, {
      requirementId: '8.6.1-1',
      kind: 'nonconformity',
      grade: 'minor',
      statementRequirement: STATEMENT.requirement,
      statementEvidence: STATEMENT.evidence,
      statementNonconformity: STATEMENT.nonconformity,
      ownerUserId: String(w.users.owner),
      dueDate: '2020-01-31',
    });
    expect(ok.statusCode).toBe(303);
    ncId = Number(/\/findings\/(\d+)/.exec(ok.headers.location as string)![1]);
    const page = await lead.get(`/findings/${ncId}`);
    expect(page.body).toContain(`F-${w.auditA}-1`);
    expect(page.body).toContain('Record the reaction');
    expect(page.body).toContain('class="overdue"');
    expect(page.body).toContain('⚠ Overdue');
    const ofi = await lead.post(`/audits/${w.auditA}/findings`, {
      requirementId: '7.5.4-1',
      kind: 'ofi',
      grade: '',
      statementRequirement: 'Document control (7.5.4)',
      statementEvidence: 'Templates lack a review date',
      statementNonconformity: 'Add the next review date to templates',
    });
    ofiId = Number(/\/findings\/(\d+)/.exec(ofi.headers.location as string)![1]);
  });

  it('refuses an incomplete transition on the page with the reason in the user’s language, then records it on the timeline', async () => {
    const zh = new Browser(w.t.app, 'zh-CN');
    await zh.login('lead@a.example');
    await zh.get(`/findings/${ncId}`);
    const bad = await zh.post(`/findings/${ncId}/transitions`, {
      to: 'reaction_recorded',
      correction: '已分类',
      consequences: '',
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('尚缺：后果的处理。');
    expect(bad.body).toContain('已分类');
    const ok = await lead.post(`/findings/${ncId}/transitions`, {
      to: 'reaction_recorded',
      correction: 'Classified INC-77',
      consequences: 'None',
    });
    expect(ok.statusCode).toBe(303);
    await lead.post(`/findings/${ncId}/transitions`, {
      to: 'cause_analysed',
      method: 'fishbone',
      cause: 'No mandatory field',
      similar: 'none',
      similarWhere: '',
    });
    const plan = await lead.post(`/findings/${ncId}/transitions`, {
      to: 'actions_planned',
      a0_description: 'Make the category mandatory',
      a0_owner: String(w.users.owner),
      a0_due: '2020-02-01',
      a0_sms: 'on',
      a1_description: '',
      a1_owner: '',
      a1_due: '',
    });
    expect(plan.statusCode).toBe(303);
    const page = await lead.get(`/findings/${ncId}`);
    expect(page.body).toContain(`F-${w.auditA}-1/A1`);
    expect(page.body).toContain('Make the category mandatory');
    expect(page.body).toContain('Classified INC-77');
    expect(page.body).toContain('Fishbone (Ishikawa)');
    expect(page.body).toContain('Confirm the actions are implemented');
    const zhPage = await zh.get(`/findings/${ncId}`);
    expect(zhPage.body).toContain('时间线');
    expect(zhPage.body).toContain('已做出反应');
    const refused = await lead.post(`/findings/${ncId}/transitions`, { to: 'actions_implemented' });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain(`Not every corrective action is done yet: F-${w.auditA}-1/A1.`);
  });

  it('lets the action owner update the status and shows overdue items in the registers by text and class', async () => {
    const owner = new Browser(w.t.app, 'en');
    await owner.login('owner@a.example');
    const mine = await owner.get('/actions?mine=1');
    expect(mine.statusCode).toBe(200);
    expect(mine.body).toContain(`F-${w.auditA}-1/A1`);
    expect(mine.body).toMatch(/<tr class="overdue">/);
    expect(mine.body).toMatch(/Overdue by \d+ days/);
    const action = await w.t.db
      .selectFrom('action_item')
      .select('id')
      .where('finding_id', '=', ncId)
      .executeTakeFirstOrThrow();
    await owner.get(`/findings/${ncId}`);
    expect((await owner.post(`/actions/${action.id}/status`, { status: 'done' })).statusCode).toBe(303);
    const ncs = await lead.get(`/orgs/${w.orgA}/nonconformities?overdue=1`);
    expect(ncs.body).toContain(`F-${w.auditA}-1`);
    expect(ncs.body).toContain('1 item');
    const zh = new Browser(w.t.app, 'zh-CN');
    await zh.login('owner@a.example');
    const zhList = await zh.get('/nonconformities');
    expect(zhList.body).toContain('不符合登记册');
    expect(zhList.body).toMatch(/已逾期 \d+ 天/);
    const bert = new Browser(w.t.app);
    await bert.login('bert@b.example');
    expect((await bert.get(`/findings/${ncId}`)).statusCode).toBe(404);
    expect((await bert.get('/nonconformities')).body).not.toContain(`F-${w.auditA}-1`);
  });

  it('edits who and what a finding concerns from its page', async () => {
    await lead.get(`/findings/${ncId}`);
    expect(
      (
        await lead.post(`/findings/${ncId}/details`, {
          ownerUserId: String(w.users.reviewer),
          processId: '',
          serviceId: '',
          otherPartyId: '',
          dueDate: 'soon',
        })
      ).statusCode,
    ).toBe(422);
    const ok = await lead.post(`/findings/${ncId}/details`, {
      ownerUserId: String(w.users.reviewer),
      processId: '',
      serviceId: '',
      otherPartyId: '',
      dueDate: '2020-01-31',
    });
    expect(ok.statusCode).toBe(303);
    const f = await w.t.db
      .selectFrom('finding')
      .select(['owner_user_id', 'due_date'])
      .where('id', '=', ncId)
      .executeTakeFirstOrThrow();
    expect(f).toEqual({ owner_user_id: w.users.reviewer, due_date: '2020-01-31' });
  });

  it('lets an admin change the default due days per grade', async () => {
    const root = new Browser(w.t.app, 'en');
    await root.login('root@example.com');
    await root.get(`/orgs/${w.orgA}/settings/findings`);
    expect(
      (await root.post(`/orgs/${w.orgA}/settings/findings`, { majorDueDays: '0', minorDueDays: '45' })).statusCode,
    ).toBe(422);
    expect(
      (await root.post(`/orgs/${w.orgA}/settings/findings`, { majorDueDays: '14', minorDueDays: '45' })).statusCode,
    ).toBe(303);
    expect((await lead.get(`/orgs/${w.orgA}/settings/findings`)).statusCode).toBe(403);
    const r = await w.api('lead', 'POST', `/api/v1/audits/${w.auditA}/findings`, {
      requirementId: '8.5.1.3-1',
      kind: 'nonconformity',
      grade: 'major',
      statement: STATEMENT,
    });
    const f = r.json();
    expect((Date.parse(f.dueDate) - Date.parse(f.raisedOn)) / 86_400_000).toBe(14);
  });

  it('registers an OFI as an improvement opportunity and enforces the 10.2 rules', async () => {
    const form = await lead.get(`/orgs/${w.orgA}/improvements/new?findingId=${ofiId}`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Templates lack a review date');
    const base = {
      title: 'Review date in templates',
      source: 'ofi_finding',
      findingId: String(ofiId),
      reviewId: '',
      priority: 'high',
      decision: 'approved',
      evaluationCriteria: '',
      status: 'proposed',
      targetMet: '',
    };
    const noCriteria = await lead.post(`/orgs/${w.orgA}/improvements`, base);
    expect(noCriteria.statusCode).toBe(422);
    expect(noCriteria.body).toContain('Record the evaluation criteria before deciding.');
    const ok = await lead.post(`/orgs/${w.orgA}/improvements`, {
      ...base,
      evaluationCriteria: 'Supports objective 3',
      target: 'No overdue document reviews by Q4',
      targets: 'quality',
    });
    expect(ok.statusCode).toBe(303);
    const list = await lead.get(`/orgs/${w.orgA}/improvements`);
    expect(list.body).toContain('IMP-1');
    expect(list.body).toContain('Approved');
    const zh = new Browser(w.t.app, 'zh-CN');
    await zh.login('lead@a.example');
    expect((await zh.get(`/orgs/${w.orgA}/improvements`)).body).toContain('改进机会');
  });

  it('runs a management review page: the input pack a–l with periods, narratives and outputs, in both languages', async () => {
    const created = await lead.post(`/orgs/${w.orgA}/reviews`, {
      title: 'MR 2025',
      heldOn: '2030-06-30',
      periodStart: '',
      periodEnd: '',
      attendees: 'CEO, SM',
    });
    expect(created.statusCode).toBe(303);
    const id = Number(/\/reviews\/(\d+)/.exec(created.headers.location as string)![1]);
    const page = await lead.get(`/reviews/${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Figures for 2029-07-01 – 2030-06-30');
    expect(page.body).toContain('9.3 c) 1) Trends in nonconformities and corrective actions');
    expect(page.body).toContain('9.3 l) Changes that could affect the SMS and the services');
    const saved = await lead.post(`/reviews/${id}`, {
      title: 'MR 2025',
      heldOn: '2030-06-30',
      periodStart: '2029-07-01',
      periodEnd: '2030-06-30',
      attendees: 'CEO, SM',
      minutes: 'Agreed',
      narrative_b: 'New regulation on data residency',
    });
    expect(saved.statusCode).toBe(303);
    const out = await lead.post(`/reviews/${id}/outputs`, {
      outputType: 'resource_need',
      description: 'Hire a second service desk analyst',
      ownerUserId: String(w.users.owner),
      dueDate: '2030-09-30',
    });
    expect(out.statusCode).toBe(303);
    const again = await lead.get(`/reviews/${id}`);
    expect(again.body).toContain('New regulation on data residency');
    expect(again.body).toContain('MR-1/A1');
    const zh = new Browser(w.t.app, 'zh-CN');
    await zh.login('viewer@a.example');
    const zhPage = await zh.get(`/reviews/${id}`);
    expect(zhPage.statusCode).toBe(200);
    expect(zhPage.body).toContain('以往管理评审提出的措施的状态');
    expect(zhPage.body).toContain('资源需求');
    expect((await zh.post(`/reviews/${id}`, { title: 'x', heldOn: '2030-06-30' })).statusCode).toBe(403);
    const fb = await zh.get(`/orgs/${w.orgA}/feedback`);
    expect(fb.body).toContain('反馈登记册');
    const actions = await lead.get(`/orgs/${w.orgA}/actions`);
    expect(actions.body).toContain('Hire a second service desk analyst');
    expect(actions.body).toContain('Management review output');
  });

  it('renders the findings lists and the other-source form in both languages', async () => {
    for (const [lang, text] of [
      ['en', 'Raise a finding from another source'],
      ['zh-CN', '从其他来源提出发现'],
    ] as const) {
      const b = new Browser(w.t.app, lang);
      await b.login('lead@a.example');
      expect((await b.get(`/orgs/${w.orgA}/findings`)).body).toContain(text);
      expect((await b.get(`/audits/${w.auditA}/findings`)).statusCode).toBe(200);
      const form = await b.get(`/orgs/${w.orgA}/findings/new`);
      expect(form.statusCode).toBe(200);
      const ok = await b.post(`/orgs/${w.orgA}/findings`, {
        source: 'incident',
        sourceReference: 'INC-100',
        requirementId: '',
        clauseId: '8.6.1',
        kind: 'observation',
        grade: '',
        statementRequirement: 'Incident management',
        statementEvidence: 'Seen',
        statementNonconformity: 'At risk',
      });
      expect(ok.statusCode).toBe(303);
    }
  });
});
