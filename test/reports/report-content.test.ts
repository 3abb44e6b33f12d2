import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answer, newAudit, pdfText, raise, transition, userId, type World, world } from './setup.js';

// Issue 15: the report states, from structured fields, who commissioned the audit and who represented the auditee,
// the sites, who covered which process, who was interviewed, how it was sampled, the diverging opinions ("none" said
// explicitly), deviations from the plan, what became of the earlier audit's nonconformities, confidentiality and
// distribution, the revision reason, and who accepted it; each editable through PATCH (partial) and frozen at issue.
describe('report content', () => {
  let w: World;
  let baselineId: number;
  let auditId: number;
  let ncId: number;
  let ncRef: string;
  const flat = (s: string) => s.replace(/\s+/g, ' ');

  beforeAll(async () => {
    w = await world();
    const chen = await userId(w, 'chen@example.com');
    const base = { type: 'internal', scope: { clauses: ['4.1'] }, leadAuditorId: chen, objectives: 'o', criteria: 'c' };
    baselineId = await newAudit(w, { ...base, title: 'First audit' });
    await answer(w, baselineId, { '4.1-1': { verdict: 'minor_nc', notes: 'Issues not reviewed' } });
    ncRef = await raise(w, baselineId, {
      requirementId: '4.1-1',
      kind: 'nonconformity',
      grade: 'minor',
      statement: { requirement: 'r', evidence: 'e', nonconformity: 'Issues were not reviewed in 2025' },
    });
    ncId = (await w.api('GET', `/api/v1/audits/${baselineId}/findings`, w.lead)).json()[0].id as number;
    await w.api('PATCH', `/api/v1/audits/${baselineId}`, w.lead, {
      conclusion: 'c',
      actualStart: '2026-01-05',
      actualEnd: '2026-01-05',
    });
    await transition(w, baselineId, 'start', 'report', 'issue');
    auditId = await newAudit(w, { ...base, title: 'Follow-up audit', baselineAuditId: baselineId });
  });
  afterAll(async () => {
    await w.t.close();
  });

  it('takes the content through PATCH, changing only what is sent', async () => {
    const content = {
      auditClient: '集团质量部 Group quality office',
      auditeeRepresentative: '王强 Wang Qiang',
      sites: ['上海数据中心 Shanghai DC', 'Beijing office'],
      divergingOpinions: [{ topic: 'Scope of 8.2.3', teamView: 'In scope', auditeeView: 'Out of scope' }],
      verifications: [{ findingId: ncId, verified: 'Issue review minutes 2026-02', result: 'effective' }],
      confidentiality: 'Internal use only.',
      distribution: ['CIO', 'SMS owner'],
    };
    const r = await w.api('PATCH', `/api/v1/audits/${auditId}`, w.lead, content);
    expect(r.statusCode, r.body).toBe(200);
    const one = await w.api('PATCH', `/api/v1/audits/${auditId}`, w.lead, { auditClient: 'Group quality office' });
    expect(one.statusCode, one.body).toBe(200);
    const a = (await w.api('GET', `/api/v1/audits/${auditId}`, w.lead)).json();
    expect(a).toMatchObject({
      ...content,
      auditClient: 'Group quality office',
      recommendation: '',
      revisionReason: '',
    });
    // A verification must name a nonconformity of the baseline audit.
    const stray = await w.api('PATCH', `/api/v1/audits/${auditId}`, w.lead, {
      verifications: [{ findingId: ncId + 1000, verified: 'x', result: 'effective' }],
    });
    expect(stray.statusCode).toBe(422);
    const bad = await w.api('PATCH', `/api/v1/audits/${auditId}`, w.lead, {
      verifications: [{ findingId: ncId, result: 'maybe' }],
    });
    expect(bad.statusCode).toBe(422);
  });

  it('records the sample and the people interviewed on an answer', async () => {
    const sample = {
      population: 'Changes Sep–Oct 2026, 143',
      size: 12,
      method: 'Random, by change number',
      references: 'CHG-1001, CHG-1044',
      result: 'All approved before deployment',
    };
    await answer(w, auditId, {
      '4.1-1': { verdict: 'conforming', notes: 'ok', interviewees: '李娜, Zhou Min', sample } as never,
    });
    const a = (await w.api('GET', `/api/v1/audits/${auditId}`, w.lead)).json();
    expect(a.responses[0].sample).toEqual(sample);
    // A save that leaves the sample out keeps it.
    const r = await w.api('PUT', `/api/v1/audits/${auditId}/responses/4.1-1`, w.lead, {
      verdict: 'conforming',
      notes: 'ok again',
      version: a.responses[0].version,
    });
    expect(r.statusCode, r.body).toBe(200);
    const again = (await w.api('GET', `/api/v1/audits/${auditId}`, w.lead)).json();
    expect(again.responses[0].sample).toEqual(sample);
  });

  it('states it all in the issued report, in English and Chinese', async () => {
    await w.api('PUT', `/api/v1/audits/${auditId}/responses/4.1-1`, w.lead, {
      verdict: 'conforming',
      notes: 'ok',
      interviewees: '李娜, Zhou Min',
      version: (await w.api('GET', `/api/v1/audits/${auditId}`, w.lead)).json().responses[0].version,
    });
    await w.api('PATCH', `/api/v1/audits/${auditId}`, w.lead, {
      conclusion: 'c',
      actualStart: '2026-03-02',
      actualEnd: '2026-03-02',
    });
    await transition(w, auditId, 'start', 'report', 'issue');
    const en = flat(pdfText((await w.api('GET', `/api/v1/audits/${auditId}/report.pdf?lang=en`, w.lead)).rawPayload));
    for (const s of [
      'Audit client (commissioned by) Group quality office',
      "Auditee's representative 王强 Wang Qiang",
      '上海数据中心 Shanghai DC',
      'Beijing office',
      'Zhou Min',
      '李娜',
      'The audit evidence is based on samples',
      'samples recorded: 1',
      'Changes Sep–Oct 2026,', // the cell wraps before "143"
      'Random, by change',
      'CHG-1001, CHG-1044',
      'Scope of 8.2.3',
      'None: the audit followed the plan sent to the auditee.',
      'Verification of earlier nonconformities',
      ncRef,
      'Issue review minutes 2026-02',
      'Corrected, effective',
      'Internal use only.',
      'CIO',
      'SMS owner',
      'Not accepted yet',
    ])
      expect(en, s).toContain(s);
    const zh = flat(pdfText((await w.api('GET', `/api/v1/audits/${auditId}/report.pdf?lang=zh`, w.lead)).rawPayload));
    for (const s of [
      '审核委托方',
      '受审核方代表',
      '审核的场所和地点',
      '访谈人员',
      '抽样',
      '未解决的分歧意见',
      '以往不符合的验证',
      '已纠正，有效',
    ])
      expect(zh, s).toContain(s);
  });

  it('says "none" when no diverging opinion is recorded', async () => {
    const other = await newAudit(w, { title: 'Plain', type: 'internal', scope: { clauses: ['4.1'] } });
    const en = flat(pdfText((await w.api('GET', `/api/v1/audits/${other}/report.pdf?lang=en`, w.lead)).rawPayload));
    expect(en).toContain('None: no diverging opinion between the audit team and the auditee remained unresolved.');
    expect(en).not.toContain('Verification of earlier nonconformities'); // no baseline
  });

  it('records acceptance by the lead auditor and the auditee representative, once each, in the trail and the sign-off', async () => {
    const asAuditor = await w.api('POST', `/api/v1/audits/${auditId}/acceptances`, w.auditor, { role: 'leadAuditor' });
    expect(asAuditor.statusCode).toBe(403);
    const lead = await w.api('POST', `/api/v1/audits/${auditId}/acceptances`, w.lead, { role: 'leadAuditor' });
    expect(lead.statusCode, lead.body).toBe(201);
    expect(
      (await w.api('POST', `/api/v1/audits/${auditId}/acceptances`, w.lead, { role: 'leadAuditor' })).statusCode,
    ).toBe(409);
    const rep = await w.api('POST', `/api/v1/audits/${auditId}/acceptances`, w.lead, { role: 'auditeeRepresentative' });
    expect(rep.statusCode, rep.body).toBe(201);
    const en = flat(pdfText((await w.api('GET', `/api/v1/audits/${auditId}/report.pdf?lang=en`, w.lead)).rawPayload));
    expect(en).toMatch(/Accepted by chen\S* on \d{4}-\d{2}-\d{2}/);
    expect(en).toMatch(/Accepted by 王强 Wang Qiang on \d{4}-\d{2}-\d{2}/);
    const trail = await w.t.db
      .selectFrom('audit_trail')
      .select('entity')
      .where('entity', '=', 'audit_acceptance')
      .execute();
    expect(trail).toHaveLength(2);
  });

  it('gives the reason on a revision after the first', async () => {
    await transition(w, auditId, 'revise');
    const r = await w.api('PATCH', `/api/v1/audits/${auditId}`, w.lead, { revisionReason: 'Corrected the sites' });
    expect(r.statusCode, r.body).toBe(200);
    const en = flat(pdfText((await w.api('GET', `/api/v1/audits/${auditId}/report.pdf?lang=en`, w.lead)).rawPayload));
    expect(en).toContain('Reason for this revision Corrected the sites');
  });
});
