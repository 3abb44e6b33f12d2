import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFor, seedUser } from '../helpers.js';
import {
  addEvidence,
  type Answer,
  answer,
  newAudit,
  pdfText,
  raise,
  transition,
  userId,
  type World,
  world,
} from './setup.js';

describe('audit report (PDF)', () => {
  let w: World;
  let auditId: number;
  const refs: string[] = [];

  beforeAll(async () => {
    w = await world();
    const chen = await userId(w, 'chen@example.com');
    const wang = await userId(w, 'wang@example.com');
    auditId = await newAudit(w, {
      title: '2026 年度内部审核',
      type: 'internal',
      scope: { clauses: ['4', '5'] },
      leadAuditorId: chen,
      team: [wang],
      objectives: 'Confirm the SMS conforms to ISO/IEC 20000-1:2018',
      criteria: 'ISO/IEC 20000-1:2018 clauses 4 and 5; SMS manual v3',
      plannedStart: '2026-03-02',
      plannedEnd: '2026-03-04',
    });
    const manual = await addEvidence(w, 'SMS manual 服务管理手册', 'v3.1');
    const a = (await w.api('GET', `/api/v1/audits/${auditId}`, w.lead)).json() as {
      responses: { requirementId: string }[];
    };
    const answers: Record<string, Answer> = Object.fromEntries(
      a.responses.map((r) => [
        r.requirementId,
        { verdict: 'conforming', notes: `已核查 ${r.requirementId}`, samples: 'SMS manual §2' },
      ]),
    );
    answers['4.1-1'] = {
      verdict: 'major_nc',
      notes: '未确定外部和内部议题 (no issues determined)',
      samples: 'Management meeting minutes 2025',
      evidenceIds: [manual],
    };
    answers['5.1-1'] = { verdict: 'minor_nc', notes: 'SMS policy not communicated to suppliers', samples: '' };
    answers['4.2-1'] = { verdict: 'observation', notes: 'Interested parties list dated 2023', samples: '' };
    answers['5.2.1-1'] = { verdict: 'ofi', notes: 'Policy could name the service objectives', samples: '' };
    await answer(w, auditId, answers);
    const st = (r: string) => ({
      requirement: `Requirement ${r}`,
      evidence: `证据：抽查 ${r}`,
      nonconformity: `What was not met in ${r}`,
    });
    refs.push(
      await raise(w, auditId, {
        requirementId: '4.1-1',
        kind: 'nonconformity',
        grade: 'major',
        statement: st('4.1-1'),
      }),
    );
    refs.push(
      await raise(w, auditId, {
        requirementId: '5.1-1',
        kind: 'nonconformity',
        grade: 'minor',
        statement: st('5.1-1'),
      }),
    );
    refs.push(await raise(w, auditId, { requirementId: '4.2-1', kind: 'observation', statement: st('4.2-1') }));
    refs.push(await raise(w, auditId, { requirementId: '5.2.1-1', kind: 'ofi', statement: st('5.2.1-1') }));
    await w.api('PATCH', `/api/v1/audits/${auditId}`, w.lead, {
      summary: '审核发现体系总体有效。',
      conclusion: 'The SMS conforms except for the nonconformities listed.',
      actualStart: '2026-03-02',
      actualEnd: '2026-03-04',
    });
  });
  afterAll(async () => {
    await w.t.close();
  });

  it('renders a draft in Chinese with the organisation, clause titles and every finding ref', async () => {
    const r = await w.api('GET', `/api/v1/audits/${auditId}/report.pdf?lang=zh`, w.lead);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['content-type']).toBe('application/pdf');
    expect(r.headers['content-disposition']).toContain(`JIA-audit-${auditId}-r0-draft-report-zh.pdf`);
    const text = pdfText(r.rawPayload);
    expect(text).toContain('客户甲 Client Jia Ltd');
    expect(text).toContain('组织环境');
    expect(text).toContain('领导作用');
    for (const ref of refs) expect(text).toContain(ref);
    expect(text).toContain('未确定外部和内部议题');
    expect(text).toContain('草稿');
    expect(text).toContain('审核范围内的检查项均已审核'); // every item in scope has a verdict
  });

  it('says in a draft how many items are not assessed yet, rather than "every item was examined"', async () => {
    const fresh = await newAudit(w, {
      title: '2026 年度内部审核（第二次）',
      type: 'internal',
      scope: { clauses: ['6.1'] },
    });
    const items = (await w.api('GET', `/api/v1/audits/${fresh}`, w.lead)).json().responses.length as number;
    const r = await w.api('GET', `/api/v1/audits/${fresh}/report.pdf?lang=zh`, w.lead);
    const text = pdfText(r.rawPayload).replace(/\s+/g, '');
    expect(text).toContain(`尚有${items}项未评价（本报告为草稿；发布的报告中不会有未评价的检查项）。`);
    expect(text).not.toContain('审核范围内的检查项均已审核');
  });

  it('renders English and both languages side by side per section', async () => {
    const en = pdfText((await w.api('GET', `/api/v1/audits/${auditId}/report.pdf?lang=en`, w.lead)).rawPayload);
    expect(en).toContain('Context of the organization');
    expect(en).toContain('Appendix A');
    expect(en).not.toContain('组织环境');
    const both = await w.api('GET', `/api/v1/audits/${auditId}/report.pdf?lang=both`, w.lead);
    expect(both.headers['content-disposition']).toContain('-report-both.pdf');
    const text = pdfText(both.rawPayload);
    for (const s of [
      '组织环境',
      'Context of the organization',
      '审核报告',
      'Audit report',
      'SMS manual 服务管理手册',
      'v3.1',
    ])
      expect(text).toContain(s);
    expect(text).toMatch(/第 2 页，共 \d+ 页 \/ Page 2 of \d+/);
    expect(text).toContain(`客户甲 Client Jia Ltd · 2026 年度内部审核 · 第1版 / revision 1`); // running header, revisions counted from 1
  });

  it('refuses an unknown language (422) and a stranger (404)', async () => {
    expect((await w.api('GET', `/api/v1/audits/${auditId}/report.pdf?lang=fr`, w.lead)).statusCode).toBe(422);
    await seedUser(w.t.db, 'stranger@example.com');
    const stranger = { authorization: `Bearer ${await bearerFor(w.t.app, 'stranger@example.com')}` };
    expect((await w.api('GET', `/api/v1/audits/${auditId}/report.pdf`, stranger)).statusCode).toBe(404);
  });

  it('freezes the issued report: the same bytes on every download, whatever changes afterwards', async () => {
    await transition(w, auditId, 'start', 'report', 'issue');
    const first = await w.api('GET', `/api/v1/audits/${auditId}/report.pdf?lang=zh`, w.lead);
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-disposition']).toContain(`filename="JIA-audit-${auditId}-r0-report-zh.pdf"`);
    // Afterwards: a new finding is refused (the revision is frozen, issue 15); a renamed organisation and a changed
    // evidence title do not reach the issued report.
    const late = await w.api('POST', `/api/v1/audits/${auditId}/findings`, w.lead, {
      requirementId: '5.3-1',
      kind: 'ofi',
      statement: { requirement: 'r', evidence: 'e', nonconformity: 'n' },
    });
    expect(late.statusCode).toBe(409);
    await w.t.db.updateTable('organization').set({ name: 'Renamed Ltd' }).where('id', '=', w.orgId).execute();
    await w.t.db.updateTable('evidence').set({ title: 'Changed title' }).execute();
    const second = await w.api('GET', `/api/v1/audits/${auditId}/report.pdf?lang=zh`, w.lead);
    expect(Buffer.compare(first.rawPayload, second.rawPayload)).toBe(0);
    const text = pdfText(second.rawPayload);
    expect(text).toContain('客户甲 Client Jia Ltd');
    expect(text).toContain('SMS manual 服务管理手册');
    expect(text).not.toContain('草稿');
    expect(text).not.toContain('项未评价（本报告为草稿');
  });

  it('keeps an issued revision downloadable after the audit is revised; the live one is a draft of the next revision', async () => {
    const issued = (await w.api('GET', `/api/v1/audits/${auditId}/report.pdf?lang=en`, w.lead)).rawPayload;
    await transition(w, auditId, 'revise');
    const draft = await w.api('GET', `/api/v1/audits/${auditId}/report.pdf?lang=en`, w.lead);
    expect(draft.headers['content-disposition']).toContain(`JIA-audit-${auditId}-r1-draft-report-en.pdf`);
    expect(pdfText(draft.rawPayload)).toContain('Renamed Ltd');
    const r0 = await w.api('GET', `/api/v1/audits/${auditId}/report.pdf?lang=en&revision=0`, w.lead);
    expect(Buffer.compare(r0.rawPayload, issued)).toBe(0);
    expect((await w.api('GET', `/api/v1/audits/${auditId}/report.pdf?revision=1`, w.lead)).statusCode).toBe(404);
  });
});
