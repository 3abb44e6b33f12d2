import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditDocumentKey } from '../../src/reports/kept-documents.js';
import type { AuditReportModel } from '../../reports/audit-report/model.js';
import { bearerFor, seedUser } from '../helpers.js';
import { answer, newAudit, pdfText, raise, transition, userId, type World, world, xlsxPart } from './setup.js';

// Issue 20: an audit document already built from the same model is served again instead of being laid out anew
// (src/reports/kept-documents.ts). What a user must see: the same file while nothing changed, and a new one as soon as
// anything the document shows changes — an edit of a draft, an acceptance, a new revision.

/** PDFs and workbooks carry the time they were built, to the second: a document built again a second later differs. */
const aSecond = () => new Promise((r) => setTimeout(r, 1100));

describe('audit documents built once per model', () => {
  let w: World;
  let auditId: number;
  const pdf = async (lang = 'en', query = '') => {
    const r = await w.api('GET', `/api/v1/audits/${auditId}/report.pdf?lang=${lang}${query}`, w.lead);
    expect(r.statusCode, r.body).toBe(200);
    return r;
  };
  const gap = async () => {
    const r = await w.api('GET', `/api/v1/audits/${auditId}/gap-register.xlsx?lang=en`, w.lead);
    expect(r.statusCode, r.body).toBe(200);
    return r.rawPayload;
  };

  beforeAll(async () => {
    w = await world();
    const chen = await userId(w, 'chen@example.com');
    auditId = await newAudit(w, {
      title: 'Kept documents audit',
      type: 'internal',
      scope: { clauses: ['4'] },
      leadAuditorId: chen,
      objectives: 'Confirm conformity',
      criteria: 'ISO/IEC 20000-1:2018',
    });
    await answer(w, auditId, {
      '4.1-1': { verdict: 'minor_nc', notes: 'Issues list not reviewed since 2024' },
      '4.2-1': { verdict: 'conforming', notes: 'Register of interested parties v2' },
    });
    await raise(w, auditId, {
      requirementId: '4.1-1',
      kind: 'nonconformity',
      grade: 'minor',
      statement: { requirement: '4.1 issues', evidence: 'Issues list of 2024', nonconformity: 'Not reviewed' },
    });
  });
  afterAll(async () => {
    await w.t.close();
  });

  it('gives the same draft PDF and gap register again while nothing changes', async () => {
    const first = (await pdf()).rawPayload;
    const firstGap = await gap();
    await aSecond();
    expect((await pdf()).rawPayload.equals(first)).toBe(true);
    expect((await gap()).equals(firstGap)).toBe(true);
    // The other language is another document.
    expect(pdfText((await pdf('zh')).rawPayload)).toContain('审核');
  });

  it('builds the draft anew after an edit of an answer or of the audit', async () => {
    const before = (await pdf()).rawPayload;
    const gapBefore = await gap();
    expect(pdfText(before)).not.toContain('Register of interested parties v3');
    await answer(w, auditId, { '4.2-1': { verdict: 'conforming', notes: 'Register of interested parties v3' } });
    const after = (await pdf()).rawPayload;
    expect(pdfText(after)).toContain('Register of interested parties v3');
    expect(pdfText(after)).not.toContain('Register of interested parties v2');
    const gapAfter = await gap();
    expect(gapAfter.equals(gapBefore)).toBe(false);
    expect(xlsxPart(gapAfter, 'xl/sharedStrings.xml')).toContain('Register of interested parties v3');
    expect(xlsxPart(gapAfter, 'xl/sharedStrings.xml')).not.toContain('Register of interested parties v2');

    const patch = await w.api('PATCH', `/api/v1/audits/${auditId}`, w.lead, { conclusion: 'Conforms but for 4.1.' });
    expect(patch.statusCode, patch.body).toBe(200);
    expect(pdfText((await pdf()).rawPayload)).toContain('Conforms but for 4.1.');
  });

  it('serves an issued revision again, and a new document after an acceptance and after a new revision', async () => {
    const rest = await w.api('POST', `/api/v1/audits/${auditId}/responses/bulk`, w.lead, {
      verdict: 'conforming',
      requirementIds: ['4.3-1', '4.3-2', '4.3-3', '4.3-4', '4.4-1'],
    });
    expect(rest.statusCode, rest.body).toBe(200);
    const dates = await w.api('PATCH', `/api/v1/audits/${auditId}`, w.lead, {
      actualStart: '2026-03-02',
      actualEnd: '2026-03-03',
    });
    expect(dates.statusCode, dates.body).toBe(200);
    await transition(w, auditId, 'start', 'report', 'issue');
    const issued = await pdf();
    expect(issued.headers['content-disposition']).toContain(`-audit-${auditId}-r0-report-en.pdf`);
    expect(pdfText(issued.rawPayload)).toContain('Not accepted yet');
    expect((await pdf()).rawPayload.equals(issued.rawPayload)).toBe(true);

    const accepted = await w.api('POST', `/api/v1/audits/${auditId}/acceptances`, w.lead, { role: 'leadAuditor' });
    expect(accepted.statusCode, accepted.body).toBe(201);
    const afterAcceptance = (await pdf()).rawPayload;
    expect(afterAcceptance.equals(issued.rawPayload)).toBe(false);
    expect(pdfText(afterAcceptance)).toMatch(/Accepted by chen\S* on \d{4}-\d{2}-\d{2}/);

    await transition(w, auditId, 'revise');
    const draft = await pdf();
    expect(draft.headers['content-disposition']).toContain(`-audit-${auditId}-r1-draft-report-en.pdf`);
    expect(draft.rawPayload.equals(afterAcceptance)).toBe(false);
    await answer(w, auditId, { '4.2-1': { verdict: 'conforming', notes: 'Register of interested parties v4' } });
    expect(pdfText((await pdf()).rawPayload)).toContain('Register of interested parties v4');
    // The issued revision is still the accepted one, word for word.
    expect((await pdf('en', '&revision=0')).rawPayload.equals(afterAcceptance)).toBe(true);
  });

  it('never gives a kept document to a member of another organisation', async () => {
    await seedUser(w.t.db, 'li@example.com');
    const yi = await w.api('POST', '/api/v1/organizations', w.root, {
      name: '客户乙 Client Yi Ltd',
      code: 'YI',
      scopeStatement: 'IT services',
    });
    expect(yi.statusCode, yi.body).toBe(201);
    const orgB = yi.json().id as number;
    await w.api('POST', `/api/v1/organizations/${orgB}/members`, w.root, {
      email: 'li@example.com',
      role: 'lead_auditor',
    });
    const li = { authorization: `Bearer ${await bearerFor(w.t.app, 'li@example.com')}` };
    const own = await w.api('POST', `/api/v1/organizations/${orgB}/audits`, li, {
      title: 'Kept documents audit',
      type: 'internal',
      scope: { clauses: ['4'] },
    });
    expect(own.statusCode, own.body).toBe(201);
    const ownPdf = await w.api('GET', `/api/v1/audits/${own.json().id}/report.pdf?lang=en`, li);
    expect(ownPdf.statusCode).toBe(200);
    expect(pdfText(ownPdf.rawPayload)).toContain('Client Yi Ltd');
    expect(pdfText(ownPdf.rawPayload)).not.toContain('Register of interested parties');
    await pdf(); // kept for organisation 甲
    for (const path of ['report.pdf?lang=en', 'report.pdf?lang=en&revision=0', 'gap-register.xlsx?lang=en'])
      expect((await w.api('GET', `/api/v1/audits/${auditId}/${path}`, li)).statusCode).toBe(404);
  });
});

describe('what a kept audit document is keyed by', () => {
  const model = (generatedAt: string, frozen = false) =>
    ({
      frozen,
      generatedAt,
      organisation: { id: 1, name: '客户甲', code: 'JIA', timeZone: 'Asia/Shanghai' },
    }) as unknown as AuditReportModel;
  const key = (m: AuditReportModel, kind: 'auditReportPdf' | 'gapRegisterXlsx' = 'auditReportPdf', lang = 'zh') =>
    auditDocumentKey(1, { kind, model: m, lang: lang as 'zh' });

  it("counts a draft's time of generation by the organisation's day, an issued revision's exactly", () => {
    // 2026-11-30 08:00 and 23:59 in Shanghai (UTC+8) are one day; 00:01 on 1 December is the next.
    expect(key(model('2026-11-30T00:00:00.000Z'))).toBe(key(model('2026-11-30T15:59:00.000Z')));
    expect(key(model('2026-11-30T15:59:00.000Z'))).not.toBe(key(model('2026-11-30T16:01:00.000Z')));
    expect(key(model('2026-11-30T00:00:00.000Z', true))).not.toBe(key(model('2026-11-30T00:00:01.000Z', true)));
  });

  it('tells kinds, languages and organisations apart', () => {
    const m = model('2026-11-30T00:00:00.000Z');
    expect(key(m)).not.toBe(key(m, 'gapRegisterXlsx'));
    expect(key(m)).not.toBe(key(m, 'auditReportPdf', 'en'));
    expect(key(m)).not.toBe(auditDocumentKey(2, { kind: 'auditReportPdf', model: m, lang: 'zh' }));
  });
});
