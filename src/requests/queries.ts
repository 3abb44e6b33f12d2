import type { Db } from '../db/connect.js';
import { nowIso } from '../db/time.js';
import { recordTrail } from '../db/trail.js';
import { checklistItems } from '../audits/items.js';
import { isAuditStatus, isEditable } from '../domain/audit-status.js';
import {
  decideMove,
  isRequestStatus,
  mayBeAsked,
  type RequestActor,
  type RequestMove,
  type RequestStatus,
  requestOverdue,
} from '../domain/evidence-request.js';
import { isRole } from '../domain/permissions.js';
import { effectiveScope, inScope } from '../domain/scope.js';
import { openResponseFor } from '../evidence/audit-link.js';
import type { UploadedFile } from '../evidence/upload.js';
import { insertNotifications, type NotificationDraft } from '../notifications/events.js';
import { conflict, HttpError } from '../web/errors.js';
import type { AnswerInput, RequestInput, RequestPatch } from './schemas.js';

// Evidence requests of an audit (issue 18). Every query is scoped by the organisation; every change is written in
// one transaction with its trail entry and its notification.

export interface Who {
  orgId: number;
  userId: number;
}

export const requestRef = (seq: number): string => `ER-${seq}`;
export const requestsUrl = (auditId: number, requestId?: number): string =>
  `/audits/${auditId}/evidence-requests${requestId ? `#request-${requestId}` : ''}`;

/** The audit a request list belongs to: its state, its checklist and who is on it. */
export async function requestAudit(db: Db, orgId: number, auditId: number) {
  const a = await db
    .selectFrom('audit')
    .select(['id', 'title', 'status', 'type', 'scope_clauses', 'checklist_version_id', 'lead_auditor_id'])
    .where('organization_id', '=', orgId)
    .where('id', '=', auditId)
    .executeTakeFirst();
  if (!a) return undefined;
  const team = await db.selectFrom('audit_team').select('user_id').where('audit_id', '=', a.id).execute();
  const members = new Set([a.lead_auditor_id, ...team.map((t) => t.user_id)].filter((x): x is number => x !== null));
  const open = isAuditStatus(a.status) && isEditable(a.status);
  return { ...a, members, open };
}
export type RequestAudit = NonNullable<Awaited<ReturnType<typeof requestAudit>>>;

export function actorOn(audit: RequestAudit, userId: number, role: string): RequestActor {
  return { userId, role: isRole(role) ? role : 'viewer', onAuditTeam: audit.members.has(userId) };
}

/** Members who may be asked for evidence (their role lets them add evidence), by name. */
export async function askableMembers(db: Db, orgId: number) {
  const rows = await db
    .selectFrom('membership')
    .innerJoin('app_user', 'app_user.id', 'membership.user_id')
    .select(['app_user.id', 'app_user.display_name as name', 'app_user.email', 'membership.role'])
    .where('membership.organization_id', '=', orgId)
    .orderBy('app_user.display_name')
    .orderBy('app_user.id')
    .execute();
  return rows.filter((r) => isRole(r.role) && mayBeAsked(r.role));
}

/** The audit's checklist items in scope, in the standard's order (what a request may name). */
export async function auditItems(db: Db, audit: RequestAudit) {
  const scope = effectiveScope(audit.type, parseList(audit.scope_clauses));
  return [...(await checklistItems(db, audit.checklist_version_id)).values()].filter((i) =>
    inScope(i.clause_id, scope),
  );
}

function parseList(json: string): string[] {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

/** What is wrong with one request's input against the audit: field → message keys with their values. */
export type InputProblem = { field: 'requirementIds' | 'addresseeId'; key: string; params: Record<string, unknown> };
export async function checkRequestInput(
  db: Db,
  orgId: number,
  audit: RequestAudit,
  input: Pick<RequestPatch, 'requirementIds' | 'addresseeId'>,
  known?: { items: Set<string>; people: Set<number> },
): Promise<InputProblem[]> {
  const items = known?.items ?? new Set((await auditItems(db, audit)).map((i) => i.id));
  const people = known?.people ?? new Set((await askableMembers(db, orgId)).map((m) => m.id));
  const problems: InputProblem[] = [];
  for (const id of input.requirementIds ?? [])
    if (!items.has(id)) problems.push({ field: 'requirementIds', key: 'requests.errors.notInAudit', params: { id } });
  if (input.addresseeId !== undefined && !people.has(input.addresseeId))
    problems.push({ field: 'addresseeId', key: 'requests.errors.addressee', params: {} });
  return problems;
}

/** The requests of an audit (or one request), with their items, addressee and answers, oldest first. */
export async function listRequests(db: Db, orgId: number, where: { auditId: number } | { requestId: number }) {
  let q = db
    .selectFrom('evidence_request as r')
    .innerJoin('app_user as u', 'u.id', 'r.addressee_id')
    .select([
      'r.id',
      'r.audit_id',
      'r.seq',
      'r.need',
      'r.addressee_id',
      'r.due_date',
      'r.status',
      'r.created_by',
      'r.created_at',
      'r.updated_at',
      'u.display_name as addressee_name',
      'u.email as addressee_email',
    ])
    .where('r.organization_id', '=', orgId);
  q = 'auditId' in where ? q.where('r.audit_id', '=', where.auditId) : q.where('r.id', '=', where.requestId);
  const rows = await q.orderBy('r.seq').execute();
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [items, answers] = await Promise.all([
    db
      .selectFrom('evidence_request_item')
      .select(['request_id', 'requirement_id'])
      .where('request_id', 'in', ids)
      .execute(),
    db
      .selectFrom('evidence_request_answer as a')
      .leftJoin('app_user as u', 'u.id', 'a.answered_by')
      .selectAll('a')
      .select('u.display_name as answered_by_name')
      .where('a.request_id', 'in', ids)
      .orderBy('a.id')
      .execute(),
  ]);
  const evidence = answers.length
    ? await db
        .selectFrom('evidence_request_answer_evidence as ae')
        .innerJoin('evidence as e', 'e.id', 'ae.evidence_id')
        .select(['ae.answer_id', 'e.id', 'e.title'])
        .where('e.organization_id', '=', orgId)
        .where(
          'ae.answer_id',
          'in',
          answers.map((a) => a.id),
        )
        .orderBy('e.id')
        .execute()
    : [];
  return rows.map((r) => ({
    ...r,
    status: (isRequestStatus(r.status) ? r.status : 'open') as RequestStatus,
    requirementIds: items
      .filter((i) => i.request_id === r.id)
      .map((i) => i.requirement_id)
      .sort((a, b) => a.localeCompare(b, 'en', { numeric: true })),
    answers: answers
      .filter((a) => a.request_id === r.id)
      .map((a) => ({
        ...a,
        evidence: evidence.filter((e) => e.answer_id === a.id).map((e) => ({ id: e.id, title: e.title })),
      })),
  }));
}
export type RequestRow = Awaited<ReturnType<typeof listRequests>>[number];

export async function getRequest(db: Db, orgId: number, requestId: number) {
  return (await listRequests(db, orgId, { requestId }))[0];
}

export function requestDto(r: RequestRow, today: string) {
  return {
    id: r.id,
    auditId: r.audit_id,
    ref: requestRef(r.seq),
    requirementIds: r.requirementIds,
    need: r.need,
    addressee: { id: r.addressee_id, name: r.addressee_name, email: r.addressee_email },
    dueDate: r.due_date,
    overdue: requestOverdue(r.status, r.due_date, today),
    status: r.status,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    answers: r.answers.map((a) => ({
      id: a.id,
      note: a.note,
      answeredBy: a.answered_by === null ? null : { id: a.answered_by, name: a.answered_by_name ?? '' },
      answeredAt: a.answered_at,
      decision: a.decision as 'pending',
      comment: a.comment,
      decidedAt: a.decided_at,
      evidence: a.evidence,
    })),
  };
}

const frozen = (audit: { status: string }) => conflict('audits.errors.readOnly', { status: audit.status });

async function notify(trx: Db, drafts: NotificationDraft[], userId: number) {
  await insertNotifications(
    trx,
    drafts.filter((d) => d.userId !== userId),
  );
}

/** Creates requests on an audit, all or none, each with its trail entry and a notification to its addressee. */
export async function createRequests(db: Db, who: Who, audit: RequestAudit, inputs: readonly RequestInput[]) {
  return db.transaction().execute((trx) => insertRequests(trx, who, audit, inputs));
}

/** The same inside the caller's transaction (an imported list: new and changed requests together, or none). */
export async function insertRequests(trx: Db, who: Who, audit: RequestAudit, inputs: readonly RequestInput[]) {
  // Read again inside the transaction: an audit issued meanwhile takes no new request.
  const now = await trx.selectFrom('audit').select('status').where('id', '=', audit.id).executeTakeFirstOrThrow();
  if (!isAuditStatus(now.status) || !isEditable(now.status)) throw frozen(now);
  const last = await trx
    .selectFrom('evidence_request')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .where('audit_id', '=', audit.id)
    .executeTakeFirst();
  let seq = Number(last?.seq ?? 0);
  const at = nowIso();
  const ids: number[] = [];
  for (const input of inputs) {
    seq += 1;
    const { id } = await trx
      .insertInto('evidence_request')
      .values({
        organization_id: who.orgId,
        audit_id: audit.id,
        seq,
        need: input.need,
        addressee_id: input.addresseeId,
        due_date: input.dueDate,
        status: 'open',
        created_by: who.userId,
        created_at: at,
        updated_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('evidence_request_item')
      .values(input.requirementIds.map((r) => ({ request_id: id, requirement_id: r })))
      .execute();
    await recordTrail(trx, {
      orgId: who.orgId,
      userId: who.userId,
      action: 'create',
      entity: 'evidence_request',
      entityId: id,
      after: { auditId: audit.id, ref: requestRef(seq), ...input, status: 'open' },
    });
    await notify(
      trx,
      [
        {
          userId: input.addresseeId,
          orgId: who.orgId,
          kind: 'evidence_requested',
          params: { title: `${requestRef(seq)} ${input.need.slice(0, 200)}`, due: input.dueDate, audit: audit.title },
          url: requestsUrl(audit.id, id),
        },
      ],
      who.userId,
    );
    ids.push(id);
  }
  return ids;
}

/** Changes what is asked, of whom or by when, while the request still waits for an answer. */
export async function updateRequest(db: Db, who: Who, r: RequestRow, patch: RequestPatch) {
  await db.transaction().execute((trx) => patchRequest(trx, who, r, patch));
}

/** The same inside the caller's transaction. */
export async function patchRequest(trx: Db, who: Who, r: RequestRow, patch: RequestPatch) {
  await auditStillOpen(trx, r.audit_id);
  const set = {
    ...(patch.need !== undefined && { need: patch.need }),
    ...(patch.addresseeId !== undefined && { addressee_id: patch.addresseeId }),
    ...(patch.dueDate !== undefined && { due_date: patch.dueDate }),
    updated_at: nowIso(),
  };
  const res = await trx
    .updateTable('evidence_request')
    .set(set)
    .where('id', '=', r.id)
    .where('status', '=', r.status)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) === 0) throw conflict('requests.errors.changed');
  if (patch.requirementIds) {
    await trx.deleteFrom('evidence_request_item').where('request_id', '=', r.id).execute();
    await trx
      .insertInto('evidence_request_item')
      .values(patch.requirementIds.map((id) => ({ request_id: r.id, requirement_id: id })))
      .execute();
  }
  await recordTrail(trx, {
    orgId: who.orgId,
    userId: who.userId,
    action: 'update',
    entity: 'evidence_request',
    entityId: r.id,
    before: { need: r.need, addresseeId: r.addressee_id, dueDate: r.due_date, requirementIds: r.requirementIds },
    after: patch,
  });
  if (patch.addresseeId !== undefined && patch.addresseeId !== r.addressee_id) {
    const a = await trx.selectFrom('audit').select('title').where('id', '=', r.audit_id).executeTakeFirstOrThrow();
    await notify(
      trx,
      [
        {
          userId: patch.addresseeId,
          orgId: who.orgId,
          kind: 'evidence_requested',
          params: {
            title: `${requestRef(r.seq)} ${(patch.need ?? r.need).slice(0, 200)}`,
            due: patch.dueDate ?? r.due_date,
            audit: a.title,
          },
          url: requestsUrl(r.audit_id, r.id),
        },
      ],
      who.userId,
    );
  }
}

/** Moves the request from `from` to `to`, or 409 when someone else moved it first (two tabs, two auditors). */
async function move(trx: Db, r: RequestRow, to: RequestStatus) {
  const res = await trx
    .updateTable('evidence_request')
    .set({ status: to, updated_at: nowIso() })
    .where('id', '=', r.id)
    .where('status', '=', r.status)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) === 0) throw conflict('requests.errors.changed');
}

async function auditStillOpen(trx: Db, auditId: number) {
  const a = await trx
    .selectFrom('audit')
    .select(['status', 'title'])
    .where('id', '=', auditId)
    .executeTakeFirstOrThrow();
  if (!isAuditStatus(a.status) || !isEditable(a.status)) throw frozen(a);
  return a;
}

/** Evidence of the organisation among the ids (all must be: an unknown id refuses the answer). */
export async function ownEvidence(db: Db, orgId: number, ids: readonly number[]) {
  if (ids.length === 0) return [];
  return (
    await db
      .selectFrom('evidence')
      .select('id')
      .where('organization_id', '=', orgId)
      .where('id', 'in', [...ids])
      .execute()
  ).map((e) => e.id);
}

/** Stores an uploaded file in the library as a record (the same file of the organisation is kept once). */
async function storeFile(trx: Db, who: Who, file: UploadedFile, title: string, description: string) {
  const now = nowIso();
  await trx
    .insertInto('evidence_file')
    .values({
      organization_id: who.orgId,
      sha256: file.sha256,
      size: file.size,
      media_type: file.mediaType,
      content: file.content,
      created_at: now,
    })
    .onConflict((oc) => oc.columns(['organization_id', 'sha256']).doNothing())
    .execute();
  const f = await trx
    .selectFrom('evidence_file')
    .select('id')
    .where('organization_id', '=', who.orgId)
    .where('sha256', '=', file.sha256)
    .executeTakeFirstOrThrow();
  const values = {
    organization_id: who.orgId,
    title: title || file.name,
    kind: 'record',
    version_label: '',
    owner: '',
    approved_on: null,
    next_review_on: null,
    location: '',
    description,
    file_id: f.id,
    file_name: file.name,
    created_by: who.userId,
    created_at: now,
    updated_at: now,
  };
  const { id } = await trx.insertInto('evidence').values(values).returning('id').executeTakeFirstOrThrow();
  const { content: _c, ...meta } = file;
  await recordTrail(trx, {
    orgId: who.orgId,
    userId: who.userId,
    action: 'create',
    entity: 'evidence',
    entityId: id,
    after: { title: values.title, kind: values.kind, description, file: meta },
  });
  return id;
}

/**
 * The addressee's answer: a note and evidence (picked from the library, and the uploaded file stored in it), in one
 * transaction; the request becomes "answered" and whoever asked is told.
 */
export async function answerRequest(
  db: Db,
  who: Who,
  actor: RequestActor,
  r: RequestRow,
  input: AnswerInput,
  file: UploadedFile | null,
) {
  return db.transaction().execute(async (trx) => {
    const audit = await auditStillOpen(trx, r.audit_id);
    const d = decideMove({ status: r.status, move: 'answer', actor, addresseeId: r.addressee_id, auditOpen: true });
    if (!d.ok) throw refusal(d.reason, r.status);
    await move(trx, r, d.to);
    const evidence = [...input.evidenceIds];
    if (file)
      evidence.push(
        await storeFile(
          trx,
          who,
          file,
          input.title,
          `${audit.title} · ${requestRef(r.seq)} · ${r.requirementIds.join(', ')}`,
        ),
      );
    const at = nowIso();
    const { id } = await trx
      .insertInto('evidence_request_answer')
      .values({
        request_id: r.id,
        note: input.note,
        answered_by: who.userId,
        answered_at: at,
        decision: 'pending',
        decided_by: null,
        decided_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (evidence.length)
      await trx
        .insertInto('evidence_request_answer_evidence')
        .values([...new Set(evidence)].map((e) => ({ answer_id: id, evidence_id: e })))
        .execute();
    await recordTrail(trx, {
      orgId: who.orgId,
      userId: who.userId,
      action: 'update',
      entity: 'evidence_request',
      entityId: r.id,
      before: { status: r.status },
      after: { status: d.to, answer: { id, note: input.note, evidenceIds: evidence } },
    });
    const asker = r.created_by;
    const reviewers = await trx
      .selectFrom('audit')
      .select('lead_auditor_id')
      .where('id', '=', r.audit_id)
      .executeTakeFirstOrThrow();
    const to = new Set([asker, reviewers.lead_auditor_id].filter((x): x is number => x !== null));
    await notify(
      trx,
      [...to].map((userId) => ({
        userId,
        orgId: who.orgId,
        kind: 'evidence_answered' as const,
        params: { title: `${requestRef(r.seq)} ${r.need.slice(0, 200)}`, audit: audit.title },
        url: requestsUrl(r.audit_id, r.id),
      })),
      who.userId,
    );
    return id;
  });
}

const refusal = (reason: string, status: string) =>
  reason === 'frozen'
    ? conflict('audits.errors.readOnly', { status })
    : reason === 'forbidden'
      ? new HttpError(403, 'requests.errors.forbidden')
      : reason === 'commentRequired'
        ? new HttpError(422, 'requests.errors.commentRequired')
        : conflict('requests.errors.notNow', { status });

export { refusal as moveRefusal };

/**
 * The auditor accepts, asks again (with a comment) or withdraws. Accepting links the answer's evidence to the
 * request's checklist items in this audit (the checklist and the report show it), as attaching it by hand does.
 */
export async function decideRequest(
  db: Db,
  who: Who,
  actor: RequestActor,
  r: RequestRow,
  m: Exclude<RequestMove, 'answer'>,
  comment: string,
) {
  await db.transaction().execute(async (trx) => {
    const audit = await auditStillOpen(trx, r.audit_id);
    const d = decideMove({ status: r.status, move: m, actor, addresseeId: r.addressee_id, auditOpen: true, comment });
    if (!d.ok) throw refusal(d.reason, r.status);
    await move(trx, r, d.to);
    const pending = r.answers.filter((a) => a.decision === 'pending').at(-1);
    const decision = m === 'accept' ? 'accepted' : m === 'return' ? 'returned' : 'withdrawn';
    if (pending)
      await trx
        .updateTable('evidence_request_answer')
        .set({ decision, comment, decided_by: who.userId, decided_at: nowIso() })
        .where('id', '=', pending.id)
        .execute();
    const linked: { requirementId: string; responseId: number | null; evidenceIds: number[] }[] = [];
    if (m === 'accept' && pending) {
      const evidence = await ownEvidence(
        trx,
        who.orgId,
        pending.evidence.map((e) => e.id),
      );
      for (const requirementId of r.requirementIds) {
        const { responseId } = await openResponseFor(trx, who.orgId, r.audit_id, requirementId, who.userId);
        // Both tables' primary keys are the pair: a link already there is left as it is.
        for (const evidenceId of evidence) {
          if (responseId)
            await trx
              .insertInto('response_evidence')
              .values({ response_id: responseId, evidence_id: evidenceId })
              .onConflict((oc) => oc.doNothing())
              .execute();
          await trx
            .insertInto('evidence_requirement')
            .values({ evidence_id: evidenceId, requirement_id: requirementId })
            .onConflict((oc) => oc.doNothing())
            .execute();
        }
        linked.push({ requirementId, responseId, evidenceIds: evidence });
      }
    }
    await recordTrail(trx, {
      orgId: who.orgId,
      userId: who.userId,
      action: 'update',
      entity: 'evidence_request',
      entityId: r.id,
      before: { status: r.status },
      after: { status: d.to, ...(comment && { comment }), ...(linked.length && { linked }) },
    });
    if (m !== 'withdraw')
      await notify(
        trx,
        [
          {
            userId: r.addressee_id,
            orgId: who.orgId,
            kind: m === 'accept' ? 'evidence_accepted' : 'evidence_returned',
            params: {
              title: `${requestRef(r.seq)} ${r.need.slice(0, 200)}`,
              audit: audit.title,
              comment: comment.slice(0, 500),
            },
            url: requestsUrl(r.audit_id, r.id),
          },
        ],
        who.userId,
      );
  });
}

/** An imported request list: new requests and changes to requests still waiting for an answer, all or none. */
export async function applyImport(
  db: Db,
  who: Who,
  audit: RequestAudit,
  creates: readonly RequestInput[],
  updates: readonly { id: number; patch: RequestPatch }[],
) {
  return db.transaction().execute(async (trx) => {
    for (const u of updates) {
      const r = (await listRequests(trx, who.orgId, { requestId: u.id }))[0];
      if (r?.audit_id !== audit.id) throw conflict('requests.errors.changed');
      if (r.status !== 'open' && r.status !== 'returned') throw conflict('requests.errors.changed');
      await patchRequest(trx, who, r, u.patch);
    }
    const ids = creates.length ? await insertRequests(trx, who, audit, creates) : [];
    return { created: ids, updated: updates.map((u) => u.id) };
  });
}
