import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import { nowIso } from './time.js';

export interface TrailEntry {
  orgId: number | null;
  userId: number | null;
  action: 'create' | 'update' | 'delete';
  entity: string;
  entityId: number | string;
  before?: unknown;
  after?: unknown;
}

/** Called with every recorded change, inside its transaction (notifications follow the record they announce). */
export type TrailListener = (db: Kysely<Database>, e: TrailEntry) => Promise<void>;
const listeners = new Set<TrailListener>();

/** Every change worth announcing is already recorded here: listening once beats a call beside every write. */
export function onTrail(listener: TrailListener): void {
  listeners.add(listener);
}

/** Appends to the audit trail inside the caller's transaction, so the change and its record commit together. */
export async function recordTrail(db: Kysely<Database>, e: TrailEntry): Promise<void> {
  await db
    .insertInto('audit_trail')
    .values({
      organization_id: e.orgId,
      user_id: e.userId,
      action: e.action,
      entity: e.entity,
      entity_id: String(e.entityId),
      before_json: e.before === undefined ? null : JSON.stringify(e.before),
      after_json: e.after === undefined ? null : JSON.stringify(e.after),
      at: nowIso(),
    })
    .execute();
  for (const listener of listeners) await listener(db, e);
}
