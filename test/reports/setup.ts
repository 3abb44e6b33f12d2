import ExcelJS from 'exceljs';
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { bearerFor, makeApp, seedUser, type TestApp } from '../helpers.js';

export type Headers = Record<string, string>;
export interface World {
  t: TestApp;
  orgId: number;
  root: Headers;
  lead: Headers;
  auditor: Headers;
  api(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH',
    url: string,
    headers: Headers,
    payload?: object,
  ): Promise<LightMyRequestResponse>;
}

/** A fresh app with organisation 甲 (code JIA), a lead auditor (chen) and an auditor (wang). */
export async function world(config: Parameters<typeof makeApp>[0] = {}): Promise<World> {
  const t = await makeApp(config);
  await seedUser(t.db, 'root@example.com', { admin: true });
  await seedUser(t.db, 'chen@example.com');
  await seedUser(t.db, 'wang@example.com');
  const root = { authorization: `Bearer ${await bearerFor(t.app, 'root@example.com')}` };
  const api: World['api'] = async (method, url, headers, payload) =>
    t.app.inject({ method, url, headers, ...(payload && { payload }) });
  const org = await api('POST', '/api/v1/organizations', root, {
    name: '客户甲 Client Jia Ltd',
    code: 'JIA',
    scopeStatement: 'IT services to the group',
  });
  expect(org.statusCode, org.body).toBe(201);
  const orgId = org.json().id as number;
  await api('POST', `/api/v1/organizations/${orgId}/members`, root, {
    email: 'chen@example.com',
    role: 'lead_auditor',
  });
  await api('POST', `/api/v1/organizations/${orgId}/members`, root, { email: 'wang@example.com', role: 'auditor' });
  const lead = { authorization: `Bearer ${await bearerFor(t.app, 'chen@example.com')}` };
  const auditor = { authorization: `Bearer ${await bearerFor(t.app, 'wang@example.com')}` };
  return { t, orgId, root, lead, auditor, api };
}

export async function userId(w: World, email: string): Promise<number> {
  return (await w.t.db.selectFrom('app_user').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
}

export async function newAudit(w: World, body: object): Promise<number> {
  const r = await w.api('POST', `/api/v1/organizations/${w.orgId}/audits`, w.lead, body);
  expect(r.statusCode, r.body).toBe(201);
  return r.json().id as number;
}

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n');

/** Uploads one evidence item with a small PDF; returns its id. */
export async function addEvidence(w: World, title: string, versionLabel: string, body = PDF): Promise<number> {
  const form = new FormData();
  for (const [k, v] of Object.entries({ title, kind: 'procedure', versionLabel, owner: 'SMS owner' }))
    form.append(k, v);
  form.append('file', new Blob([new Uint8Array(body)], { type: 'application/pdf' }), `${title}.pdf`);
  const r = await w.t.app.inject({
    method: 'POST',
    url: `/api/v1/organizations/${w.orgId}/evidence`,
    headers: w.lead,
    payload: form,
  });
  expect(r.statusCode, r.body).toBe(201);
  return r.json().id as number;
}

export interface Answer {
  verdict: string;
  notes?: string;
  samples?: string;
  level?: number | null;
  evidenceIds?: number[];
}

/** Answers items through the API, starting from each item's current version. */
export async function answer(w: World, auditId: number, answers: Record<string, Answer>) {
  const a = (await w.api('GET', `/api/v1/audits/${auditId}`, w.lead)).json() as {
    responses: { requirementId: string; version: number }[];
  };
  for (const [id, x] of Object.entries(answers)) {
    const version = a.responses.find((r) => r.requirementId === id)!.version;
    const r = await w.api('PUT', `/api/v1/audits/${auditId}/responses/${id}`, w.auditor, {
      notes: '',
      samples: '',
      ...x,
      version,
    });
    expect(r.statusCode, r.body).toBe(200);
  }
}

export async function raise(w: World, auditId: number, body: object): Promise<string> {
  const r = await w.api('POST', `/api/v1/audits/${auditId}/findings`, w.lead, body);
  expect(r.statusCode, r.body).toBe(201);
  return r.json().ref as string;
}

export async function transition(w: World, auditId: number, ...actions: string[]) {
  for (const action of actions) {
    const r = await w.api('POST', `/api/v1/audits/${auditId}/transitions`, w.lead, { action });
    expect(r.statusCode, r.body).toBe(200);
  }
}

/** The text of a PDF, line by line (pdf.js; test/support/pdf.ts also has each run's position: pdfLayout). */
export { pdfText } from '../support/pdf.js';

/** One part of an .xlsx (a zip), e.g. xl/worksheets/sheet2.xml. */
export { zipPart as xlsxPart } from '../support/zip.js';

export async function loadWorkbook(buf: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  return wb;
}
