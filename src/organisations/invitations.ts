import type { Db } from '../db/connect.js';
import { serialiseForOrganisation } from '../db/locks.js';
import { nowIso } from '../db/time.js';
import { recordTrail } from '../db/trail.js';
import type { Role } from '../domain/permissions.js';

/** The invitations waiting for an organisation's answer from the invitee, newest first. */
export async function orgInvitations(db: Db, orgId: number) {
  return db
    .selectFrom('invitation')
    .select(['id', 'email', 'role', 'created_at'])
    .where('organization_id', '=', orgId)
    .orderBy('id', 'desc')
    .execute();
}

/** The invitations waiting for this person (by their account's e-mail), with the organisation's name. */
export async function invitationsFor(db: Db, email: string) {
  return db
    .selectFrom('invitation')
    .innerJoin('organization', 'organization.id', 'invitation.organization_id')
    .select([
      'invitation.id',
      'invitation.role',
      'invitation.created_at',
      'organization.id as orgId',
      'organization.name as orgName',
      'organization.code as orgCode',
    ])
    .where('invitation.email', '=', email)
    .orderBy('invitation.id')
    .execute();
}

/** Withdraws an organisation's invitation; false when it has none with this id. */
export async function withdrawInvitation(db: Db, orgId: number, invitationId: number, actorId: number) {
  return db.transaction().execute(async (trx) => {
    const inv = await trx
      .selectFrom('invitation')
      .selectAll()
      .where('organization_id', '=', orgId)
      .where('id', '=', invitationId)
      .executeTakeFirst();
    if (!inv) return false;
    await trx.deleteFrom('invitation').where('id', '=', inv.id).execute();
    await recordTrail(trx, {
      orgId,
      userId: actorId,
      action: 'delete',
      entity: 'invitation',
      entityId: inv.id,
      before: { email: inv.email, role: inv.role },
    });
    return true;
  });
}

/**
 * The invitee's answer. Accepting makes them a member with the invited role (or leaves an existing membership as it
 * is); declining only removes the invitation. Another person's invitation is "not found".
 */
export async function answerInvitation(
  db: Db,
  user: { id: number; email: string },
  invitationId: number,
  accept: boolean,
): Promise<{ orgId: number } | undefined> {
  const inv = await db
    .selectFrom('invitation')
    .select('organization_id')
    .where('id', '=', invitationId)
    .where('email', '=', user.email)
    .executeTakeFirst();
  if (!inv) return undefined;
  return db.transaction().execute(async (trx) => {
    await serialiseForOrganisation(trx, inv.organization_id);
    const row = await trx
      .selectFrom('invitation')
      .selectAll()
      .where('id', '=', invitationId)
      .where('email', '=', user.email)
      .executeTakeFirst();
    if (!row) return undefined;
    await trx.deleteFrom('invitation').where('id', '=', row.id).execute();
    const member = await trx
      .selectFrom('membership')
      .select('id')
      .where('organization_id', '=', row.organization_id)
      .where('user_id', '=', user.id)
      .executeTakeFirst();
    if (accept && !member) {
      await trx
        .insertInto('membership')
        .values({ organization_id: row.organization_id, user_id: user.id, role: row.role, created_at: nowIso() })
        .execute();
      await recordTrail(trx, {
        orgId: row.organization_id,
        userId: user.id,
        action: 'create',
        entity: 'membership',
        entityId: `${row.organization_id}:${user.id}`,
        after: { role: row.role },
      });
    }
    await recordTrail(trx, {
      orgId: row.organization_id,
      userId: user.id,
      action: 'delete',
      entity: 'invitation',
      entityId: row.id,
      before: { email: row.email, role: row.role },
    });
    return { orgId: row.organization_id };
  });
}

/** Records (or re-words) the invitation of an address that is not a member yet; the caller holds the turn. */
export async function upsertInvitation(trx: Db, orgId: number, email: string, role: Role, actorId: number) {
  const existing = await trx
    .selectFrom('invitation')
    .selectAll()
    .where('organization_id', '=', orgId)
    .where('email', '=', email)
    .executeTakeFirst();
  if (existing) {
    if (existing.role !== role)
      await trx.updateTable('invitation').set({ role }).where('id', '=', existing.id).execute();
  } else {
    await trx
      .insertInto('invitation')
      .values({ organization_id: orgId, email, role, invited_by: actorId, created_at: nowIso() })
      .execute();
  }
  const id =
    existing?.id ??
    (
      await trx
        .selectFrom('invitation')
        .select('id')
        .where('organization_id', '=', orgId)
        .where('email', '=', email)
        .executeTakeFirstOrThrow()
    ).id;
  await recordTrail(trx, {
    orgId,
    userId: actorId,
    action: existing ? 'update' : 'create',
    entity: 'invitation',
    entityId: id,
    before: existing ? { role: existing.role } : undefined,
    after: { email, role },
  });
  return id;
}
