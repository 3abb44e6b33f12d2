import { readFileSync } from 'node:fs';
import createClient from 'openapi-fetch';
import openapiTS, { astToString } from 'openapi-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, PASSWORD, seedUser, type TestApp } from '../helpers.js';
import type { paths } from './openapi-types.js';

// The OpenAPI document as a client generator reads it: every /api/v1 route documented, the types generated from it
// by openapi-typescript, and a journey through openapi-fetch against the app listening on a real port.

type Operation = {
  summary?: string;
  responses?: Record<string, { $ref?: string; content?: Record<string, { schema?: unknown }> }>;
};

const HOW_TO_DOCUMENT =
  'Give the route schema.summary, schema.response (a zod schema per success status, e.g. { 200: MyOut }), and in ' +
  'config.docs say what JSON cannot: { download: [MEDIA.pdf] } for a file, { upload: { fileTypes } } for multipart, ' +
  '{ noContent: true } for 204 (src/web/openapi.ts). Then run `npm run api:types`.';

describe('the OpenAPI document', () => {
  let t: TestApp;
  let doc: { paths: Record<string, Record<string, Operation>> };
  beforeAll(async () => {
    t = await makeApp();
    doc = (await t.app.inject({ method: 'GET', url: '/api/docs/json' })).json();
  });
  afterAll(() => t.close());

  it('documents every /api/v1 route: summary, success answer with its schema or media type, error answers', () => {
    const problems: string[] = [];
    for (const r of t.app.routeCatalogue.filter((x) => x.url.startsWith('/api/v1/'))) {
      const path = r.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
      const op = doc.paths[path]?.[r.method.toLowerCase()];
      const name = `${r.method} ${r.url}`;
      if (!op) {
        problems.push(`${name}: missing from the document (does its schema have tags?)`);
        continue;
      }
      if (!op.summary) problems.push(`${name}: no summary`);
      const success = Object.entries(op.responses ?? {}).filter(([s]) => s.startsWith('2'));
      const described = success.some(
        ([s, res]) => s === '204' || Object.values(res.content ?? {}).some((m) => m.schema !== undefined),
      );
      if (!described) problems.push(`${name}: no success answer with a schema (response or config.docs)`);
      if (r.access.kind !== 'public' && !op.responses?.['401']) problems.push(`${name}: no 401`);
    }
    expect(problems, `${problems.join('\n')}\n${HOW_TO_DOCUMENT}`).toEqual([]);
  });

  it('names downloads and uploads by their media types, and errors by one body', () => {
    const xlsx = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    const get = (p: string) => doc.paths[p]!.get!.responses!['200']!.content!;
    expect(Object.keys(get('/api/v1/audits/{auditId}/report.pdf'))).toEqual(['application/pdf']);
    expect(Object.keys(get('/api/v1/audits/{auditId}/gap-register.xlsx'))).toEqual([xlsx]);
    expect(Object.keys(get('/api/v1/audits/{auditId}/plan.ics'))).toEqual(['text/calendar']);
    const upload = doc.paths['/api/v1/organizations/{orgId}/evidence']!.post as { requestBody: unknown };
    expect(upload.requestBody).toMatchObject({
      content: {
        'multipart/form-data': { schema: { required: ['file'], properties: { file: { format: 'binary' } } } },
      },
    });
    const put = doc.paths['/api/v1/audits/{auditId}/responses/{requirementId}']!.put!;
    expect(Object.keys(put.responses!).sort()).toEqual(['200', '401', '403', '404', '409', '422']);
    expect(put.responses!['422']!.$ref).toBe('#/components/responses/Error422');
  });

  it('generates the typed client the tests use (test/api/openapi-types.ts is up to date)', async () => {
    const fresh = astToString(await openapiTS(doc as never));
    const committed = readFileSync(new URL('./openapi-types.ts', import.meta.url), 'utf8');
    // Compared without formatting: `npm run api:types` formats the file with Biome.
    const squash = (s: string) => s.replace(/\/\*\*[\s\S]*?\*\//g, '').replace(/[\s;,'"|()]/g, '');
    expect(squash(committed) === squash(fresh), `test/api/openapi-types.ts is stale: ${HOW_TO_DOCUMENT}`).toBe(true);
  });
});

describe('a client generated from the document (openapi-typescript + openapi-fetch)', () => {
  let t: TestApp;
  let baseUrl: string;
  beforeAll(async () => {
    t = await makeApp();
    await seedUser(t.db, 'admin@example.com', { admin: true });
    baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => t.close());

  it('creates an organisation, an audit, an answer and a finding, and downloads the report', async () => {
    const anonymous = createClient<paths>({ baseUrl });
    const signIn = await anonymous.POST('/api/v1/auth/token', {
      body: { email: 'admin@example.com', password: PASSWORD, name: 'generated client' },
    });
    expect(signIn.response.status).toBe(201);
    const api = createClient<paths>({
      baseUrl,
      headers: { authorization: `Bearer ${signIn.data!.token}`, 'accept-language': 'en' },
    });

    const org = await api.POST('/api/v1/organizations', { body: { name: 'Client Co', code: 'CLIENT' } });
    expect(org.response.status).toBe(201);
    const orgId = org.data!.id;

    const created = await api.POST('/api/v1/organizations/{orgId}/audits', {
      params: { path: { orgId } },
      body: { title: 'Generated-client audit', type: 'internal', scope: { clauses: ['8'] } },
    });
    expect(created.response.status).toBe(201);
    const auditId = created.data!.id;
    // The create answer is the audit as GET gives it.
    const read = await api.GET('/api/v1/audits/{auditId}', { params: { path: { auditId } } });
    expect(created.data).toEqual(read.data);
    const item = read.data!.responses.find((r) => r.requirementId === '8.6.1-1')!;
    expect(item.verdict).toBe('not_assessed');

    await api.POST('/api/v1/audits/{auditId}/transitions', {
      params: { path: { auditId } },
      body: { action: 'start' },
    });
    // The documented ways to say "no level": null and "".
    for (const level of [null, ''] as const) {
      const current = await api.GET('/api/v1/audits/{auditId}', { params: { path: { auditId } } });
      const version = current.data!.responses.find((r) => r.requirementId === '8.6.1-1')!.version;
      const saved = await api.PUT('/api/v1/audits/{auditId}/responses/{requirementId}', {
        params: { path: { auditId, requirementId: '8.6.1-1' } },
        body: { verdict: 'minor_nc', notes: 'INC-77 unclassified', level, version },
      });
      expect(saved.response.status, JSON.stringify(saved.error)).toBe(200);
      expect(saved.data).toMatchObject({ verdict: 'minor_nc', level: null });
    }

    const finding = await api.POST('/api/v1/audits/{auditId}/findings', {
      params: { path: { auditId } },
      body: {
        requirementId: '8.6.1-1',
        kind: 'nonconformity',
        grade: 'minor',
        statement: {
          requirement: '8.6.1: incidents shall be recorded and classified',
          evidence: 'INC-77 has no classification',
          nonconformity: 'Incidents are not classified',
        },
      },
    });
    expect(finding.response.status, JSON.stringify(finding.error)).toBe(201);
    expect(finding.data).toMatchObject({ kind: 'nonconformity', grade: 'minor', auditId, status: 'open' });

    const refused = await api.PUT('/api/v1/audits/{auditId}/responses/{requirementId}', {
      params: { path: { auditId, requirementId: '8.6.1-1' } },
      body: { verdict: 'minor_nc', version: 0 },
    });
    expect(refused.response.status).toBe(409);
    expect(refused.error).toMatchObject({ error: expect.any(String), message: expect.any(String) });

    const pdf = await api.GET('/api/v1/audits/{auditId}/report.pdf', {
      params: { path: { auditId }, query: { lang: 'en' } },
      parseAs: 'arrayBuffer',
    });
    expect(pdf.response.status).toBe(200);
    expect(pdf.response.headers.get('content-type')).toContain('application/pdf');
    expect(
      Buffer.from(pdf.data as ArrayBuffer)
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
  });
});
