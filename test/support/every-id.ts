import type { TestApp } from '../helpers.js';
import { bearerFor, seedUser } from '../helpers.js';

/** The roles as docs/permissions.md names them. */
export const ROLES = ['admin', 'lead_auditor', 'auditor', 'auditee', 'viewer'] as const;

/**
 * One organisation (A) holding a record behind every id a route can name, members of A in every role
 * (`<role>@a.example`, the admin is root@example.com), and a second organisation (B) with its own admin
 * (outsider@b.example). `values` maps each route parameter to A's id; `itemIds` the register ids by path segment.
 * Every set-up call must succeed: a route is never walked with a made-up id.
 */
export async function worldOfEveryId(t: TestApp) {
  const values: Record<string, string> = {};
  const itemIds: Record<string, string> = {};
  await seedUser(t.db, 'root@example.com', { admin: true });
  const root = { authorization: `Bearer ${await bearerFor(t.app, 'root@example.com')}`, 'accept-language': 'en' };
  const call = async (method: 'POST' | 'PUT' | 'PATCH', url: string, payload: object) => {
    const r = await t.app.inject({ method, url, headers: root, payload });
    if (r.statusCode >= 300) throw new Error(`${method} ${url}: ${r.statusCode} ${r.body}`);
    return r.json();
  };
  const orgA = (await call('POST', '/api/v1/organizations', { name: 'Org A', code: 'ORGA' })).id;
  const orgB = (await call('POST', '/api/v1/organizations', { name: 'Org B', code: 'ORGB' })).id;
  let auditeeId = 0;
  for (const role of ROLES.filter((r) => r !== 'admin')) {
    const id = await seedUser(t.db, `${role}@a.example`);
    if (role === 'auditee') auditeeId = id;
    await call('POST', `/api/v1/organizations/${orgA}/members`, { email: `${role}@a.example`, role });
  }
  await seedUser(t.db, 'outsider@b.example');
  await call('POST', `/api/v1/organizations/${orgB}/members`, { email: 'outsider@b.example', role: 'admin' });

  values.orgId = String(orgA);
  itemIds.services = String((await call('POST', `/api/v1/organizations/${orgA}/services`, { name: 'S' })).id);
  itemIds.processes = String(
    (await call('POST', `/api/v1/organizations/${orgA}/processes`, { name: 'P', ownerName: 'Owner' })).id,
  );
  itemIds.parties = itemIds['other-parties'] = String(
    (
      await call('POST', `/api/v1/organizations/${orgA}/other-parties`, {
        name: 'O',
        partyType: 'external_supplier',
        operates: 'process',
      })
    ).id,
  );
  itemIds.members = String(
    (
      await t.db
        .selectFrom('membership')
        .select('id')
        .where('organization_id', '=', orgA)
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow()
    ).id,
  );
  values.memberId = itemIds.members;
  itemIds.invitations = values.invitationId = String(
    (
      await t.db
        .insertInto('invitation')
        .values({
          organization_id: orgA,
          email: 'invited@elsewhere.example',
          role: 'auditor',
          invited_by: null,
          created_at: '2026-11-01T00:00:00.000Z',
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id,
  );
  itemIds.feedback = String(
    (
      await call('POST', `/api/v1/organizations/${orgA}/feedback`, {
        receivedOn: '2026-10-01',
        party: 'customer',
        kind: 'complaint',
        summary: 'Slow',
      })
    ).id,
  );
  values.programmeId = String(
    (
      await call('POST', `/api/v1/organizations/${orgA}/programmes`, {
        title: 'P',
        periodStart: '2026-01-01',
        periodEnd: '2026-12-31',
      })
    ).id,
  );
  const auditId = (
    await call('POST', `/api/v1/organizations/${orgA}/audits`, {
      title: 'A',
      type: 'internal',
      scope: { clauses: ['4.1'] },
    })
  ).id;
  values.auditId = String(auditId);
  values.sessionId = String(
    (
      await call('POST', `/api/v1/audits/${auditId}/plan/sessions`, {
        date: '2026-11-10',
        start: '09:00',
        end: '10:00',
      })
    ).id,
  );
  await call('PUT', `/api/v1/audits/${auditId}/responses/4.1-1`, { verdict: 'minor_nc', notes: 'n', version: 0 });
  // An evidence request to the auditee (issue 18), asked while the audit is open.
  values.requestId = String(
    (
      await call('POST', `/api/v1/audits/${auditId}/evidence-requests`, {
        requirementIds: ['4.1-1'],
        need: 'Context analysis',
        addresseeId: auditeeId,
        dueDate: '2026-11-20',
      })
    )[0].id,
  );
  const nc = await call('POST', `/api/v1/audits/${auditId}/findings`, {
    requirementId: '4.1-1',
    kind: 'nonconformity',
    grade: 'minor',
    statement: { requirement: 'r', evidence: 'e', nonconformity: 'n' },
  });
  // What issue requires (issue 15): lead auditor, objectives, criteria, actual dates, conclusion.
  const leadId = (
    await t.db
      .selectFrom('app_user')
      .select('id')
      .where('email', '=', 'lead_auditor@a.example')
      .executeTakeFirstOrThrow()
  ).id;
  await call('PATCH', `/api/v1/audits/${auditId}`, {
    leadAuditorId: leadId,
    objectives: 'o',
    criteria: 'c',
    conclusion: 'c',
    actualStart: '2026-11-02',
    actualEnd: '2026-11-03',
  });
  for (const action of ['start', 'report', 'issue', 'revise'])
    await call('POST', `/api/v1/audits/${auditId}/transitions`, { action });
  values.findingId = values.nonconformityId = String(nc.id);
  await call('POST', `/api/v1/nonconformities/${nc.id}/transitions`, {
    to: 'reaction_recorded',
    correction: 'c',
    consequences: 'c',
  });
  await call('POST', `/api/v1/nonconformities/${nc.id}/transitions`, {
    to: 'cause_analysed',
    method: 'five_whys',
    cause: 'c',
    similar: 'none',
  });
  await call('POST', `/api/v1/nonconformities/${nc.id}/transitions`, {
    to: 'actions_planned',
    actions: [{ description: 'fix', dueDate: '2030-01-01', ownerUserId: auditeeId }],
  });
  values.actionId = String(
    (await t.db.selectFrom('action_item').select('id').where('organization_id', '=', orgA).executeTakeFirstOrThrow())
      .id,
  );
  values.proposalId = String(
    (
      await t.db
        .insertInto('nc_proposal')
        .values({
          organization_id: orgA,
          finding_id: nc.id,
          step: 'actions',
          round: 1,
          fields_json: '{"actions":[]}',
          status: 'pending',
          proposed_by: auditeeId,
          proposed_at: '2026-11-01T00:00:00.000Z',
          decided_by: null,
          decided_at: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id,
  );
  values.reviewId = String(
    (await call('POST', `/api/v1/organizations/${orgA}/reviews`, { title: 'MR', heldOn: '2026-11-01' })).id,
  );
  values.improvementId = String(
    (await call('POST', `/api/v1/organizations/${orgA}/improvements`, { title: 'I', source: 'suggestion' })).id,
  );
  const form = new FormData();
  form.append('title', 'E');
  form.append('kind', 'record');
  form.append('file', new Blob(['evidence text'], { type: 'text/plain' }), 'e.txt');
  values.evidenceId = String(
    (
      await t.app.inject({
        method: 'POST',
        url: `/api/v1/organizations/${orgA}/evidence`,
        headers: root,
        payload: form,
      })
    ).json().id,
  );
  values.requirementId = '4.1-1';
  values.code = 'iso-iec-20000-1-2018';
  values.clauseId = '8.6.1';
  values.tokenId = String((await t.db.selectFrom('api_token').select('id').executeTakeFirstOrThrow()).id);
  values.userId = String(
    (await t.db.selectFrom('app_user').select('id').where('email', '=', 'viewer@a.example').executeTakeFirstOrThrow())
      .id,
  );
  values.revision = '0';
  // Notifications are the caller's own (user routes): any id serves the 401 and CSRF checks.
  values.notificationId = '1';
  return { values, itemIds, orgA, orgB, call };
}
