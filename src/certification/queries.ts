import type { Db } from '../db/connect.js';
import { nowIso } from '../db/time.js';
import { recordTrail } from '../db/trail.js';
import { certificationReadiness } from '../domain/certification.js';
import { dateIn } from '../domain/time-zone.js';

/** Certification readiness of one organisation: the facts read here, the rule in src/domain/certification.ts. */
export async function readinessOf(db: Db, orgId: number, now = nowIso()) {
  const [o, audits, reviews] = await Promise.all([
    db
      .selectFrom('organization')
      .select(['sms_started_on', 'time_zone'])
      .where('id', '=', orgId)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('audit')
      .select(['id', 'title', 'type', 'status', 'issued_at', 'scope_clauses'])
      .where('organization_id', '=', orgId)
      .where('type', '=', 'internal')
      .where('status', 'in', ['issued', 'closed'])
      .execute(),
    db
      .selectFrom('management_review')
      .select(['id', 'title', 'held_on'])
      .where('organization_id', '=', orgId)
      .execute(),
  ]);
  const r = certificationReadiness({
    smsStartedOn: o.sms_started_on,
    audits: audits.map((a) => ({
      id: a.id,
      title: a.title,
      type: a.type,
      status: a.status,
      issuedOn: a.issued_at ? dateIn(a.issued_at, o.time_zone) : null,
      scopeClauses: JSON.parse(a.scope_clauses) as string[],
    })),
    reviews: reviews.map((x) => ({ id: x.id, title: x.title, heldOn: x.held_on })),
    today: dateIn(now, o.time_zone),
  });
  return { smsStartedOn: o.sms_started_on, ...r };
}
export type ReadinessView = Awaited<ReturnType<typeof readinessOf>>;

export async function setSmsStart(db: Db, orgId: number, userId: number, date: string | null) {
  await db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('organization')
      .select('sms_started_on')
      .where('id', '=', orgId)
      .executeTakeFirstOrThrow();
    await trx.updateTable('organization').set({ sms_started_on: date }).where('id', '=', orgId).execute();
    await recordTrail(trx, {
      orgId,
      userId,
      action: 'update',
      entity: 'organization',
      entityId: orgId,
      before,
      after: { sms_started_on: date },
    });
  });
}
