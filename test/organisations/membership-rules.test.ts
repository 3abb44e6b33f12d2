import type { LightMyRequestResponse } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/users/queries.js';
import { quickWorld, type QuickWorld, setUpOnce } from '../support/quick-world.js';

// The membership commands (src/organisations/queries.ts: setMembership, setMemberRole, removeMembership) through the
// members API, one rule at a time: what the administrator is told, what the member list then says, and the trail
// entry each change leaves. The organisation always keeps an administrator; an address not yet a member is invited
// when an organisation's administrator adds it, added at once when the instance administrator does.

const LAST_ADMIN = 'The organisation must keep at least one administrator.';
const UNKNOWN = 'No user has this e-mail address.';

describe('membership changes', () => {
  let w: QuickWorld;
  let orgC: number; // root is its only administrator
  const message = (r: LightMyRequestResponse) => (r.json() as { message: string }).message;
  /** The members of an organisation as e-mail → role, read from the database. */
  const roles = async (org: number) =>
    Object.fromEntries(
      (
        await w.t.db
          .selectFrom('membership')
          .innerJoin('app_user', 'app_user.id', 'membership.user_id')
          .select(['app_user.email', 'membership.role'])
          .where('membership.organization_id', '=', org)
          .execute()
      ).map((r) => [r.email, r.role]),
    );
  const membershipId = async (org: number, email: string) =>
    (
      await w.t.db
        .selectFrom('membership')
        .innerJoin('app_user', 'app_user.id', 'membership.user_id')
        .select('membership.id')
        .where('membership.organization_id', '=', org)
        .where('app_user.email', '=', email)
        .executeTakeFirstOrThrow()
    ).id;
  /** The membership entries of the trail of an organisation since a given entry id. */
  const trailSince = async (org: number, after: number) =>
    (
      await w.t.db
        .selectFrom('audit_trail')
        .select(['action', 'entity_id', 'before_json', 'after_json'])
        .where('organization_id', '=', org)
        .where('entity', '=', 'membership')
        .where('id', '>', after)
        .orderBy('id')
        .execute()
    ).map((r) => ({
      action: r.action,
      entityId: r.entity_id,
      before: r.before_json && JSON.parse(r.before_json),
      after: r.after_json && JSON.parse(r.after_json),
    }));
  const lastTrailId = async () =>
    (await w.t.db.selectFrom('audit_trail').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow()).id;

  setUpOnce(async () => {
    w = await quickWorld();
    const c = await w.api('root', 'POST', '/api/v1/organizations', { name: 'Gamma Cloud', code: 'GAMMA' });
    expect(c.statusCode).toBe(201);
    orgC = c.json().id;
    for (const email of ['carol@c.example', 'dave@c.example', 'erin@c.example'])
      await createUser(w.t.db, {
        email,
        displayName: email.split('@')[0]!,
        password: null,
        isAdmin: false,
        mustChangePassword: false,
      });
  });
  afterAll(async () => {
    await w?.t.close();
  });

  it('adds an existing account at once when the instance administrator adds it (201), with a trail entry', async () => {
    const since = await lastTrailId();
    const r = await w.api('root', 'POST', `/api/v1/organizations/${orgC}/members`, {
      email: 'carol@c.example',
      role: 'auditor',
    });
    expect(r.statusCode).toBe(201);
    expect(await roles(orgC)).toEqual({ 'root@example.com': 'admin', 'carol@c.example': 'auditor' });
    const carol = (
      await w.t.db.selectFrom('app_user').select('id').where('email', '=', 'carol@c.example').executeTakeFirstOrThrow()
    ).id;
    expect(await trailSince(orgC, since)).toEqual([
      { action: 'create', entityId: `${orgC}:${carol}`, before: null, after: { role: 'auditor' } },
    ]);
  });

  it('refuses an address with no account when the instance administrator adds it (422), and invites no one', async () => {
    const r = await w.api('root', 'POST', `/api/v1/organizations/${orgC}/members`, {
      email: 'nobody@c.example',
      role: 'viewer',
    });
    expect([r.statusCode, message(r)]).toEqual([422, UNKNOWN]);
    expect(await w.t.db.selectFrom('invitation').select('email').where('organization_id', '=', orgC).execute()).toEqual(
      [],
    );
  });

  it("invites an address when an organisation's administrator adds it (202), and adds no member yet", async () => {
    const r = await w.api('bert', 'POST', `/api/v1/organizations/${w.orgB}/members`, {
      email: 'dave@c.example',
      role: 'auditee',
    });
    expect([r.statusCode, r.json()]).toEqual([202, { email: 'dave@c.example', role: 'auditee', status: 'invited' }]);
    expect(await roles(w.orgB)).toEqual({ 'root@example.com': 'admin', 'bert@b.example': 'admin' });
    const inv = await w.t.db
      .selectFrom('invitation')
      .select(['email', 'role'])
      .where('organization_id', '=', w.orgB)
      .execute();
    expect(inv).toEqual([{ email: 'dave@c.example', role: 'auditee' }]);
  });

  it('adding an invited address directly makes it a member and clears its invitation', async () => {
    const r = await w.api('root', 'POST', `/api/v1/organizations/${w.orgB}/members`, {
      email: 'dave@c.example',
      role: 'viewer',
    });
    expect(r.statusCode).toBe(201);
    expect((await roles(w.orgB))['dave@c.example']).toBe('viewer');
    expect(
      await w.t.db.selectFrom('invitation').select('email').where('organization_id', '=', w.orgB).execute(),
    ).toEqual([]);
  });

  it("changes an existing member's role when added again (201), and writes no entry when the role is the same", async () => {
    const carol = await membershipId(orgC, 'carol@c.example');
    const since = await lastTrailId();
    const same = await w.api('root', 'POST', `/api/v1/organizations/${orgC}/members`, {
      email: 'carol@c.example',
      role: 'auditor',
    });
    expect(same.statusCode).toBe(201);
    expect(await trailSince(orgC, since)).toEqual([]);
    const r = await w.api('root', 'POST', `/api/v1/organizations/${orgC}/members`, {
      email: 'carol@c.example',
      role: 'lead_auditor',
    });
    expect(r.statusCode).toBe(201);
    expect((await roles(orgC))['carol@c.example']).toBe('lead_auditor');
    expect(await membershipId(orgC, 'carol@c.example')).toBe(carol);
    const userId = (
      await w.t.db.selectFrom('membership').select('user_id').where('id', '=', carol).executeTakeFirstOrThrow()
    ).user_id;
    expect(await trailSince(orgC, since)).toEqual([
      { action: 'update', entityId: `${orgC}:${userId}`, before: { role: 'auditor' }, after: { role: 'lead_auditor' } },
    ]);
  });

  it('refuses to demote the last administrator by adding them again with another role (409)', async () => {
    const r = await w.api('root', 'POST', `/api/v1/organizations/${orgC}/members`, {
      email: 'root@example.com',
      role: 'viewer',
    });
    expect([r.statusCode, message(r)]).toEqual([409, LAST_ADMIN]);
    expect((await roles(orgC))['root@example.com']).toBe('admin');
  });

  it('refuses to demote (PATCH) or remove (DELETE) the last administrator (409), and both stay as they were', async () => {
    const root = await membershipId(orgC, 'root@example.com');
    const since = await lastTrailId();
    const patch = await w.api('root', 'PATCH', `/api/v1/organizations/${orgC}/members/${root}`, { role: 'auditor' });
    expect([patch.statusCode, message(patch)]).toEqual([409, LAST_ADMIN]);
    expect(patch.json().member).toMatchObject({ id: root, role: 'admin' });
    const del = await w.api('root', 'DELETE', `/api/v1/organizations/${orgC}/members/${root}`);
    expect([del.statusCode, message(del)]).toEqual([409, LAST_ADMIN]);
    expect(await roles(orgC)).toEqual({ 'root@example.com': 'admin', 'carol@c.example': 'lead_auditor' });
    expect(await trailSince(orgC, since)).toEqual([]);
  });

  it("counts only this organisation's administrators (B's two do not keep C's last one)", async () => {
    expect(Object.values(await roles(w.orgB)).filter((r) => r === 'admin').length).toBe(2);
    const root = await membershipId(orgC, 'root@example.com');
    const r = await w.api('root', 'DELETE', `/api/v1/organizations/${orgC}/members/${root}`);
    expect(r.statusCode).toBe(409);
  });

  it('demotes and removes an administrator while another remains, with trail entries', async () => {
    const erin = await w.api('root', 'POST', `/api/v1/organizations/${orgC}/members`, {
      email: 'erin@c.example',
      role: 'admin',
    });
    expect(erin.statusCode).toBe(201);
    const erinId = await membershipId(orgC, 'erin@c.example');
    const erinUser = (
      await w.t.db.selectFrom('membership').select('user_id').where('id', '=', erinId).executeTakeFirstOrThrow()
    ).user_id;
    const since = await lastTrailId();
    const patch = await w.api('root', 'PATCH', `/api/v1/organizations/${orgC}/members/${erinId}`, { role: 'auditor' });
    expect([patch.statusCode, patch.json().role]).toEqual([200, 'auditor']);
    const promote = await w.api('root', 'PATCH', `/api/v1/organizations/${orgC}/members/${erinId}`, { role: 'admin' });
    expect([promote.statusCode, promote.json().role]).toEqual([200, 'admin']);
    const del = await w.api('root', 'DELETE', `/api/v1/organizations/${orgC}/members/${erinId}`);
    expect(del.statusCode).toBe(204);
    expect(await roles(orgC)).toEqual({ 'root@example.com': 'admin', 'carol@c.example': 'lead_auditor' });
    expect(await trailSince(orgC, since)).toEqual([
      { action: 'update', entityId: `${orgC}:${erinUser}`, before: { role: 'admin' }, after: { role: 'auditor' } },
      { action: 'update', entityId: `${orgC}:${erinUser}`, before: { role: 'auditor' }, after: { role: 'admin' } },
      { action: 'delete', entityId: `${orgC}:${erinUser}`, before: { role: 'admin' }, after: null },
    ]);
  });

  it('removes a member who is not an administrator (204), even when one administrator is left', async () => {
    const carol = await membershipId(orgC, 'carol@c.example');
    const r = await w.api('root', 'DELETE', `/api/v1/organizations/${orgC}/members/${carol}`);
    expect(r.statusCode).toBe(204);
    expect(await roles(orgC)).toEqual({ 'root@example.com': 'admin' });
  });

  it("answers 404 to another organisation's membership id or one that does not exist, and changes neither", async () => {
    const bert = await membershipId(w.orgB, 'bert@b.example');
    const patch = await w.api('root', 'PATCH', `/api/v1/organizations/${orgC}/members/${bert}`, { role: 'viewer' });
    expect(patch.statusCode).toBe(404);
    const del = await w.api('root', 'DELETE', `/api/v1/organizations/${orgC}/members/${bert}`);
    expect(del.statusCode).toBe(404);
    expect((await w.api('root', 'DELETE', `/api/v1/organizations/${orgC}/members/99999`)).statusCode).toBe(404);
    expect((await roles(w.orgB))['bert@b.example']).toBe('admin');
  });
});
