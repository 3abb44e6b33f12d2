import { daysOpen, isOverdue } from '../domain/due-dates.js';
import { nextStatuses } from '../domain/nonconformity.js';
import { type ActionRow, ncStatusOf, type TimelineEntry } from './lifecycle.js';
import type { FindingDetail, FindingRow } from './queries.js';
import type { ActionRegisterRow, NcRegisterRow } from './registers.js';

/** A finding as the API gives it. */
export function findingDto(f: FindingRow & Partial<Pick<FindingDetail, 'owner_name'>>, today: string) {
  return {
    id: f.id,
    ref: f.ref,
    organizationId: f.organization_id,
    auditId: f.audit_id,
    requirementId: f.requirement_id,
    clauseId: f.clause_id,
    source: f.source,
    sourceReference: f.source_reference,
    kind: f.kind,
    grade: f.grade,
    statement: {
      requirement: f.statement_requirement,
      evidence: f.statement_evidence,
      nonconformity: f.statement_nonconformity,
    },
    owner: f.owner_user_id === null ? null : { id: f.owner_user_id, name: f.owner_name ?? null },
    processId: f.process_id,
    serviceId: f.service_id,
    otherPartyId: f.other_party_id,
    dueDate: f.due_date,
    status: f.status,
    raisedOn: f.raised_on,
    closedAt: f.closed_at,
    overdue: isOverdue(f.due_date, f.status, today),
    daysOpen: daysOpen(f.raised_on, f.closed_at, today),
  };
}

export function actionDto(a: ActionRow, today: string) {
  return {
    id: a.id,
    ref: a.ref,
    description: a.description,
    owner: a.owner_user_id === null ? null : { id: a.owner_user_id, name: a.owner_name },
    dueDate: a.due_date,
    status: a.status,
    smsChange: a.sms_change === 1,
    round: a.round,
    completedAt: a.completed_at,
    completedOn: a.completed_on,
    completionNote: a.completion_note,
    overdue: isOverdue(a.due_date, a.status, today),
  };
}

export function timelineDto(t: TimelineEntry) {
  return {
    from: t.from_status,
    to: t.to_status,
    requested: t.requested,
    round: t.round,
    fields: t.fields,
    by: { id: t.user_id, name: t.user_name },
    at: t.at,
  };
}

/** A nonconformity with its lifecycle: status, what may come next, actions and the timeline of transitions. */
export function nonconformityDto(
  f: FindingDetail,
  actions: readonly ActionRow[],
  tl: readonly TimelineEntry[],
  today: string,
) {
  return {
    ...findingDto(f, today),
    round: f.round,
    next: nextStatuses(ncStatusOf(f)),
    actions: actions.map((a) => actionDto(a, today)),
    timeline: tl.map(timelineDto),
  };
}

export function ncRegisterDto(r: NcRegisterRow) {
  return {
    id: r.id,
    ref: r.ref,
    organization: { id: r.organization_id, code: r.org_code },
    auditId: r.audit_id,
    requirementId: r.requirement_id,
    clauseId: r.clause_id,
    source: r.source,
    grade: r.grade,
    status: r.status,
    owner: r.owner_user_id === null ? null : { id: r.owner_user_id, name: r.owner_name },
    dueDate: r.due_date,
    raisedOn: r.raised_on,
    closedAt: r.closed_at,
    overdue: r.overdue,
    daysOverdue: r.daysOverdue,
    daysOpen: r.daysOpen,
  };
}

export function actionRegisterDto(r: ActionRegisterRow) {
  return {
    id: r.id,
    ref: r.ref,
    kind: r.kind,
    organization: { id: r.organization_id, code: r.org_code },
    description: r.description,
    status: r.status,
    dueDate: r.due_date,
    owner: r.owner_user_id === null ? null : { id: r.owner_user_id, name: r.owner_name },
    smsChange: r.sms_change === 1,
    outputType: r.output_type,
    nonconformityId: r.finding_id,
    reviewId: r.review_id,
    overdue: r.overdue,
    daysOverdue: r.daysOverdue,
    daysOpen: r.daysOpen,
  };
}
