import type { LightMyRequestResponse } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { quickWorld, type QuickWorld, setUpOnce } from '../support/quick-world.js';

type Json = ReturnType<typeof JSON.parse>; // a JSON body, read field by field

// The audit commands (src/audits/commands.ts) through the API, rule by rule: saving one answer (the version check,
// levels only in self-assessments, nothing once issued, the trail entry), the team check of bulk verdicts, the
// transition refusals, and a PATCH's own checks (read-only after issue, members only, only the fields sent).

const EN = {
  readOnlyIssued: 'Issued; changes need a new revision (the audit is “Issued”).',
  levelOnly: 'Implementation levels are recorded in self-assessments only.',
  staleBy: (name: string) =>
    `${name} saved this item after you opened it. Their answer is shown; nothing was overwritten.`,
  staleUnknown: 'Someone else saved this item after you opened it. Their answer is shown; nothing was overwritten.',
  notOnTeam: 'Only the audit’s lead auditor and team members can do this.',
  notMember: 'The lead auditor and the team must be members of this organisation.',
  noBaseline: 'Verifications need an earlier audit this audit follows up.',
};

describe('audit commands', () => {
  let w: QuickWorld;
  let internal: number;
  let self: number;
  const message = (r: LightMyRequestResponse) => (r.json() as { message: string }).message;
  const ok = async (r: Promise<LightMyRequestResponse>, code = 200): Promise<Json> => {
    const res = await r;
    expect(res.statusCode, res.body).toBe(code);
    return res.json();
  };
  const newAudit = async (title: string, type: string) =>
    (
      await ok(
        w.api('lead', 'POST', `/api/v1/organizations/${w.orgA}/audits`, {
          title,
          type,
          scope: { clauses: ['4'] },
          leadAuditorId: w.users.lead,
          objectives: 'Conformity of the context of the SMS',
          criteria: 'ISO/IEC 20000-1:2018 clause 4',
        }),
        201,
      )
    ).id as number;
  const answer = async (auditId: number, requirementId: string) =>
    ((await ok(w.api('lead', 'GET', `/api/v1/audits/${auditId}`))).responses as Json[]).find(
      (r) => r.requirementId === requirementId,
    );
  const put = (auditId: number, requirementId: string, body: object, who: 'lead' | 'auditor' = 'lead') =>
    w.api(who, 'PUT', `/api/v1/audits/${auditId}/responses/${requirementId}`, body);
  const trail = async (entityId: string) =>
    (
      await w.t.db
        .selectFrom('audit_trail')
        .select(['before_json', 'after_json'])
        .where('entity', '=', 'audit_response')
        .where('entity_id', '=', entityId)
        .orderBy('id')
        .execute()
    ).map((r) => ({ before: JSON.parse(r.before_json!), after: JSON.parse(r.after_json!) }));

  setUpOnce(async () => {
    w = await quickWorld();
    internal = await newAudit('Internal audit, clause 4', 'internal');
    self = await newAudit('Self-assessment, clause 4', 'self_assessment');
    await ok(w.api('lead', 'POST', `/api/v1/audits/${internal}/transitions`, { action: 'start' }));
  });
  afterAll(async () => {
    await w?.t.close();
  });

  describe('saving one answer', () => {
    it('saves the answer from the version it started from, one version on, with who and a trail entry', async () => {
      const saved = await ok(
        put(internal, '4.1-1', {
          verdict: 'minor_nc',
          notes: 'No SWOT.',
          samples: 'Minutes',
          interviewees: 'CIO',
          version: 0,
        }),
      );
      expect(saved).toMatchObject({
        requirementId: '4.1-1',
        verdict: 'minor_nc',
        notes: 'No SWOT.',
        samples: 'Minutes',
        interviewees: 'CIO',
        level: null,
        version: 1,
      });
      expect(saved.answeredAt).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(await answer(internal, '4.1-1')).toMatchObject({ verdict: 'minor_nc', version: 1, answeredBy: 'lead' });
      const entries = await trail(`${internal}:4.1-1`);
      expect(entries.length).toBe(1);
      expect(entries[0]!.before).toEqual({ verdict: 'not_assessed', notes: '', level: null });
      expect(entries[0]!.after).toMatchObject({
        verdict: 'minor_nc',
        notes: 'No SWOT.',
        samples: 'Minutes',
        interviewees: 'CIO',
        implementation_level: null,
        version: 1,
        answered_by: w.users.lead,
        evidenceIds: [],
      });
    });

    it('refuses a save from an older version (409 naming who saved since), with their answer, and keeps it', async () => {
      const r = await put(internal, '4.1-1', { verdict: 'conforming', notes: 'Looks fine', version: 0 }, 'auditor');
      expect([r.statusCode, message(r)]).toEqual([409, EN.staleBy('lead')]);
      expect(r.json().current).toMatchObject({
        verdict: 'minor_nc',
        notes: 'No SWOT.',
        version: 1,
        answeredBy: 'lead',
        evidence: [],
      });
      expect(await answer(internal, '4.1-1')).toMatchObject({ verdict: 'minor_nc', notes: 'No SWOT.', version: 1 });
      expect((await trail(`${internal}:4.1-1`)).length).toBe(1);
    });

    it('says "someone else" when the newer answer names no one', async () => {
      await w.t.db
        .updateTable('audit_response')
        .set({ version: 4, answered_by: null })
        .where('audit_id', '=', internal)
        .where('requirement_id', '=', '4.2-1')
        .execute();
      const r = await put(internal, '4.2-1', { verdict: 'conforming', version: 3 });
      expect([r.statusCode, message(r)]).toEqual([409, EN.staleUnknown]);
      expect((await ok(put(internal, '4.2-1', { verdict: 'conforming', version: 4 }))).version).toBe(5);
    });

    it('refuses a level outside a self-assessment (422) and records one in a self-assessment', async () => {
      const r = await put(internal, '4.3-1', { verdict: 'conforming', level: 3, version: 0 });
      expect([r.statusCode, message(r)]).toEqual([422, EN.levelOnly]);
      expect((await answer(internal, '4.3-1')).version).toBe(0);
      const saved = await ok(put(self, '4.3-1', { verdict: 'conforming', level: 3, version: 0 }));
      expect([saved.level, saved.version]).toEqual([3, 1]);
      expect((await answer(self, '4.3-1')).level).toBe(3);
    });

    it('answers 404 to an item that is not in the audit', async () => {
      expect((await put(internal, '8.1-1', { verdict: 'conforming', version: 0 })).statusCode).toBe(404);
    });
  });

  describe('bulk verdicts', () => {
    it("are the audit's lead auditor's and team's only (403 to another auditor, nothing changed)", async () => {
      const r = await w.api('auditor', 'POST', `/api/v1/audits/${internal}/responses/bulk`, {
        verdict: 'conforming',
        onlyUnassessed: true,
      });
      expect([r.statusCode, message(r)]).toEqual([403, EN.notOnTeam]);
      expect((await answer(internal, '4.3-1')).verdict).toBe('not_assessed');
      await ok(w.api('lead', 'PATCH', `/api/v1/audits/${internal}`, { team: [w.users.auditor] }));
      const team = await ok(
        w.api('auditor', 'POST', `/api/v1/audits/${internal}/responses/bulk`, {
          verdict: 'conforming',
          requirementIds: ['4.3-1'],
        }),
      );
      expect(team).toEqual({ changed: 1 });
      expect((await answer(internal, '4.3-1')).verdict).toBe('conforming');
    });
  });

  describe('changing the audit (PATCH)', () => {
    it('changes only the fields sent, stores lists, and writes what changed to the trail', async () => {
      const before = await ok(w.api('lead', 'GET', `/api/v1/audits/${internal}`));
      const after = await ok(
        w.api('lead', 'PATCH', `/api/v1/audits/${internal}`, {
          title: 'Clause 4, revisited',
          sites: ['Beijing', 'Remote'],
        }),
      );
      expect([after.title, after.sites, after.objectives, after.criteria]).toEqual([
        'Clause 4, revisited',
        ['Beijing', 'Remote'],
        before.objectives,
        before.criteria,
      ]);
      const last = await w.t.db
        .selectFrom('audit_trail')
        .select(['before_json', 'after_json'])
        .where('entity', '=', 'audit')
        .where('entity_id', '=', String(internal))
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      expect(JSON.parse(last.after_json!)).toEqual({
        title: 'Clause 4, revisited',
        sites_json: '["Beijing","Remote"]',
      });
      expect(JSON.parse(last.before_json!)).toEqual({ title: 'Internal audit, clause 4', sites_json: '[]' });
    });

    it('refuses a lead auditor or a team member who is not a member of the organisation (422)', async () => {
      const lead = await w.api('lead', 'PATCH', `/api/v1/audits/${internal}`, { leadAuditorId: w.users.bert });
      expect([lead.statusCode, message(lead)]).toEqual([422, EN.notMember]);
      const team = await w.api('lead', 'PATCH', `/api/v1/audits/${internal}`, {
        team: [w.users.auditor, w.users.bert],
      });
      expect([team.statusCode, message(team)]).toEqual([422, EN.notMember]);
      const now = await ok(w.api('lead', 'GET', `/api/v1/audits/${internal}`));
      expect([now.leadAuditorId, now.team.map((u: Json) => u.id).sort()]).toEqual([
        w.users.lead,
        [w.users.lead, w.users.auditor].sort(),
      ]);
      // The same member twice is one member.
      await ok(w.api('lead', 'PATCH', `/api/v1/audits/${internal}`, { team: [w.users.auditor, w.users.auditor] }));
    });

    it('refuses verifications in an audit that follows up no earlier audit (422)', async () => {
      const r = await w.api('lead', 'PATCH', `/api/v1/audits/${internal}`, {
        verifications: [{ findingId: 1, result: 'effective', note: '' }],
      });
      expect([r.statusCode, message(r)]).toEqual([422, EN.noBaseline]);
    });
  });

  describe('once issued', () => {
    let issued: number;
    setUpOnce(async () => {
      issued = await newAudit('Issued audit', 'internal');
      await w.t.db
        .updateTable('audit')
        .set({ status: 'issued', issued_at: '2026-01-10T00:00:00.000Z' })
        .where('id', '=', issued)
        .execute();
    });

    it('refuses a save (409 "issued") and keeps the answer', async () => {
      const r = await put(issued, '4.1-1', { verdict: 'conforming', version: 0 });
      expect([r.statusCode, message(r)]).toEqual([409, EN.readOnlyIssued]);
      expect(await answer(issued, '4.1-1')).toMatchObject({ verdict: 'not_assessed', version: 0 });
    });

    it('refuses a PATCH (409 "issued") and keeps the title', async () => {
      const r = await w.api('lead', 'PATCH', `/api/v1/audits/${issued}`, { title: 'Changed after issue' });
      expect([r.statusCode, message(r)]).toEqual([409, EN.readOnlyIssued]);
      expect((await ok(w.api('lead', 'GET', `/api/v1/audits/${issued}`))).title).toBe('Issued audit');
    });

    it('refuses a transition the status does not allow (422 naming it)', async () => {
      const r = await w.api('lead', 'POST', `/api/v1/audits/${issued}/transitions`, { action: 'start' });
      expect([r.statusCode, message(r)]).toEqual([
        422,
        '“Start the audit” is not possible while the audit’s status is “Issued”.',
      ]);
    });
  });
});
