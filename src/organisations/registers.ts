import type { z } from 'zod';
import type { Db } from '../db/connect.js';
import { nowIso } from '../db/time.js';
import { OtherPartyInput, ProcessInput, ServiceInput } from './schemas.js';

/** A register the organisation keeps for its audits: services (6.3 a), processes (with owners), other parties (8.2.3). */
export interface RegisterDef<S extends z.ZodType> {
  key: 'services' | 'processes' | 'parties';
  entity: string;
  schema: S;
  list(db: Db, orgId: number): Promise<object[]>;
  insert(db: Db, orgId: number, data: z.output<S>): Promise<{ id: number } | { errorKey: string; field: string }>;
  remove(db: Db, orgId: number, id: number): Promise<object | undefined>;
}

const services: RegisterDef<typeof ServiceInput> = {
  key: 'services',
  entity: 'service',
  schema: ServiceInput,
  list: (db, orgId) =>
    db
      .selectFrom('service')
      .select(['id', 'name', 'description', 'in_scope'])
      .where('organization_id', '=', orgId)
      .orderBy('name')
      .orderBy('id')
      .execute(),
  insert: async (db, orgId, d) =>
    db
      .insertInto('service')
      .values({
        organization_id: orgId,
        name: d.name,
        description: d.description,
        in_scope: d.inScope ? 1 : 0,
        created_at: nowIso(),
      })
      .returning('id')
      .executeTakeFirstOrThrow(),
  remove: (db, orgId, id) =>
    db
      .deleteFrom('service')
      .where('organization_id', '=', orgId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst(),
};

const processes: RegisterDef<typeof ProcessInput> = {
  key: 'processes',
  entity: 'process',
  schema: ProcessInput,
  list: (db, orgId) =>
    db
      .selectFrom('process')
      .leftJoin('app_user', 'app_user.id', 'process.owner_user_id')
      .select([
        'process.id',
        'process.name',
        'process.clause_id',
        'process.owner_user_id',
        'process.importance',
        (eb) => eb.fn.coalesce('app_user.display_name', 'process.owner_name').as('owner'),
      ])
      .where('process.organization_id', '=', orgId)
      .orderBy('process.name')
      .orderBy('process.id')
      .execute(),
  insert: async (db, orgId, d) => {
    if (d.ownerUserId !== null) {
      const member = await db
        .selectFrom('membership')
        .select('id')
        .where('organization_id', '=', orgId)
        .where('user_id', '=', d.ownerUserId)
        .executeTakeFirst();
      if (!member) return { errorKey: 'errors.ownerNotMember', field: 'ownerUserId' };
    } else if (!d.ownerName) {
      return { errorKey: 'errors.ownerRequired', field: 'ownerName' };
    }
    return db
      .insertInto('process')
      .values({
        organization_id: orgId,
        name: d.name,
        clause_id: d.clauseId,
        owner_user_id: d.ownerUserId,
        owner_name: d.ownerName,
        importance: d.importance,
        created_at: nowIso(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
  },
  remove: (db, orgId, id) =>
    db
      .deleteFrom('process')
      .where('organization_id', '=', orgId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst(),
};

const parties: RegisterDef<typeof OtherPartyInput> = {
  key: 'parties',
  entity: 'other_party',
  schema: OtherPartyInput,
  list: (db, orgId) =>
    db
      .selectFrom('other_party')
      .select(['id', 'name', 'party_type', 'operates', 'description'])
      .where('organization_id', '=', orgId)
      .orderBy('name')
      .orderBy('id')
      .execute(),
  insert: (db, orgId, d) =>
    db
      .insertInto('other_party')
      .values({
        organization_id: orgId,
        name: d.name,
        party_type: d.partyType,
        operates: d.operates,
        description: d.description,
        created_at: nowIso(),
      })
      .returning('id')
      .executeTakeFirstOrThrow(),
  remove: (db, orgId, id) =>
    db
      .deleteFrom('other_party')
      .where('organization_id', '=', orgId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst(),
};

export const REGISTERS = [services, processes, parties] as const;
