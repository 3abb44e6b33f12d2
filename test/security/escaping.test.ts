import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFor, Browser, makeApp, seedUser, type TestApp } from '../helpers.js';

const XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>';

describe('every template escapes user data', () => {
  let t: TestApp;
  let orgId: number;
  let auditId: number;
  let programmeId: number;
  let b: Browser;

  beforeAll(async () => {
    t = await makeApp();
    await seedUser(t.db, 'root@example.com', { admin: true });
    const h = { authorization: `Bearer ${await bearerFor(t.app, 'root@example.com')}` };
    const post = async (url: string, payload: object, method: 'POST' | 'PUT' | 'PATCH' = 'POST') => {
      const r = await t.app.inject({ method, url, headers: h, payload });
      expect(r.statusCode, `${url} ${r.body}`).toBeLessThan(300);
      return r.json();
    };
    orgId = (
      await post('/api/v1/organizations', {
        name: `Org ${XSS}`,
        code: 'XSS',
        scopeStatement: XSS,
        scopeManagingOrg: XSS,
      })
    ).id;
    await post(`/api/v1/organizations/${orgId}/services`, { name: XSS, description: XSS });
    await post(`/api/v1/organizations/${orgId}/processes`, { name: XSS, ownerName: XSS });
    await post(`/api/v1/organizations/${orgId}/other-parties`, {
      name: XSS,
      partyType: 'external_supplier',
      operates: 'process',
      description: XSS,
    });
    programmeId = (
      await post(`/api/v1/organizations/${orgId}/programmes`, {
        title: XSS,
        periodStart: '2026-01-01',
        periodEnd: '2026-12-31',
        objectives: XSS,
        processImportance: XSS,
        changesAffecting: XSS,
        previousResults: XSS,
      })
    ).id;
    auditId = (
      await post(`/api/v1/organizations/${orgId}/audits`, {
        title: XSS,
        type: 'self_assessment',
        scope: { clauses: ['4'] },
        objectives: XSS,
        criteria: XSS,
        programmeId,
      })
    ).id;
    await post(`/api/v1/audits/${auditId}`, { summary: XSS, conclusion: XSS }, 'PATCH');
    await post(
      `/api/v1/audits/${auditId}/responses/4.1-1`,
      { verdict: 'minor_nc', notes: XSS, samples: XSS, interviewees: XSS, level: 2, version: 0 },
      'PUT',
    );
    b = new Browser(t.app);
    await b.login('root@example.com');
  });
  afterAll(async () => {
    await t.close();
  });

  it('shows a <script> typed into any text field as text on every page', async () => {
    const pages = [
      '/',
      `/orgs/${orgId}`,
      `/orgs/${orgId}/services`,
      `/orgs/${orgId}/processes`,
      `/orgs/${orgId}/parties`,
      `/orgs/${orgId}/members`,
      `/orgs/${orgId}/programmes`,
      `/programmes/${programmeId}`,
      `/orgs/${orgId}/audits`,
      `/audits/${auditId}`,
      `/audits/${auditId}/checklist`,
      `/audits/${auditId}/items/4.1-1`,
      `/orgs/${orgId}/history`,
      `/orgs/${orgId}/trail`,
      `/orgs/${orgId}/audits/new`,
      `/orgs/${orgId}/edit`,
    ];
    for (const url of pages) {
      const r = await b.get(url);
      expect(r.statusCode, url).toBe(200);
      expect(r.body, url).not.toContain('<script>alert');
      expect(r.body, url).not.toContain('<img src=x');
      expect(r.body, url).toContain('&lt;script&gt;');
    }
  });
});
