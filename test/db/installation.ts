import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { PDF, upload } from '../evidence/upload-helpers.js';
import { Browser, PASSWORD } from '../helpers.js';

/** What a populated installation holds, to be found again after a backup/restore or a move to PostgreSQL. */
export interface Facts {
  email: string;
  orgId: number;
  auditId: number;
  evidenceId: number;
  content: Buffer;
  notes: string;
}

/**
 * Fills an empty installation the way a user would: first-run setup with the demo organisation,
 * an on-the-spot evidence upload from the audit checklist, and a checklist save citing it.
 */
export async function populate(app: FastifyInstance): Promise<Facts> {
  const email = 'admin@example.com';
  const b = new Browser(app);
  await b.get('/setup');
  const setup = await b.post('/setup', {
    email,
    displayName: 'Admin',
    password: PASSWORD,
    confirm: PASSWORD,
    demo: 'on',
  });
  expect(setup.statusCode, setup.body.slice(0, 300)).toBe(303);
  const org = await app.db.selectFrom('organization').select('id').where('code', '=', 'DEMO').executeTakeFirstOrThrow();
  const audit = await app.db
    .selectFrom('audit')
    .select('id')
    .where('organization_id', '=', org.id)
    .executeTakeFirstOrThrow();
  // Binary content with every byte value, so any text/encoding mangling on the way shows.
  const content = Buffer.concat([PDF, Buffer.from(Array.from({ length: 256 }, (_, i) => i)), randomBytes(64 * 1024)]);
  const up = await upload(
    b,
    org.id,
    { title: '变更记录 Change log Q3', kind: 'record', requirementId: '8.5.1.3-1', auditId: String(audit.id) },
    { name: '变更记录.pdf', bytes: content, type: 'application/pdf' },
  );
  expect(up.statusCode, up.body.slice(0, 300)).toBe(303);
  const ev = await app.db
    .selectFrom('evidence')
    .select('id')
    .where('organization_id', '=', org.id)
    .executeTakeFirstOrThrow();
  const notes = 'Checked CHG-2041 … 变更已批准 (saved before the move)';
  await b.get(`/audits/${audit.id}/checklist`);
  const save = await b.post(`/audits/${audit.id}/responses/8.5.1.1-1`, {
    verdict: 'conforming',
    notes,
    version: '0',
    evidenceIds: String(ev.id),
  });
  expect(save.statusCode, save.body.slice(0, 300)).toBe(303);
  return { email, orgId: org.id, auditId: audit.id, evidenceId: ev.id, content, notes };
}

/** Reads everything back through the app, as the user would after the move. */
export async function expectFacts(app: FastifyInstance, f: Facts) {
  const b = new Browser(app);
  await b.login(f.email);
  const home = await b.get('/');
  expect(home.body).toContain('Demo Data Services Ltd');
  const checklist = await b.get(`/audits/${f.auditId}/checklist?clause=all`); // every item, not one clause's page
  expect(checklist.statusCode).toBe(200);
  expect(checklist.body).toContain('saved before the move');
  expect(checklist.body).toContain('变更记录 Change log Q3');
  const dl = await b.get(`/evidence/${f.evidenceId}/download`);
  expect(dl.statusCode).toBe(200);
  expect(dl.rawPayload.equals(f.content)).toBe(true);
  const response = await app.db
    .selectFrom('audit_response')
    .select(['notes', 'verdict', 'version'])
    .where('audit_id', '=', f.auditId)
    .where('requirement_id', '=', '8.5.1.1-1')
    .executeTakeFirstOrThrow();
  expect(response).toEqual({ notes: f.notes, verdict: 'conforming', version: 1 });
  // New rows get fresh ids after the copied ones (sequences continue where the data ends).
  const more = await b.post(`/orgs/${f.orgId}/services`, { name: 'Added after the move', description: '' });
  expect(more.statusCode, more.body.slice(0, 300)).toBe(303);
}
