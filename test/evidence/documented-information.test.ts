import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nowIso } from '../../src/db/time.js';
import { evidenceForResponses, linkEvidenceToResponse } from '../../src/evidence/queries.js';
import { bearerFor, Browser, makeApp, seedUser, type TestApp } from '../helpers.js';
import { PNG, upload } from './upload-helpers.js';

interface DocItem {
  id: string;
  status: string;
  evidence: { id: number }[];
}
interface DocEntry {
  key: string;
  status: string;
}

describe('required documented information (7.5.4) and on-the-spot upload from an audit checklist', () => {
  let t: TestApp;
  let orgId: number;
  let otherOrg: number;
  let b: Browser;
  let auth: { authorization: string };

  const register = async () => {
    const r = await t.app.inject({
      method: 'GET',
      url: `/api/v1/organizations/${orgId}/documented-information`,
      headers: auth,
    });
    expect(r.statusCode).toBe(200);
    const body = r.json() as { counts: Record<string, number>; catalogue: DocEntry[]; requirements: DocItem[] };
    return {
      ...body,
      item: (id: string) => body.requirements.find((x) => x.id === id)!,
      entry: (k: string) => body.catalogue.find((x) => x.key === k)!,
    };
  };

  const insertAudit = async (org: number, status: string) => {
    const v = await t.db.selectFrom('checklist_version').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow();
    const now = nowIso();
    const { id } = await t.db
      .insertInto('audit')
      .values({
        organization_id: org,
        checklist_version_id: v.id,
        title: `Internal audit (${status})`,
        type: 'internal',
        status,
        scope_clauses: '["4"]',
        scope_processes: '[]',
        scope_services: '[]',
        criteria: '',
        objectives: '',
        summary: '',
        conclusion: '',
        revision: 0,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return id;
  };
  const insertResponse = async (auditId: number, requirementId: string) =>
    (
      await t.db
        .insertInto('audit_response')
        .values({
          audit_id: auditId,
          requirement_id: requirementId,
          verdict: 'not_assessed',
          notes: '',
          samples: '',
          interviewees: '',
          version: 0,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const linksOf = (responseId: number) =>
    t.db.selectFrom('response_evidence').select('evidence_id').where('response_id', '=', responseId).execute();

  beforeAll(async () => {
    t = await makeApp();
    await seedUser(t.db, 'root@example.com', { admin: true });
    auth = { authorization: `Bearer ${await bearerFor(t.app, 'root@example.com')}` };
    const create = async (code: string) =>
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/organizations',
          headers: auth,
          payload: { name: code, code },
        })
      ).json().id as number;
    orgId = await create('GAMMA');
    otherOrg = await create('DELTA');
    b = new Browser(t.app);
    await b.login('root@example.com');
  });
  afterAll(async () => {
    await t.close();
  });

  it('reports 4.3-4 missing, then present once evidence is linked, then overdue after its review date', async () => {
    const start = await register();
    expect(start.item('4.3-4').status).toBe('missing');
    expect(start.entry('7.5.4-a').status).toBe('missing');
    expect(start.counts.present).toBe(0);
    expect(start.counts.missing).toBe(start.requirements.length);
    expect(start.catalogue).toHaveLength(12);
    const page = await b.get(`/orgs/${orgId}/documented-information`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/id="req-4\.3-4" data-status="missing"/);
    expect(page.body).toContain(`Missing: <strong>${start.requirements.length}</strong>`);

    const r = await upload(b, orgId, {
      title: 'SMS scope statement',
      kind: 'policy',
      location: 'DMS/SMS-SCOPE',
      nextReviewOn: '2999-12-31',
    });
    const id = Number(/\/evidence\/(\d+)$/.exec(r.headers.location as string)![1]);
    expect((await b.post(`/evidence/${id}/requirements`, { requirementId: '4.3-4' })).statusCode).toBe(303);
    const linked = await register();
    expect(linked.item('4.3-4')).toMatchObject({ status: 'present', evidence: [{ id }] });
    expect(linked.entry('7.5.4-a').status).toBe('present');
    expect(linked.counts).toMatchObject({ present: 1, missing: start.requirements.length - 1, overdue: 0 });
    const zh = new Browser(t.app, 'zh-CN');
    await zh.login('root@example.com');
    const zhPage = await zh.get(`/orgs/${orgId}/documented-information`);
    expect(zhPage.body).toContain('已具备: <strong>1</strong>');

    await b.get(`/evidence/${id}`);
    await b.post(`/evidence/${id}`, {
      title: 'SMS scope statement',
      kind: 'policy',
      location: 'DMS/SMS-SCOPE',
      nextReviewOn: '2001-01-01',
    });
    const overdue = await register();
    expect(overdue.item('4.3-4').status).toBe('overdue');
    expect(overdue.entry('7.5.4-a').status).toBe('overdue');
    expect((await b.get(`/orgs/${orgId}/documented-information`)).body).toMatch(
      /id="req-4\.3-4" data-status="overdue"/,
    );
  });

  it('links an on-the-spot upload to the requirement and the audit response, then returns to the checklist', async () => {
    const auditId = await insertAudit(orgId, 'in_progress');
    const responseId = await insertResponse(auditId, '4.2-1');
    const r = await upload(b, orgId, {
      title: 'Interested parties register',
      kind: 'record',
      location: 'DMS/IP-REG',
      requirementId: '4.2-1',
      auditId: String(auditId),
    });
    expect(r.statusCode).toBe(303);
    expect(r.headers.location).toBe(`/audits/${auditId}/checklist?item=4.2-1#req-4.2-1`);
    const ev = await t.db
      .selectFrom('evidence')
      .select('id')
      .where('title', '=', 'Interested parties register')
      .executeTakeFirstOrThrow();
    expect(await linksOf(responseId)).toEqual([{ evidence_id: ev.id }]);
    expect(
      await t.db.selectFrom('evidence_requirement').selectAll().where('evidence_id', '=', ev.id).execute(),
    ).toEqual([{ evidence_id: ev.id, requirement_id: '4.2-1' }]);
    const map = await evidenceForResponses(t.db, [responseId, 999_999]);
    expect(map.get(responseId)).toEqual([{ id: ev.id, title: 'Interested parties register' }]);
    expect(map.has(999_999)).toBe(false);
    const detail = await b.get(`/evidence/${ev.id}`);
    expect(detail.body).toContain(`/audits/${auditId}/checklist?item=4.2-1#req-4.2-1`);
  });

  it('opens the empty response of an in-scope item not answered yet, but none outside the audit scope', async () => {
    const auditId = await insertAudit(orgId, 'planned');
    await upload(b, orgId, {
      title: 'Context analysis',
      kind: 'report',
      location: 'DMS/CTX',
      requirementId: '4.1-1',
      auditId: String(auditId),
    });
    const created = await t.db
      .selectFrom('audit_response')
      .select(['id', 'verdict'])
      .where('audit_id', '=', auditId)
      .execute();
    expect(created).toEqual([{ id: expect.any(Number), verdict: 'not_assessed' }]);
    expect(await linksOf(created[0]!.id)).toHaveLength(1);
    await upload(b, orgId, {
      title: 'Incident report',
      kind: 'report',
      location: 'ITSM',
      requirementId: '8.6.1-1',
      auditId: String(auditId),
    });
    expect(
      await t.db.selectFrom('audit_response').select('requirement_id').where('audit_id', '=', auditId).execute(),
    ).toEqual([{ requirement_id: '4.1-1' }]);
  });

  it('writes nothing when an on-the-spot upload fails', async () => {
    const auditId = await insertAudit(orgId, 'in_progress');
    const responseId = await insertResponse(auditId, '4.1-1');
    const before = (await t.db.selectFrom('evidence').select('id').execute()).length;
    const linksBefore = (await t.db.selectFrom('evidence_requirement').selectAll().execute()).length;
    const r = await upload(
      b,
      orgId,
      { title: 'Bad scan', kind: 'record', requirementId: '4.1-1', auditId: String(auditId) },
      { name: 'scan.pdf', bytes: PNG },
    );
    expect(r.statusCode).toBe(422);
    expect(r.body).toContain('name="requirementId" value="4.1-1"');
    expect((await t.db.selectFrom('evidence').select('id').execute()).length).toBe(before);
    expect(await linksOf(responseId)).toEqual([]);
    expect((await t.db.selectFrom('evidence_requirement').selectAll().execute()).length).toBe(linksBefore);
  });

  it('does not touch a closed audit or another organisation’s audit', async () => {
    const closed = await insertAudit(orgId, 'closed');
    const closedResponse = await insertResponse(closed, '4.1-1');
    const r1 = await upload(b, orgId, {
      title: 'Late evidence',
      kind: 'record',
      location: 'x',
      requirementId: '4.1-1',
      auditId: String(closed),
    });
    // A closed audit is frozen (issue 15): the upload is refused, not linked silently.
    expect(r1.statusCode).toBe(409);
    expect(await linksOf(closedResponse)).toEqual([]);

    const foreign = await insertAudit(otherOrg, 'in_progress');
    const foreignResponse = await insertResponse(foreign, '4.1-1');
    const r2 = await upload(b, orgId, {
      title: 'Cross-org try',
      kind: 'record',
      location: 'x',
      requirementId: '4.1-1',
      auditId: String(foreign),
    });
    expect(r2.headers.location).toMatch(/^\/evidence\/\d+$/);
    expect(await linksOf(foreignResponse)).toEqual([]);
  });

  it('replaces a response’s evidence set and ignores another organisation’s evidence', async () => {
    const auditId = await insertAudit(orgId, 'reporting');
    const responseId = await insertResponse(auditId, '4.4-1');
    const mine = await t.db
      .selectFrom('evidence')
      .select('id')
      .where('organization_id', '=', orgId)
      .orderBy('id')
      .execute();
    const otherAuth = auth;
    const foreign = await t.app.inject({
      method: 'POST',
      url: `/api/v1/organizations/${otherOrg}/evidence`,
      headers: otherAuth,
      payload: (() => {
        const f = new FormData();
        f.append('title', 'Delta doc');
        f.append('kind', 'other');
        f.append('location', 'y');
        return f;
      })(),
    });
    expect(foreign.statusCode).toBe(201);
    const foreignId = foreign.json().id as number;
    await t.db
      .transaction()
      .execute((trx) => linkEvidenceToResponse(trx, orgId, responseId, [mine[0]!.id, mine[1]!.id, foreignId]));
    expect((await linksOf(responseId)).map((x) => x.evidence_id).sort()).toEqual([mine[0]!.id, mine[1]!.id].sort());
    await t.db.transaction().execute((trx) => linkEvidenceToResponse(trx, orgId, responseId, [mine[1]!.id]));
    expect(await linksOf(responseId)).toEqual([{ evidence_id: mine[1]!.id }]);
    // A response of another organisation's audit is left alone.
    await t.db.transaction().execute((trx) => linkEvidenceToResponse(trx, otherOrg, responseId, [foreignId]));
    expect(await linksOf(responseId)).toEqual([{ evidence_id: mine[1]!.id }]);
  });
});
