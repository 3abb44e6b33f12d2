import type { z } from 'zod';
import { compareClauseIds } from '../domain/clause-order.js';
import type { Db } from '../db/connect.js';
import { nowIso } from '../db/time.js';
import { OtherPartyInput, OtherPartyPatch, ProcessInput, ProcessPatch, ServiceInput, ServicePatch } from './schemas.js';

/** A record that refers to a register entry: while one exists, the entry is not deleted. */
export interface Dependant {
  kind: 'audit' | 'finding' | 'feedback';
  id: number;
  label: string;
}

export type RegisterError = { errorKey: string; field: string };

/** A register the organisation keeps for its audits: services (6.3 a), processes (with owners), other parties (8.2.3). */
export interface RegisterDef<S extends z.ZodType, P extends z.ZodType> {
  key: 'services' | 'processes' | 'parties';
  entity: 'service' | 'process' | 'other_party';
  schema: S;
  patchSchema: P;
  /** What an HTML form sends for a field it leaves out (an unticked checkbox sends nothing). */
  formDefaults: Record<string, string>;
  list(db: Db, orgId: number): Promise<object[]>;
  /** One row as the API shows it: the field names of the API's input. */
  toApi(row: object): object;
  insert(db: Db, orgId: number, data: z.output<S>): Promise<{ id: number } | RegisterError>;
  /** Changes only the fields present; undefined when the row is not the organisation's. */
  update(
    db: Db,
    orgId: number,
    id: number,
    patch: z.output<P>,
  ): Promise<{ before: object; after: object } | RegisterError | undefined>;
  dependants(db: Db, orgId: number, id: number): Promise<Dependant[]>;
  remove(db: Db, orgId: number, id: number): Promise<object | undefined>;
}

/** Only the keys whose value is defined: a PATCH changes what was sent and nothing else. */
function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

async function findingsReferring(
  db: Db,
  orgId: number,
  column: 'service_id' | 'process_id' | 'other_party_id',
  id: number,
) {
  const rows = await db
    .selectFrom('finding')
    .select(['id', 'ref'])
    .where('organization_id', '=', orgId)
    .where(column, '=', id)
    .orderBy('seq')
    .execute();
  return rows.map((r): Dependant => ({ kind: 'finding', id: r.id, label: r.ref }));
}

/** Audits whose scope names the row (scope lists are JSON arrays of ids), or that assign an auditor to the process. */
async function auditsReferring(db: Db, orgId: number, column: 'scope_services' | 'scope_processes', id: number) {
  const audits = await db
    .selectFrom('audit')
    .select(['id', 'title', `${column} as ids`])
    .where('organization_id', '=', orgId)
    .orderBy('id')
    .execute();
  let assigned = new Set<number>();
  if (column === 'scope_processes') {
    const rows = await db
      .selectFrom('audit_assignment')
      .innerJoin('audit', 'audit.id', 'audit_assignment.audit_id')
      .select('audit_assignment.audit_id')
      .where('audit.organization_id', '=', orgId)
      .where('audit_assignment.process_id', '=', id)
      .execute();
    assigned = new Set(rows.map((r) => r.audit_id));
  }
  return audits
    .filter((a) => (JSON.parse(a.ids) as number[]).includes(id) || assigned.has(a.id))
    .map((a): Dependant => ({ kind: 'audit', id: a.id, label: a.title }));
}

const services: RegisterDef<typeof ServiceInput, typeof ServicePatch> = {
  key: 'services',
  entity: 'service',
  schema: ServiceInput,
  patchSchema: ServicePatch,
  formDefaults: { inScope: 'false' },
  list: (db, orgId) =>
    db
      .selectFrom('service')
      .select(['id', 'name', 'description', 'in_scope'])
      .where('organization_id', '=', orgId)
      .orderBy('name')
      .orderBy('id')
      .execute(),
  toApi: (row) => {
    const r = row as { id: number; name: string; description: string; in_scope: number };
    return { id: r.id, name: r.name, description: r.description, inScope: Boolean(r.in_scope) };
  },
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
  update: async (db, orgId, id, p) => {
    const before = await db
      .selectFrom('service')
      .select(['name', 'description', 'in_scope'])
      .where('organization_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!before) return undefined;
    const set = defined({
      name: p.name,
      description: p.description,
      in_scope: p.inScope === undefined ? undefined : p.inScope ? 1 : 0,
    });
    if (Object.keys(set).length)
      await db.updateTable('service').set(set).where('organization_id', '=', orgId).where('id', '=', id).execute();
    return { before, after: set };
  },
  dependants: async (db, orgId, id) => {
    const [audits, findings, feedback] = await Promise.all([
      auditsReferring(db, orgId, 'scope_services', id),
      findingsReferring(db, orgId, 'service_id', id),
      db
        .selectFrom('feedback')
        .select(['id', 'received_on', 'summary'])
        .where('organization_id', '=', orgId)
        .where('service_id', '=', id)
        .orderBy('received_on')
        .orderBy('id')
        .execute(),
    ]);
    return [
      ...audits,
      ...findings,
      ...feedback.map((f): Dependant => ({ kind: 'feedback', id: f.id, label: `${f.received_on} ${f.summary}` })),
    ];
  },
  remove: (db, orgId, id) =>
    db
      .deleteFrom('service')
      .where('organization_id', '=', orgId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst(),
};

/** A process has an owner: a member of the organisation, or a named person who is not one. */
async function ownerError(db: Db, orgId: number, ownerUserId: number | null, ownerName: string) {
  if (ownerUserId !== null) {
    const member = await db
      .selectFrom('membership')
      .select('id')
      .where('organization_id', '=', orgId)
      .where('user_id', '=', ownerUserId)
      .executeTakeFirst();
    if (!member) return { errorKey: 'errors.ownerNotMember', field: 'ownerUserId' };
  } else if (!ownerName) {
    return { errorKey: 'errors.ownerRequired', field: 'ownerName' };
  }
  return undefined;
}

const processes: RegisterDef<typeof ProcessInput, typeof ProcessPatch> = {
  key: 'processes',
  entity: 'process',
  schema: ProcessInput,
  patchSchema: ProcessPatch,
  formDefaults: {},
  list: (db, orgId) =>
    db
      .selectFrom('process')
      .leftJoin('app_user', 'app_user.id', 'process.owner_user_id')
      .select([
        'process.id',
        'process.name',
        'process.description',
        'process.clause_id',
        'process.owner_user_id',
        'process.owner_name',
        'process.importance',
        (eb) => eb.fn.coalesce('app_user.display_name', 'process.owner_name').as('owner'),
      ])
      .where('process.organization_id', '=', orgId)
      .orderBy('process.id')
      .execute()
      // By the clause the process implements (8.2.6 before 8.10), then by name in the reader's collation.
      .then((rows) =>
        rows.sort((a, b) => compareClauseIds(a.clause_id, b.clause_id) || a.name.localeCompare(b.name, 'zh-Hans-CN')),
      ),
  toApi: (row) => {
    const r = row as {
      id: number;
      name: string;
      description: string;
      clause_id: string | null;
      owner_user_id: number | null;
      owner_name: string;
      owner: string | null;
      importance: string;
    };
    return {
      id: r.id,
      name: r.name,
      description: r.description,
      clauseId: r.clause_id,
      ownerUserId: r.owner_user_id,
      ownerName: r.owner_name,
      owner: r.owner,
      importance: r.importance,
    };
  },
  insert: async (db, orgId, d) => {
    const bad = await ownerError(db, orgId, d.ownerUserId, d.ownerName);
    if (bad) return bad;
    return db
      .insertInto('process')
      .values({
        organization_id: orgId,
        name: d.name,
        description: d.description,
        clause_id: d.clauseId,
        owner_user_id: d.ownerUserId,
        owner_name: d.ownerName,
        importance: d.importance,
        created_at: nowIso(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
  },
  update: async (db, orgId, id, p) => {
    const before = await db
      .selectFrom('process')
      .select(['name', 'description', 'clause_id', 'owner_user_id', 'owner_name', 'importance'])
      .where('organization_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!before) return undefined;
    const set = defined({
      name: p.name,
      description: p.description,
      clause_id: p.clauseId,
      owner_user_id: p.ownerUserId,
      owner_name: p.ownerName,
      importance: p.importance,
    });
    if ('owner_user_id' in set || 'owner_name' in set) {
      const bad = await ownerError(
        db,
        orgId,
        set.owner_user_id === undefined ? before.owner_user_id : set.owner_user_id,
        set.owner_name ?? before.owner_name,
      );
      if (bad) return bad;
    }
    if (Object.keys(set).length)
      await db.updateTable('process').set(set).where('organization_id', '=', orgId).where('id', '=', id).execute();
    return { before, after: set };
  },
  dependants: async (db, orgId, id) => {
    const [audits, findings] = await Promise.all([
      auditsReferring(db, orgId, 'scope_processes', id),
      findingsReferring(db, orgId, 'process_id', id),
    ]);
    return [...audits, ...findings];
  },
  remove: (db, orgId, id) =>
    db
      .deleteFrom('process')
      .where('organization_id', '=', orgId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst(),
};

const parties: RegisterDef<typeof OtherPartyInput, typeof OtherPartyPatch> = {
  key: 'parties',
  entity: 'other_party',
  schema: OtherPartyInput,
  patchSchema: OtherPartyPatch,
  formDefaults: {},
  list: (db, orgId) =>
    db
      .selectFrom('other_party')
      .select(['id', 'name', 'party_type', 'operates', 'description'])
      .where('organization_id', '=', orgId)
      .orderBy('name')
      .orderBy('id')
      .execute(),
  toApi: (row) => {
    const r = row as { id: number; name: string; party_type: string; operates: string; description: string };
    return { id: r.id, name: r.name, partyType: r.party_type, operates: r.operates, description: r.description };
  },
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
  update: async (db, orgId, id, p) => {
    const before = await db
      .selectFrom('other_party')
      .select(['name', 'party_type', 'operates', 'description'])
      .where('organization_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!before) return undefined;
    const set = defined({ name: p.name, party_type: p.partyType, operates: p.operates, description: p.description });
    if (Object.keys(set).length)
      await db.updateTable('other_party').set(set).where('organization_id', '=', orgId).where('id', '=', id).execute();
    return { before, after: set };
  },
  dependants: (db, orgId, id) => findingsReferring(db, orgId, 'other_party_id', id),
  remove: (db, orgId, id) =>
    db
      .deleteFrom('other_party')
      .where('organization_id', '=', orgId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst(),
};

export const REGISTERS = [services, processes, parties] as const;
