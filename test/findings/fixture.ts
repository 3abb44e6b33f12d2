import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { nowIso } from '../../src/db/time.js';
import { bearerFor, makeApp, seedUser, type TestApp } from '../helpers.js';

/** Two organisations, people with different roles, an audit with checklist responses in organisation A. */
export interface World {
  t: TestApp;
  orgA: number;
  orgB: number;
  auditA: number;
  auditB: number;
  users: Record<'root' | 'lead' | 'owner' | 'reviewer' | 'viewer' | 'bert', number>;
  tokens: Record<'root' | 'lead' | 'owner' | 'reviewer' | 'viewer' | 'bert', string>;
  api(
    who: keyof World['tokens'],
    method: InjectOptions['method'],
    url: string,
    payload?: object,
    lang?: string,
  ): Promise<LightMyRequestResponse>;
}

export async function insertAudit(
  t: TestApp,
  orgId: number,
  title: string,
  over: { status?: string; issued_at?: string | null } = {},
) {
  const v = await t.db.selectFrom('checklist_version').select('id').orderBy('id').executeTakeFirstOrThrow();
  const now = nowIso();
  const { id } = await t.db
    .insertInto('audit')
    .values({
      organization_id: orgId,
      checklist_version_id: v.id,
      title,
      type: 'internal',
      status: over.status ?? 'in_progress',
      scope_clauses: '["4","5","6","7","8","9","10"]',
      scope_processes: '[]',
      scope_services: '[]',
      criteria: '',
      objectives: '',
      summary: '',
      conclusion: '',
      revision: 0,
      issued_at: over.issued_at ?? null,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export async function insertResponse(t: TestApp, auditId: number, requirementId: string, verdict: string, notes = '') {
  await t.db
    .insertInto('audit_response')
    .values({
      audit_id: auditId,
      requirement_id: requirementId,
      verdict,
      notes,
      samples: '',
      interviewees: '',
      version: 0,
    })
    .execute();
}

export async function makeWorld(): Promise<World> {
  const t = await makeApp();
  const emails = {
    root: 'root@example.com',
    lead: 'lead@a.example',
    owner: 'owner@a.example',
    reviewer: 'reviewer@a.example',
    viewer: 'viewer@a.example',
    bert: 'bert@b.example',
  } as const;
  const users = {} as World['users'];
  for (const [k, e] of Object.entries(emails))
    users[k as keyof typeof emails] = await seedUser(t.db, e, { admin: k === 'root' });
  const tokens = {} as World['tokens'];
  for (const [k, e] of Object.entries(emails)) tokens[k as keyof typeof emails] = await bearerFor(t.app, e);
  const api: World['api'] = (who, method, url, payload, lang = 'en') =>
    t.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${tokens[who]}`, 'accept-language': lang },
      ...(payload && { payload }),
    });
  const org = async (name: string, code: string) =>
    (await api('root', 'POST', '/api/v1/organizations', { name, code })).json().id as number;
  const orgA = await org('Alpha IT 服务', 'ALPHA');
  const orgB = await org('Beta Hosting', 'BETA');
  const member = (o: number, email: string, role: string) =>
    api('root', 'POST', `/api/v1/organizations/${o}/members`, { email, role });
  await member(orgA, emails.lead, 'lead_auditor');
  await member(orgA, emails.owner, 'auditee');
  await member(orgA, emails.reviewer, 'auditor');
  await member(orgA, emails.viewer, 'viewer');
  await member(orgB, emails.bert, 'admin');
  const auditA = await insertAudit(t, orgA, 'Internal audit 2025');
  const auditB = await insertAudit(t, orgB, 'Beta audit');
  await insertResponse(t, auditA, '8.6.1-1', 'minor_nc', 'Incident INC-77 was not classified; no priority recorded.');
  await insertResponse(t, auditA, '8.5.1.3-1', 'major_nc', 'No change records for the last quarter.');
  await insertResponse(
    t,
    auditA,
    '7.5.4-1',
    'ofi',
    'Document control works; the template could carry the review date.',
  );
  await insertResponse(t, auditA, '4.1-1', 'conforming', '');
  return { t, orgA, orgB, auditA, auditB, users, tokens, api };
}

export const STATEMENT = {
  requirement: '8.6.1-1: incidents shall be recorded and classified',
  evidence: 'INC-77 has no classification',
  nonconformity: 'Incidents are not classified',
};
