import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evidenceForm, PDF } from '../evidence/upload-helpers.js';
import { makeWorld, type World } from '../findings/fixture.js';
import { Browser } from '../helpers.js';

type Json = ReturnType<typeof JSON.parse>;

// Evidence requests (issue 18): the lead asks the auditee for evidence on checklist items; the auditee answers with a
// file; the lead asks again with a comment; the auditee answers again; the lead accepts and the checklist shows it.
describe('evidence requests', () => {
  let w: World;
  const ok = async (p: Promise<LightMyRequestResponse>, code = 200): Promise<Json> => {
    const r = await p;
    expect(r.statusCode, r.body).toBe(code);
    return r.json();
  };
  const notes = async (userId: number) =>
    (
      await w.t.db
        .selectFrom('notification')
        .select(['kind', 'params_json', 'url'])
        .where('user_id', '=', userId)
        .orderBy('id')
        .execute()
    ).map((n) => [n.kind, JSON.parse(n.params_json).title as string]);
  const answerForm = (
    token: string,
    requestId: number,
    fields: Record<string, string>,
    file?: Parameters<typeof evidenceForm>[1],
  ) =>
    w.t.app.inject({
      method: 'POST',
      url: `/api/v1/evidence-requests/${requestId}/answers`,
      headers: { authorization: `Bearer ${token}`, 'accept-language': 'zh-CN' },
      payload: evidenceForm(fields, file),
    });

  beforeAll(async () => {
    w = await makeWorld();
    await w.t.db.updateTable('audit').set({ lead_auditor_id: w.users.lead }).where('id', '=', w.auditA).execute();
  });
  afterAll(async () => {
    await w.t.close();
  });

  it('runs the whole cycle: ask, answer with a file, ask again, answer again, accept; the item shows the evidence', async () => {
    const [req] = await ok(
      w.api('lead', 'POST', `/api/v1/audits/${w.auditA}/evidence-requests`, {
        requirementIds: ['8.6.1-1', '8.6.1-2'],
        need: 'Incident records of March with their classification',
        addresseeId: w.users.owner,
        dueDate: '2030-01-15',
      }),
      201,
    );
    expect([req.ref, req.status, req.requirementIds, req.addressee.email, req.dueDate, req.overdue]).toEqual([
      'ER-1',
      'open',
      ['8.6.1-1', '8.6.1-2'],
      'owner@a.example',
      '2030-01-15',
      false,
    ]);
    expect(await notes(w.users.owner)).toEqual([
      ['evidence_requested', 'ER-1 Incident records of March with their classification'],
    ]);

    // The auditee answers with a file: it lands in the library, and the request waits for the auditors.
    const answered = await ok(
      answerForm(
        w.tokens.owner,
        req.id,
        { note: 'March export', title: 'Incidents March' },
        {
          name: 'incidents.pdf',
          bytes: PDF,
          type: 'application/pdf',
        },
      ),
      201,
    );
    expect(answered.status).toBe('answered');
    expect(answered.answers.map((a: Json) => [a.note, a.decision, a.evidence.map((e: Json) => e.title)])).toEqual([
      ['March export', 'pending', ['Incidents March']],
    ]);
    const fileId = answered.answers[0].evidence[0].id;
    const library = await ok(w.api('owner', 'GET', `/api/v1/evidence/${fileId}`));
    expect([library.title, library.kind, library.file.name]).toEqual(['Incidents March', 'record', 'incidents.pdf']);
    expect(await notes(w.users.lead)).toEqual([
      ['evidence_answered', 'ER-1 Incident records of March with their classification'],
    ]);

    // Asking again needs a comment; with one, the request goes back to the addressee.
    const bare = await w.api(
      'lead',
      'POST',
      `/api/v1/evidence-requests/${req.id}/transitions`,
      { action: 'return' },
      'zh-CN',
    );
    expect(bare.statusCode).toBe(422);
    expect(bare.json().message).toBe('要求补充时，请在意见中说明仍缺少什么。');
    const returned = await ok(
      w.api('lead', 'POST', `/api/v1/evidence-requests/${req.id}/transitions`, {
        action: 'return',
        comment: 'The classification column is missing',
      }),
    );
    expect(returned.status).toBe('returned');
    expect(returned.answers.map((a: Json) => [a.decision, a.comment])).toEqual([
      ['returned', 'The classification column is missing'],
    ]);

    // Answer again with a library item picked (JSON this time), then accept.
    const again = await ok(
      w.api('owner', 'POST', `/api/v1/evidence-requests/${req.id}/answers`, {
        note: 'With classification',
        evidenceIds: [fileId],
      }),
      201,
    );
    expect(again.status).toBe('answered');
    const accepted = await ok(
      w.api('lead', 'POST', `/api/v1/evidence-requests/${req.id}/transitions`, { action: 'accept' }),
    );
    expect([accepted.status, accepted.answers.map((a: Json) => a.decision)]).toEqual([
      'accepted',
      ['returned', 'accepted'],
    ]);
    expect(await notes(w.users.owner)).toEqual([
      ['evidence_requested', 'ER-1 Incident records of March with their classification'],
      ['evidence_returned', 'ER-1 Incident records of March with their classification'],
      ['evidence_accepted', 'ER-1 Incident records of March with their classification'],
    ]);

    // Both items of the request now carry the evidence on the audit's checklist (8.6.1-2 had no answer yet).
    const audit = await ok(w.api('lead', 'GET', `/api/v1/audits/${w.auditA}`));
    const shown = audit.responses
      .filter((r: Json) => r.requirementId.startsWith('8.6.1-'))
      .map((r: Json) => [r.requirementId, r.evidence.map((e: Json) => e.title)]);
    expect(shown).toEqual([
      ['8.6.1-1', ['Incidents March']],
      ['8.6.1-2', ['Incidents March']],
    ]);
    // Trail: one entry per change of the request.
    const trail = await w.t.db
      .selectFrom('audit_trail')
      .select(['action', 'after_json'])
      .where('entity', '=', 'evidence_request')
      .where('entity_id', '=', String(req.id))
      .orderBy('id')
      .execute();
    expect(trail.map((e) => [e.action, JSON.parse(e.after_json!).status])).toEqual([
      ['create', 'open'],
      ['update', 'answered'],
      ['update', 'returned'],
      ['update', 'answered'],
      ['update', 'accepted'],
    ]);
  });

  it('lets only the audit team decide, and hides the requests from another organisation', async () => {
    const [req] = await ok(
      w.api('lead', 'POST', `/api/v1/audits/${w.auditA}/evidence-requests`, [
        { requirementIds: '4.1-1', need: 'Context analysis', addresseeId: w.users.owner, dueDate: '2020-01-01' },
      ]),
      201,
    );
    expect([req.ref, req.overdue]).toEqual(['ER-2', true]);
    await ok(w.api('owner', 'POST', `/api/v1/evidence-requests/${req.id}/answers`, { note: 'See the SMS plan' }), 201);
    // The auditee cannot accept (the role has no audit.respond): 403.
    expect(
      (await w.api('owner', 'POST', `/api/v1/evidence-requests/${req.id}/transitions`, { action: 'accept' }))
        .statusCode,
    ).toBe(403);
    // An auditor not on the audit's team cannot either.
    const outsider = await w.api(
      'reviewer',
      'POST',
      `/api/v1/evidence-requests/${req.id}/transitions`,
      { action: 'accept' },
      'zh-CN',
    );
    expect(outsider.statusCode).toBe(403);
    expect(outsider.json().message).toBe('只有审核组长和审核组的审核员可以索取证据和审阅回复；由被请求人回复。');
    // Another organisation's admin: 404 everywhere.
    for (const [method, url] of [
      ['GET', `/api/v1/evidence-requests/${req.id}`],
      ['POST', `/api/v1/evidence-requests/${req.id}/transitions`],
      ['GET', `/api/v1/audits/${w.auditA}/evidence-requests`],
    ] as const)
      expect(
        (await w.api('bert', method, url, method === 'POST' ? { action: 'withdraw' } : undefined)).statusCode,
      ).toBe(404);
    // Refusals: an item outside the audit and an addressee who cannot add evidence (a viewer), every row named.
    const bad = await w.api(
      'lead',
      'POST',
      `/api/v1/audits/${w.auditA}/evidence-requests`,
      [
        { requirementIds: ['4.1-1'], need: 'x', addresseeId: w.users.viewer, dueDate: '2030-01-01' },
        { requirementIds: ['9.9-1', '4.1-1'], need: 'y', addresseeId: w.users.owner, dueDate: '2030-01-01' },
      ],
      'zh-CN',
    );
    expect(bad.statusCode).toBe(422);
    expect(bad.json().fields).toEqual({
      '0.addresseeId': ['请选择可添加证据的本组织成员。'],
      '1.requirementIds': ['9.9-1 不是本审核范围内的检查项。'],
    });
    expect((await ok(w.api('lead', 'GET', `/api/v1/audits/${w.auditA}/evidence-requests`))).length).toBe(2);
    // Withdrawn: closed for everyone.
    const withdrawn = await ok(
      w.api('lead', 'POST', `/api/v1/evidence-requests/${req.id}/transitions`, { action: 'withdraw' }),
    );
    expect(withdrawn.status).toBe('withdrawn');
    const late = await w.api('owner', 'POST', `/api/v1/evidence-requests/${req.id}/answers`, { note: 'late' }, 'zh-CN');
    expect([late.statusCode, late.json().message]).toEqual([409, '此请求为“已撤回”：现在不能这样操作。']);
  });

  it('changes what is asked, of whom and by when while it waits for an answer (PATCH), not after', async () => {
    const [req] = await ok(
      w.api('lead', 'POST', `/api/v1/audits/${w.auditA}/evidence-requests`, {
        requirementIds: ['4.1-1'],
        need: 'Scope',
        addresseeId: w.users.owner,
        dueDate: '2030-03-01',
      }),
      201,
    );
    const changed = await ok(
      w.api('lead', 'PATCH', `/api/v1/evidence-requests/${req.id}`, {
        need: 'Scope statement, signed',
        dueDate: '2030-03-15',
        addresseeId: w.users.reviewer,
        requirementIds: ['4.1-1', '8.6.1-1'],
      }),
    );
    expect([changed.need, changed.dueDate, changed.addressee.email, changed.requirementIds]).toEqual([
      'Scope statement, signed',
      '2030-03-15',
      'reviewer@a.example',
      ['4.1-1', '8.6.1-1'],
    ]);
    // The new addressee is told.
    expect((await notes(w.users.reviewer)).at(-1)).toEqual([
      'evidence_requested',
      `${req.ref} Scope statement, signed`,
    ]);
    await ok(w.api('reviewer', 'POST', `/api/v1/evidence-requests/${req.id}/answers`, { note: 'attached' }), 201);
    const late = await w.api('lead', 'PATCH', `/api/v1/evidence-requests/${req.id}`, { need: 'x' }, 'zh-CN');
    expect([late.statusCode, late.json().message]).toEqual([409, '此请求为“已回复”：现在不能这样操作。']);
    await ok(w.api('lead', 'POST', `/api/v1/evidence-requests/${req.id}/transitions`, { action: 'withdraw' }));
  });

  it('shows the list, asks for several at once and takes an answer through the pages (zh)', async () => {
    const lead = new Browser(w.t.app, 'zh-CN');
    await lead.login('lead@a.example');
    const page = await lead.get(`/audits/${w.auditA}/evidence-requests`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('证据请求');
    const sent = await lead.post(`/audits/${w.auditA}/evidence-requests`, {
      requirementIds_0: '8.5.1.3-1',
      need_0: '变更记录',
      addresseeId_0: String(w.users.owner),
      dueDate_0: '2030-02-01',
      requirementIds_1: '7.5.4-1',
      need_1: '文件控制程序',
      addresseeId_1: String(w.users.owner),
      dueDate_1: '2030-02-01',
    });
    expect(sent.statusCode, sent.body).toBe(303);
    const list = await ok(w.api('lead', 'GET', `/api/v1/audits/${w.auditA}/evidence-requests`));
    expect(list.map((r: Json) => [r.ref, r.need, r.status])).toEqual([
      ['ER-1', 'Incident records of March with their classification', 'accepted'],
      ['ER-2', 'Context analysis', 'withdrawn'],
      ['ER-3', 'Scope statement, signed', 'withdrawn'],
      ['ER-4', '变更记录', 'open'],
      ['ER-5', '文件控制程序', 'open'],
    ]);
    // A wrong row: nothing saved, the row's error shown in Chinese.
    const wrong = await lead.post(`/audits/${w.auditA}/evidence-requests`, {
      requirementIds_0: '8.5.1.3-1',
      need_0: 'ok',
      addresseeId_0: String(w.users.owner),
      dueDate_0: '2030-02-01',
      requirementIds_1: '99-1',
      need_1: 'x',
      addresseeId_1: String(w.users.owner),
      dueDate_1: 'soon',
    });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.body).toContain('请按 YYYY-MM-DD 填写截止日期。');
    expect((await ok(w.api('lead', 'GET', `/api/v1/audits/${w.auditA}/evidence-requests`))).length).toBe(5);

    // The auditee answers ER-3 from the page with a file.
    const owner = new Browser(w.t.app, 'zh-CN');
    await owner.login('owner@a.example');
    const ownPage = await owner.get(`/audits/${w.auditA}/evidence-requests`);
    expect(ownPage.body).toContain('回复 ER-4');
    const er3 = list[3].id;
    const res = await owner.request({
      method: 'POST',
      url: `/evidence-requests/${er3}/answers`,
      payload: evidenceForm(
        { _csrf: owner.csrf, note: '见附件' },
        { name: 'changes.pdf', bytes: PDF, type: 'application/pdf' },
      ),
    });
    expect(res.statusCode, res.body).toBe(303);
    const after = await ok(w.api('lead', 'GET', `/api/v1/evidence-requests/${er3}`));
    expect([after.status, after.answers[0].evidence[0].title]).toEqual(['answered', 'changes.pdf']);
    // The lead asks again from the page without a comment: refused, in Chinese, nothing changed.
    await lead.get(`/audits/${w.auditA}/evidence-requests`);
    const noComment = await lead.post(`/evidence-requests/${er3}/transitions`, { action: 'return', comment: '' });
    expect(noComment.statusCode).toBe(422);
    expect(noComment.body).toContain('要求补充时，请在意见中说明仍缺少什么。');
    expect((await ok(w.api('lead', 'GET', `/api/v1/evidence-requests/${er3}`))).status).toBe('answered');
  });
});
