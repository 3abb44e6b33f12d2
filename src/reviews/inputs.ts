import type { Db } from '../db/connect.js';
import { nowIso, toCount } from '../db/time.js';
import { addDays } from '../domain/due-dates.js';
import { dateIn } from '../domain/time-zone.js';
import {
  type ActionFact,
  assembleReviewInputs,
  type AuditFact,
  type FindingKind,
  type Period,
  previousPeriodOf,
  type ReviewFacts,
  type ReviewInputPack,
} from '../domain/management-review.js';
import type { Verdict } from '../domain/verdicts.js';
import { narrativesOf, type ReviewRow } from './queries.js';

/** The input pack of a management review as a plain object: what a report builder turns into PDF or Excel. */
export interface ManagementReviewInputs {
  review: {
    id: number;
    ref: string;
    title: string;
    heldOn: string;
    attendees: string;
    organization: { id: number; name: string; code: string };
  };
  generatedAt: string;
  pack: ReviewInputPack;
}

// The organisation's calendar day of an instant: what happened on "2026-10-01" is what happened there that day.
const day = (iso: string | null, zone: string) => (iso === null ? null : dateIn(iso, zone));
type ActionRow = {
  ref: string;
  description: string;
  created_at: string;
  completed_at: string | null;
  status: string;
  due_date: string | null;
  sms_change: number;
};
const actionFact = (a: ActionRow, zone: string): ActionFact => ({
  ref: a.ref,
  description: a.description,
  createdOn: dateIn(a.created_at, zone),
  completedOn: day(a.completed_at, zone),
  status: a.status,
  dueDate: a.due_date,
  smsChange: a.sms_change === 1,
});

/** Audits issued within the period, with their verdict and finding counts. */
async function issuedAudits(db: Db, orgId: number, p: Period, zone: string): Promise<AuditFact[]> {
  const audits = await db
    .selectFrom('audit')
    .select(['id', 'title', 'issued_at'])
    .where('organization_id', '=', orgId)
    .where('issued_at', 'is not', null)
    .where('issued_at', '>=', p.from)
    .where('issued_at', '<', addDays(p.to, 1))
    .orderBy('issued_at')
    .execute();
  if (audits.length === 0) return [];
  const ids = audits.map((a) => a.id);
  const [verdicts, findings] = await Promise.all([
    db
      .selectFrom('audit_response')
      .select(['audit_id', 'verdict', (eb) => eb.fn.countAll().as('n')])
      .where('audit_id', 'in', ids)
      .groupBy(['audit_id', 'verdict'])
      .execute(),
    db
      .selectFrom('finding')
      .select(['audit_id', 'kind', (eb) => eb.fn.countAll().as('n')])
      .where('organization_id', '=', orgId)
      .where('audit_id', 'in', ids)
      .groupBy(['audit_id', 'kind'])
      .execute(),
  ]);
  return audits.map((a) => ({
    id: a.id,
    title: a.title,
    issuedOn: day(a.issued_at, zone)!,
    verdicts: Object.fromEntries(
      verdicts.filter((v) => v.audit_id === a.id).map((v) => [v.verdict as Verdict, toCount(v.n)]),
    ),
    findings: Object.fromEntries(
      findings.filter((f) => f.audit_id === a.id).map((f) => [f.kind as FindingKind, toCount(f.n)]),
    ),
  }));
}

/** Everything the pack is built from, for one review of one organisation. */
export async function reviewFacts(db: Db, review: ReviewRow): Promise<ReviewFacts> {
  const orgId = review.organization_id;
  const { time_zone: zone } = await db
    .selectFrom('organization')
    .select('time_zone')
    .where('id', '=', orgId)
    .executeTakeFirstOrThrow();
  const period = { from: review.period_start, to: review.period_end };
  const previousPeriod = previousPeriodOf(period);
  const upTo = addDays(period.to, 1); // text comparison of ISO dates/timestamps: works alike on SQLite and PostgreSQL
  const earlier = await db
    .selectFrom('management_review')
    .select('id')
    .where('organization_id', '=', orgId)
    .where((eb) =>
      eb.or([
        eb('held_on', '<', review.held_on),
        eb.and([eb('held_on', '=', review.held_on), eb('id', '<', review.id)]),
      ]),
    )
    .execute();
  const actionCols = ['ref', 'description', 'created_at', 'completed_at', 'status', 'due_date', 'sms_change'] as const;
  const [previousActions, ncs, cas, audits, findings, improvements, feedback, services, parties] = await Promise.all([
    earlier.length
      ? db
          .selectFrom('action_item')
          .select(actionCols)
          .where('organization_id', '=', orgId)
          .where(
            'review_id',
            'in',
            earlier.map((r) => r.id),
          )
          .orderBy('id')
          .execute()
      : Promise.resolve([]),
    db
      .selectFrom('finding')
      .select(['raised_on', 'closed_at', 'grade', 'due_date', 'service_id', 'other_party_id'])
      .where('organization_id', '=', orgId)
      .where('kind', '=', 'nonconformity')
      .where('raised_on', '<', upTo)
      .execute(),
    db
      .selectFrom('action_item')
      .select(actionCols)
      .where('organization_id', '=', orgId)
      .where('finding_id', 'is not', null)
      .where('created_at', '<', upTo)
      .execute(),
    issuedAudits(db, orgId, period, zone),
    db
      .selectFrom('finding')
      .select(['kind', 'source', 'raised_on'])
      .where('organization_id', '=', orgId)
      .where('raised_on', '<', upTo)
      .execute(),
    db
      .selectFrom('improvement')
      .select(['created_at', 'decision', 'status', 'target_met', 'sms_change'])
      .where('organization_id', '=', orgId)
      .where('created_at', '<', upTo)
      .execute(),
    db
      .selectFrom('feedback')
      .select(['received_on', 'kind'])
      .where('organization_id', '=', orgId)
      .where('received_on', '<', upTo)
      .execute(),
    db.selectFrom('service').select(['id', 'name']).where('organization_id', '=', orgId).orderBy('name').execute(),
    db.selectFrom('other_party').select(['id', 'name']).where('organization_id', '=', orgId).orderBy('name').execute(),
  ]);
  return {
    period,
    previousPeriod,
    previousReviewActions: previousActions.map((a) => actionFact(a, zone)),
    nonconformities: ncs.map((n) => ({
      raisedOn: n.raised_on,
      closedOn: day(n.closed_at, zone),
      grade: n.grade,
      dueDate: n.due_date,
      serviceId: n.service_id,
      otherPartyId: n.other_party_id,
    })),
    correctiveActions: cas.map((a) => actionFact(a, zone)),
    issuedAudits: audits,
    findings: findings.map((f) => ({ kind: f.kind as FindingKind, source: f.source, raisedOn: f.raised_on })),
    improvements: improvements.map((i) => ({
      createdOn: dateIn(i.created_at, zone),
      decision: i.decision,
      status: i.status,
      targetMet: i.target_met,
      smsChange: i.sms_change === 1,
    })),
    feedback: feedback.map((f) => ({ receivedOn: f.received_on, kind: f.kind })),
    services,
    otherParties: parties,
    narratives: narrativesOf(review),
  };
}

/** The 9.3 a)–l) input pack of a review, or undefined when there is no such review. Access is checked by the caller. */
export async function managementReviewInputs(db: Db, reviewId: number): Promise<ManagementReviewInputs | undefined> {
  const review = await db.selectFrom('management_review').selectAll().where('id', '=', reviewId).executeTakeFirst();
  if (!review) return undefined;
  const o = await db
    .selectFrom('organization')
    .select(['id', 'name', 'code', 'time_zone as timeZone'])
    .where('id', '=', review.organization_id)
    .executeTakeFirstOrThrow();
  const pack = assembleReviewInputs(await reviewFacts(db, review));
  return {
    review: {
      id: review.id,
      ref: review.ref,
      title: review.title,
      heldOn: review.held_on,
      attendees: review.attendees,
      organization: o,
    },
    generatedAt: nowIso(),
    pack,
  };
}
