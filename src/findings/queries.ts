import { conflict } from '../web/errors.js';
import { isAuditStatus, isEditable } from '../domain/audit-status.js';
import type { Selectable } from 'kysely';
import type { Db } from '../db/connect.js';
import type { FindingTable } from '../db/schema.js';
import { nowIso, toCount } from '../db/time.js';
import { recordTrail } from '../db/trail.js';
import { dateIn } from '../domain/time-zone.js';
import { DEFAULT_DUE_SETTINGS, defaultDueDate, type DueSettings } from '../domain/due-dates.js';
import type { AuditFindingInput, FindingDetailsInput, OrgFindingInput } from './schemas.js';
import { serialiseForOrganisation } from '../db/locks.js';

export type FindingRow = Selectable<FindingTable>;
export interface Actor {
  orgId: number;
  userId: number;
}

export async function dueSettings(db: Db, orgId: number): Promise<DueSettings> {
  const s = await db
    .selectFrom('organization_setting')
    .selectAll()
    .where('organization_id', '=', orgId)
    .executeTakeFirst();
  return s
    ? { majorDueDays: s.major_due_days, minorDueDays: s.minor_due_days, proposalDueDays: s.proposal_due_days }
    : DEFAULT_DUE_SETTINGS;
}

/** Saves the settings; a value not sent keeps what the organisation has (proposalDueDays came later). */
export async function saveDueSettings(
  db: Db,
  actor: Actor,
  sent: Omit<DueSettings, 'proposalDueDays'> & Partial<DueSettings>,
) {
  const s: DueSettings = { ...(await dueSettings(db, actor.orgId)), ...sent };
  await db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('organization_setting')
      .selectAll()
      .where('organization_id', '=', actor.orgId)
      .executeTakeFirst();
    const values = {
      major_due_days: s.majorDueDays,
      minor_due_days: s.minorDueDays,
      proposal_due_days: s.proposalDueDays,
      updated_at: nowIso(),
    };
    if (before)
      await trx.updateTable('organization_setting').set(values).where('organization_id', '=', actor.orgId).execute();
    else
      await trx
        .insertInto('organization_setting')
        .values({ organization_id: actor.orgId, ...values })
        .execute();
    await recordTrail(trx, {
      orgId: actor.orgId,
      userId: actor.userId,
      action: before ? 'update' : 'create',
      entity: 'organization_setting',
      entityId: actor.orgId,
      before,
      after: s,
    });
  });
}

/** The audit, only when it belongs to the organisation. */
export async function auditOf(db: Db, orgId: number, auditId: number) {
  return db
    .selectFrom('audit')
    .select(['id', 'title', 'status', 'checklist_version_id', 'organization_id'])
    .where('organization_id', '=', orgId)
    .where('id', '=', auditId)
    .executeTakeFirst();
}

export async function requirementOf(db: Db, versionId: number, requirementId: string) {
  return db
    .selectFrom('requirement')
    .select(['id', 'clause_id', 'text_zh', 'text_en'])
    .where('version_id', '=', versionId)
    .where('id', '=', requirementId)
    .executeTakeFirst();
}

export async function responseOf(db: Db, auditId: number, requirementId: string) {
  return db
    .selectFrom('audit_response')
    .select(['id', 'verdict', 'notes', 'samples'])
    .where('audit_id', '=', auditId)
    .where('requirement_id', '=', requirementId)
    .executeTakeFirst();
}

/** Members, processes, services and other parties the finding form offers. */
export async function formChoices(db: Db, orgId: number) {
  const [members, processes, services, parties] = await Promise.all([
    db
      .selectFrom('membership')
      .innerJoin('app_user', 'app_user.id', 'membership.user_id')
      .select(['app_user.id', 'app_user.display_name as name', 'app_user.email'])
      .where('membership.organization_id', '=', orgId)
      .orderBy('app_user.display_name')
      .execute(),
    db.selectFrom('process').select(['id', 'name']).where('organization_id', '=', orgId).orderBy('name').execute(),
    db.selectFrom('service').select(['id', 'name']).where('organization_id', '=', orgId).orderBy('name').execute(),
    db.selectFrom('other_party').select(['id', 'name']).where('organization_id', '=', orgId).orderBy('name').execute(),
  ]);
  return { members, processes, services, parties };
}
export type FormChoices = Awaited<ReturnType<typeof formChoices>>;

type Links = { [K in 'ownerUserId' | 'processId' | 'serviceId' | 'otherPartyId']?: number | null };
/** Every linked id must belong to the organisation; returns the first field that does not. */
export function invalidLink(c: FormChoices, l: Links): keyof Links | null {
  const has = (list: { id: number }[], v: number | null | undefined) =>
    v === null || v === undefined || list.some((x) => x.id === v);
  if (!has(c.members, l.ownerUserId)) return 'ownerUserId';
  if (!has(c.processes, l.processId)) return 'processId';
  if (!has(c.services, l.serviceId)) return 'serviceId';
  if (!has(c.parties, l.otherPartyId)) return 'otherPartyId';
  return null;
}

async function nextSeq(db: Db, orgId: number, auditId: number | null): Promise<number> {
  let q = db
    .selectFrom('finding')
    .select((eb) => eb.fn.max('seq').as('m'))
    .where('organization_id', '=', orgId);
  q = auditId === null ? q.where('audit_id', 'is', null) : q.where('audit_id', '=', auditId);
  return toCount((await q.executeTakeFirst())?.m) + 1;
}

/** F-<auditId>-<n> for an audit's findings; F-<organisation code>-<n> for findings from other sources. */
export function findingRef(auditId: number | null, orgCode: string, seq: number): string {
  return auditId === null ? `F-${/^\d+$/.test(orgCode) ? `O${orgCode}` : orgCode}-${seq}` : `F-${auditId}-${seq}`;
}

export interface NewFinding {
  auditId: number | null;
  responseId: number | null;
  requirementId: string | null;
  clauseId: string | null;
  source: string;
  sourceReference: string;
  input: Omit<AuditFindingInput, 'requirementId'>;
}

/** Raises a finding; a nonconformity starts its lifecycle `open` with a due date by grade unless one is given. */
export async function createFinding(db: Db, actor: Actor, f: NewFinding): Promise<FindingRow> {
  const settings = await dueSettings(db, actor.orgId);
  return db.transaction().execute(async (trx) => {
    const org = await trx
      .selectFrom('organization')
      .select(['code', 'time_zone'])
      .where('id', '=', actor.orgId)
      .executeTakeFirstOrThrow();
    await serialiseForOrganisation(trx, actor.orgId);
    const seq = await nextSeq(trx, actor.orgId, f.auditId);
    const now = nowIso();
    const raisedOn = dateIn(now, org.time_zone); // the organisation's calendar day, from which the due date counts
    const { input: i } = f;
    const nc = i.kind === 'nonconformity';
    const row = await trx
      .insertInto('finding')
      .values({
        organization_id: actor.orgId,
        ref: findingRef(f.auditId, org.code, seq),
        seq,
        audit_id: f.auditId,
        response_id: f.responseId,
        requirement_id: f.requirementId,
        clause_id: f.clauseId,
        source: f.source,
        source_reference: f.sourceReference,
        kind: i.kind,
        grade: nc ? i.grade : null,
        statement_requirement: i.statement.requirement,
        statement_evidence: i.statement.evidence,
        statement_nonconformity: i.statement.nonconformity,
        owner_user_id: i.ownerUserId,
        process_id: i.processId,
        service_id: i.serviceId,
        other_party_id: i.otherPartyId,
        due_date:
          i.dueDate ?? (nc ? defaultDueDate(i.grade === 'major' ? 'major' : 'minor', raisedOn, settings) : null),
        status: nc ? 'open' : 'recorded',
        round: 1,
        raised_by: actor.userId,
        raised_on: raisedOn,
        closed_at: null,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordTrail(trx, {
      orgId: actor.orgId,
      userId: actor.userId,
      action: 'create',
      entity: 'finding',
      entityId: row.id,
      after: row,
    });
    return row;
  });
}

/** An issued revision is frozen: a new finding on it would make the live record differ from the issued report. */
export function assertAuditOpen(audit: { status: string }) {
  if (!isAuditStatus(audit.status) || !isEditable(audit.status))
    throw conflict('audits.errors.readOnly', { status: audit.status });
}

export function createAuditFinding(
  db: Db,
  actor: Actor,
  audit: { id: number; status: string },
  req: { id: string; clause_id: string },
  responseId: number | null,
  input: AuditFindingInput,
) {
  assertAuditOpen(audit);
  return createFinding(db, actor, {
    auditId: audit.id,
    responseId,
    requirementId: req.id,
    clauseId: req.clause_id,
    source: 'audit',
    sourceReference: '',
    input,
  });
}

export function createOrgFinding(db: Db, actor: Actor, input: OrgFindingInput) {
  const clauseId = input.clauseId ?? (input.requirementId ? input.requirementId.split('-')[0]! : null);
  return createFinding(db, actor, {
    auditId: null,
    responseId: null,
    requirementId: input.requirementId,
    clauseId,
    source: input.source,
    sourceReference: input.sourceReference,
    input,
  });
}

/** One finding of the organisation, with the names a page shows. */
export async function getFinding(db: Db, orgId: number, findingId: number) {
  return db
    .selectFrom('finding')
    .leftJoin('app_user as owner', 'owner.id', 'finding.owner_user_id')
    .leftJoin('audit', 'audit.id', 'finding.audit_id')
    .leftJoin('process', 'process.id', 'finding.process_id')
    .leftJoin('service', 'service.id', 'finding.service_id')
    .leftJoin('other_party', 'other_party.id', 'finding.other_party_id')
    .selectAll('finding')
    .select([
      'owner.display_name as owner_name',
      'audit.title as audit_title',
      'process.name as process_name',
      'service.name as service_name',
      'other_party.name as other_party_name',
    ])
    .where('finding.organization_id', '=', orgId)
    .where('finding.id', '=', findingId)
    .executeTakeFirst();
}
export type FindingDetail = NonNullable<Awaited<ReturnType<typeof getFinding>>>;

export async function listFindings(db: Db, orgId: number, auditId?: number) {
  let q = db
    .selectFrom('finding')
    .leftJoin('app_user as owner', 'owner.id', 'finding.owner_user_id')
    .selectAll('finding')
    .select('owner.display_name as owner_name')
    .where('finding.organization_id', '=', orgId);
  if (auditId !== undefined) q = q.where('finding.audit_id', '=', auditId);
  return q.orderBy('finding.id').execute();
}

/** Updates owner, process, service, other party and due date; the change goes to the audit trail. */
export async function updateFindingDetails(db: Db, actor: Actor, findingId: number, d: FindingDetailsInput) {
  await db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('finding')
      .selectAll()
      .where('organization_id', '=', actor.orgId)
      .where('id', '=', findingId)
      .executeTakeFirstOrThrow();
    // The process, service and other party a finding concerns are what its issued report states; owner and due
    // date belong to the corrective action's lifecycle, which goes on after issue.
    const restated =
      (d.processId !== undefined && d.processId !== before.process_id) ||
      (d.serviceId !== undefined && d.serviceId !== before.service_id) ||
      (d.otherPartyId !== undefined && d.otherPartyId !== before.other_party_id);
    if (restated && before.audit_id !== null) {
      const audit = await trx.selectFrom('audit').select('status').where('id', '=', before.audit_id).executeTakeFirst();
      if (audit && (!isAuditStatus(audit.status) || !isEditable(audit.status)))
        throw conflict('audits.errors.readOnly', { status: audit.status });
    }
    const set = {
      ...(d.ownerUserId !== undefined && { owner_user_id: d.ownerUserId }),
      ...(d.processId !== undefined && { process_id: d.processId }),
      ...(d.serviceId !== undefined && { service_id: d.serviceId }),
      ...(d.otherPartyId !== undefined && { other_party_id: d.otherPartyId }),
      ...(d.dueDate !== undefined && { due_date: d.dueDate }),
    };
    if (Object.keys(set).length === 0) return;
    await trx
      .updateTable('finding')
      .set({ ...set, updated_at: nowIso() })
      .where('id', '=', findingId)
      .execute();
    const was = Object.fromEntries(Object.keys(set).map((k) => [k, before[k as keyof typeof before]]));
    await recordTrail(trx, {
      orgId: actor.orgId,
      userId: actor.userId,
      action: 'update',
      entity: 'finding',
      entityId: findingId,
      before: was,
      after: set,
    });
  });
}
