import type { Db } from '../db/connect.js';

// A trail entry names its record by what people call it (an audit's title, a finding's reference, a process's name),
// never by the database id (issue 23: no "审核 1" in prose). Composite ids ("12:8.6.1-1", "3:7") start with the id
// of the record they belong to. A record deleted since keeps the name its own trail image gave it, if any.

interface Label {
  id: number;
  label: string;
}
type Lookup = (db: Db, orgId: number, ids: number[]) => Promise<Label[]>;

const auditTitles: Lookup = (db, orgId, ids) =>
  db
    .selectFrom('audit')
    .select(['id', 'title as label'])
    .where('organization_id', '=', orgId)
    .where('id', 'in', ids)
    .execute();

/** By entity: how to read the names of the records its ids (or their first part) point at. */
const LOOKUPS: Record<string, Lookup> = {
  audit: auditTitles,
  audit_response: auditTitles,
  audit_assignment: auditTitles,
  audit_team: auditTitles,
  audit_plan: auditTitles,
  audit_plan_session: auditTitles,
  audit_programme: (db, orgId, ids) =>
    db
      .selectFrom('audit_programme')
      .select(['id', 'title as label'])
      .where('organization_id', '=', orgId)
      .where('id', 'in', ids)
      .execute(),
  evidence: (db, orgId, ids) =>
    db
      .selectFrom('evidence')
      .select(['id', 'title as label'])
      .where('organization_id', '=', orgId)
      .where('id', 'in', ids)
      .execute(),
  finding: (db, orgId, ids) =>
    db
      .selectFrom('finding')
      .select(['id', 'ref as label'])
      .where('organization_id', '=', orgId)
      .where('id', 'in', ids)
      .execute(),
  nc_proposal: (db, orgId, ids) =>
    db
      .selectFrom('nc_proposal as p')
      .innerJoin('finding as f', 'f.id', 'p.finding_id')
      .select(['p.id as id', 'f.ref as label'])
      .where('f.organization_id', '=', orgId)
      .where('p.id', 'in', ids)
      .execute(),
  action: (db, orgId, ids) =>
    db
      .selectFrom('action_item')
      .select(['id', 'ref as label'])
      .where('organization_id', '=', orgId)
      .where('id', 'in', ids)
      .execute(),
  improvement: (db, orgId, ids) =>
    db
      .selectFrom('improvement')
      .select(['id', 'title as label'])
      .where('organization_id', '=', orgId)
      .where('id', 'in', ids)
      .execute(),
  management_review: (db, orgId, ids) =>
    db
      .selectFrom('management_review')
      .select(['id', 'title as label'])
      .where('organization_id', '=', orgId)
      .where('id', 'in', ids)
      .execute(),
  feedback: (db, orgId, ids) =>
    db
      .selectFrom('feedback')
      .select(['id', 'party_name as label'])
      .where('organization_id', '=', orgId)
      .where('id', 'in', ids)
      .execute(),
  process: (db, orgId, ids) =>
    db
      .selectFrom('process')
      .select(['id', 'name as label'])
      .where('organization_id', '=', orgId)
      .where('id', 'in', ids)
      .execute(),
  service: (db, orgId, ids) =>
    db
      .selectFrom('service')
      .select(['id', 'name as label'])
      .where('organization_id', '=', orgId)
      .where('id', 'in', ids)
      .execute(),
  other_party: (db, orgId, ids) =>
    db
      .selectFrom('other_party')
      .select(['id', 'name as label'])
      .where('organization_id', '=', orgId)
      .where('id', 'in', ids)
      .execute(),
  organization: (db, orgId) =>
    db.selectFrom('organization').select(['id', 'name as label']).where('id', '=', orgId).execute(),
  organization_setting: (db, orgId) =>
    db.selectFrom('organization').select(['id', 'name as label']).where('id', '=', orgId).execute(),
  // A membership's id is "<org>:<user>": the person is what the reader wants, so the lookup takes the second part.
  membership: (db, orgId, ids) =>
    db
      .selectFrom('membership as m')
      .innerJoin('app_user as u', 'u.id', 'm.user_id')
      .select(['u.id as id', 'u.display_name as label'])
      .where('m.organization_id', '=', orgId)
      .where('u.id', 'in', ids)
      .execute(),
  user: (db, orgId, ids) =>
    db
      .selectFrom('membership as m')
      .innerJoin('app_user as u', 'u.id', 'm.user_id')
      .select(['u.id as id', 'u.display_name as label'])
      .where('m.organization_id', '=', orgId)
      .where('u.id', 'in', ids)
      .execute(),
};

/** The number a composite id points at: the user for memberships, the owning record for the others. */
function keyOf(entity: string, entityId: string): number | null {
  const parts = entityId.split(':');
  const n = Number(entity === 'membership' ? parts[1] : parts[0]);
  return Number.isInteger(n) && n > 0 ? n : null;
}

/** What a requirement-level part adds to its audit's title (the item id of an answer), so two answers differ. */
function partOf(entity: string, entityId: string): string {
  if (entity !== 'audit_response') return '';
  const item = entityId.split(':')[1];
  return item && item !== 'bulk' ? item : '';
}

/** The name a record's own trail image gives it (used when the record was deleted since). */
function imageName(json: string | null): string {
  if (!json) return '';
  try {
    const o = JSON.parse(json) as Record<string, unknown>;
    for (const k of ['title', 'name', 'ref', 'displayName', 'partyName'])
      if (typeof o[k] === 'string' && o[k]) return o[k] as string;
  } catch {
    /* not an object */
  }
  return '';
}

export interface NamedEntry {
  entity: string;
  entity_id: string;
  before_json: string | null;
  after_json: string | null;
}

/** Adds `record`, the readable name of each entry's record ('' when none is known), to trail rows of one organisation. */
export async function withRecordNames<T extends NamedEntry>(
  db: Db,
  orgId: number,
  rows: T[],
): Promise<(T & { record: string })[]> {
  const wanted = new Map<string, Set<number>>();
  for (const r of rows) {
    const k = keyOf(r.entity, r.entity_id);
    if (k === null || !LOOKUPS[r.entity]) continue;
    const set = wanted.get(r.entity) ?? new Set<number>();
    set.add(k);
    wanted.set(r.entity, set);
  }
  const names = new Map<string, string>();
  await Promise.all(
    [...wanted].map(async ([entity, ids]) => {
      const all = [...ids];
      for (
        let i = 0;
        i < all.length;
        i += 500 // well under both databases' limit on bound parameters
      )
        for (const l of await LOOKUPS[entity]!(db, orgId, all.slice(i, i + 500)))
          names.set(`${entity}:${l.id}`, l.label);
    }),
  );
  return rows.map((r) => {
    const k = keyOf(r.entity, r.entity_id);
    const base = (k !== null && names.get(`${r.entity}:${k}`)) || imageName(r.after_json) || imageName(r.before_json);
    const part = partOf(r.entity, r.entity_id);
    return { ...r, record: [base, part].filter(Boolean).join(' · ') };
  });
}
