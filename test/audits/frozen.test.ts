import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evidenceForm, upload } from '../evidence/upload-helpers.js';
import { makeWorld, type World } from '../findings/fixture.js';
import { Browser } from '../helpers.js';

type Json = ReturnType<typeof JSON.parse>; // a JSON body, read field by field

// Frozen means frozen (issue 15, issue 14): after issue, every write that would change what the issued revision says
// answers 409 "已发布；修改需要新修订版" through the pages and the API; the nonconformity's lifecycle goes on.
describe('an issued audit is frozen', () => {
  let w: World;
  let auditId: number;
  let evidenceId: number;
  let ncId: number;
  let processId: number;
  let serviceId: number;
  let sessionId: number;
  let requestId: number;
  const FROZEN_ZH = '已发布；修改需要新修订版';

  const ok = async (p: Promise<LightMyRequestResponse>, code = 200): Promise<Json> => {
    const r = await p;
    expect(r.statusCode, r.body).toBe(code);
    return r.json();
  };

  beforeAll(async () => {
    w = await makeWorld();
    processId = (
      await ok(
        w.api('root', 'POST', `/api/v1/organizations/${w.orgA}/processes`, { name: 'P', ownerName: 'Owner' }),
        201,
      )
    ).id;
    serviceId = (await ok(w.api('root', 'POST', `/api/v1/organizations/${w.orgA}/services`, { name: 'S' }), 201)).id;
    auditId = (
      await ok(
        w.api('lead', 'POST', `/api/v1/organizations/${w.orgA}/audits`, {
          title: 'Frozen audit',
          type: 'internal',
          scope: { clauses: ['4.1', '4.2'] },
          leadAuditorId: w.users.lead,
          objectives: 'o',
          criteria: 'c',
        }),
        201,
      )
    ).id;
    const form = evidenceForm(
      { title: 'Minutes', kind: 'record', requirementId: '4.1-1', auditId: String(auditId) },
      { name: 'minutes.txt', bytes: Buffer.from('minutes'), type: 'text/plain' },
    );
    evidenceId = (
      await ok(
        w.t.app.inject({
          method: 'POST',
          url: `/api/v1/organizations/${w.orgA}/evidence`,
          headers: { authorization: `Bearer ${w.tokens.lead}` },
          payload: form,
        }),
        201,
      )
    ).id;
    await ok(
      w.api('lead', 'PUT', `/api/v1/audits/${auditId}/responses/4.1-1`, {
        verdict: 'minor_nc',
        evidenceIds: [evidenceId],
        version: 0,
      }),
    );
    await ok(w.api('lead', 'PUT', `/api/v1/audits/${auditId}/responses/4.2-1`, { verdict: 'conforming', version: 0 }));
    ncId = (
      await ok(
        w.api('lead', 'POST', `/api/v1/audits/${auditId}/findings`, {
          requirementId: '4.1-1',
          kind: 'nonconformity',
          grade: 'minor',
          statement: { requirement: 'r', evidence: 'e', nonconformity: 'n' },
        }),
        201,
      )
    ).id;
    await ok(w.api('lead', 'PATCH', `/api/v1/audits/${auditId}`, { conclusion: 'x', actualEnd: '2099-01-01' }));
    sessionId = (
      await ok(
        w.api('lead', 'POST', `/api/v1/audits/${auditId}/plan/sessions`, {
          date: '2099-01-01',
          start: '09:00',
          end: '10:00',
          place: 'Room 1',
        }),
        201,
      )
    ).id;
    // An evidence request answered before issue (issue 18): after issue it can be neither accepted nor answered.
    requestId = (
      await ok(
        w.api('lead', 'POST', `/api/v1/audits/${auditId}/evidence-requests`, {
          requirementIds: ['4.2-1'],
          need: 'Interested parties',
          addresseeId: w.users.owner,
          dueDate: '2099-01-01',
        }),
        201,
      )
    )[0].id;
    await ok(w.api('owner', 'POST', `/api/v1/evidence-requests/${requestId}/answers`, { note: 'see list' }), 201);
    for (const action of ['start', 'report', 'issue'])
      await ok(w.api('lead', 'POST', `/api/v1/audits/${auditId}/transitions`, { action }));
  });
  afterAll(async () => {
    await w.t.close();
  });

  it('answers 409 to every API write that would change the issued revision', async () => {
    const statement = { requirement: 'r', evidence: 'e', nonconformity: 'n' };
    const writes: [string, string, object?][] = [
      ['PATCH', `/api/v1/audits/${auditId}`, { summary: 'changed' }],
      ['PATCH', `/api/v1/audits/${auditId}`, { actualEnd: null }],
      ['PUT', `/api/v1/audits/${auditId}/responses/4.2-1`, { verdict: 'major_nc', version: 1 }],
      ['POST', `/api/v1/audits/${auditId}/responses/bulk`, { verdict: 'not_audited', onlyUnassessed: false }],
      ['POST', `/api/v1/audits/${auditId}/assignments`, { processId, auditorId: w.users.reviewer }],
      ['POST', `/api/v1/audits/${auditId}/findings`, { requirementId: '4.2-1', kind: 'observation', statement }],
      ['PATCH', `/api/v1/findings/${ncId}`, { serviceId }],
      ['PATCH', `/api/v1/findings/${ncId}`, { processId }],
      ['DELETE', `/api/v1/evidence/${evidenceId}`],
      // The report's content and the audit plan (issue 15).
      ['PATCH', `/api/v1/audits/${auditId}`, { sites: ['Site B'] }],
      ['PATCH', `/api/v1/audits/${auditId}`, { divergingOpinions: [{ topic: 't' }], distribution: ['x'] }],
      ['POST', `/api/v1/audits/${auditId}/plan/sessions`, { date: '2099-01-02', start: '09:00', end: '10:00' }],
      ['PATCH', `/api/v1/audits/${auditId}/plan/sessions/${sessionId}`, { place: 'Room 2' }],
      ['DELETE', `/api/v1/audits/${auditId}/plan/sessions/${sessionId}`],
      ['POST', `/api/v1/audits/${auditId}/plan/share`, {}],
      // Evidence requests (issue 18): closed with the audit.
      [
        'POST',
        `/api/v1/audits/${auditId}/evidence-requests`,
        { requirementIds: ['4.1-1'], need: 'n', addresseeId: w.users.owner, dueDate: '2099-01-01' },
      ],
      ['PATCH', `/api/v1/evidence-requests/${requestId}`, { need: 'changed' }],
      ['POST', `/api/v1/evidence-requests/${requestId}/transitions`, { action: 'accept' }],
      ['POST', `/api/v1/evidence-requests/${requestId}/transitions`, { action: 'withdraw' }],
    ];
    const answers: string[] = [];
    for (const [method, url, body] of writes) {
      const r = await w.api('lead', method as 'POST', url, body, 'zh-CN');
      answers.push(`${method} ${url} → ${r.statusCode} ${r.statusCode === 409 ? '' : r.body}`.trim());
      if (r.statusCode === 409 && !url.includes('/evidence/')) expect(r.json().message).toContain(FROZEN_ZH);
    }
    expect(answers).toEqual(writes.map(([m, u]) => `${m} ${u} → 409`));
    // Uploading evidence onto one of its items: refused, and nothing is left behind.
    const before = (await ok(w.api('lead', 'GET', `/api/v1/organizations/${w.orgA}/evidence`))).length;
    const onItem = await w.t.app.inject({
      method: 'POST',
      url: `/api/v1/organizations/${w.orgA}/evidence`,
      headers: { authorization: `Bearer ${w.tokens.lead}` },
      payload: evidenceForm(
        { title: 'Late', kind: 'record', requirementId: '4.2-1', auditId: String(auditId) },
        { name: 'late.txt', bytes: Buffer.from('late'), type: 'text/plain' },
      ),
    });
    expect(onItem.statusCode).toBe(409);
    expect((await ok(w.api('lead', 'GET', `/api/v1/organizations/${w.orgA}/evidence`))).length).toBe(before);
  });

  it('names the audits when evidence an issued report cites is deleted', async () => {
    const r = await w.api('lead', 'DELETE', `/api/v1/evidence/${evidenceId}`, undefined, 'zh-CN');
    expect(r.statusCode).toBe(409);
    expect(r.json().message).toBe('此证据被已发布的审核报告引用（“Frozen audit”），不能删除。');
    // Still there after a revision reopens the audit: the issued revision 0 cites it.
    await ok(w.api('lead', 'POST', `/api/v1/audits/${auditId}/transitions`, { action: 'revise' }));
    const again = await w.api('lead', 'DELETE', `/api/v1/evidence/${evidenceId}`, undefined, 'en');
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toBe(
      'This evidence is cited by the issued report of “Frozen audit”; it cannot be deleted.',
    );
    // Back to issued for the page walk (a revision after the first says why it was made).
    await ok(w.api('lead', 'PATCH', `/api/v1/audits/${auditId}`, { revisionReason: 'Evidence list checked' }));
    await ok(w.api('lead', 'POST', `/api/v1/audits/${auditId}/transitions`, { action: 'report' }));
    await ok(w.api('lead', 'POST', `/api/v1/audits/${auditId}/transitions`, { action: 'issue' }));
  });

  it('lets the nonconformity’s lifecycle go on: reaction, owner and due date', async () => {
    await ok(
      w.api('lead', 'POST', `/api/v1/nonconformities/${ncId}/transitions`, {
        to: 'reaction_recorded',
        correction: 'Fixed',
        consequences: 'None',
      }),
    );
    const f = await ok(
      w.api('lead', 'PATCH', `/api/v1/findings/${ncId}`, { ownerUserId: w.users.owner, dueDate: '2030-01-31' }),
    );
    expect([f.owner.id, f.dueDate]).toEqual([w.users.owner, '2030-01-31']);
  });

  it('answers 409 (never 500, never a quiet redirect) to every save posted from a page left open', async () => {
    const b = new Browser(w.t.app, 'zh-CN');
    await b.login('lead@a.example');
    await b.get(`/audits/${auditId}`);
    const posts: [string, Record<string, string>][] = [
      [`/audits/${auditId}`, { summary: 'typed before issue', conclusion: 'x' }],
      [`/audits/${auditId}/responses/4.2-1`, { verdict: 'major_nc', notes: 'late', version: '2' }],
      [`/audits/${auditId}/responses/bulk`, { verdict: 'not_audited', clause: '4' }],
      [`/audits/${auditId}/responses/bulk`, { verdict: 'not_audited', clause: '4', confirm: '1' }],
      [`/audits/${auditId}/responses/4.2-1/baseline`, {}],
      [`/audits/${auditId}/assignments`, { processId: String(processId), auditorId: String(w.users.reviewer) }],
      [
        `/audits/${auditId}/findings`,
        {
          requirementId: '4.2-1',
          kind: 'observation',
          'statement.requirement': 'r',
          'statement.evidence': 'e',
          'statement.nonconformity': 'n',
        },
      ],
      [`/findings/${ncId}/details`, { ownerUserId: '', processId: String(processId), serviceId: '', otherPartyId: '' }],
      [`/evidence/${evidenceId}/delete`, {}],
      [`/audits/${auditId}/report-content`, { auditClient: 'late', sites: 'Site B', confidentiality: '' }],
      [`/audits/${auditId}/plan/sessions`, { date: '2099-01-02', start: '09:00', end: '10:00' }],
      [`/audits/${auditId}/plan/sessions/${sessionId}`, { date: '2099-01-02', start: '09:00', end: '10:00' }],
      [`/audits/${auditId}/plan/sessions/${sessionId}/delete`, {}],
      [`/audits/${auditId}/plan/share`, {}],
      [
        `/audits/${auditId}/evidence-requests`,
        { requirementIds_0: '4.1-1', need_0: 'n', addresseeId_0: String(w.users.owner), dueDate_0: '2099-01-01' },
      ],
      [`/evidence-requests/${requestId}/transitions`, { action: 'accept', comment: '' }],
    ];
    const answers: string[] = [];
    for (const [url, fields] of posts) {
      const r = await b.post(url, fields);
      answers.push(`${url} → ${r.statusCode}`);
      if (r.statusCode === 409 && !url.includes('/evidence/')) expect(r.body, url).toContain(FROZEN_ZH);
    }
    expect(answers).toEqual(posts.map(([u]) => `${u} → 409`));
    const late = await upload(
      b,
      w.orgA,
      { title: 'Late', kind: 'record', requirementId: '4.2-1', auditId: String(auditId) },
      { name: 'late.txt', bytes: Buffer.from('late'), type: 'text/plain' },
    );
    expect(late.statusCode).toBe(409);
    // The auditee's answer after issue: refused too (the requests closed with the audit).
    const answer = await w.api(
      'owner',
      'POST',
      `/api/v1/evidence-requests/${requestId}/answers`,
      { note: 'late' },
      'zh-CN',
    );
    expect([answer.statusCode, answer.json().message]).toEqual([409, expect.stringContaining(FROZEN_ZH)]);
  });

  it('keeps the issued record as it was', async () => {
    const a = await ok(w.api('lead', 'GET', `/api/v1/audits/${auditId}`));
    expect([a.status, a.summary, a.actualEnd]).toEqual(['issued', '', '2099-01-01']);
    expect(a.responses.map((r: Json) => [r.requirementId, r.verdict])).toEqual([
      ['4.1-1', 'minor_nc'],
      ['4.2-1', 'conforming'],
    ]);
    const findings = await ok(w.api('lead', 'GET', `/api/v1/audits/${auditId}/findings`));
    expect(findings.map((f: Json) => [f.kind, f.grade, f.processId, f.serviceId])).toEqual([
      ['nonconformity', 'minor', null, null],
    ]);
  });
});
