import { z } from 'zod';
import { DateText, Instant, UserRef } from '../web/api-schemas.js';
import { ACTION_STATUSES, GRADES, NC_STATUSES } from '../domain/nonconformity.js';

export const FINDING_KINDS = ['nonconformity', 'observation', 'ofi'] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];
export const OTHER_SOURCES = ['incident', 'complaint', 'monitoring', 'management_review', 'external_audit'] as const;

/** A row id: bounded to PostgreSQL's 32-bit integer, so a larger number is invalid input rather than a database error. */
export const id = z.coerce.number().int().positive().max(2_147_483_647);
export const text = (max: number) => z.string().trim().max(max, { error: 'errors.tooLong' });
export const required = (max: number) => text(max).min(1, { error: 'errors.required' });
/** An optional id from a form (empty string) or JSON (null / absent). */
export const optionalId = z
  .union([id, z.literal(''), z.null()])
  .optional()
  .transform((v) => (v ? v : null));
export const optionalDate = z
  .union([z.literal(''), z.null(), z.iso.date({ error: 'findings.errors.date' })])
  .optional()
  .transform((v) => v || null);
/** JSON booleans, and what HTML checkboxes and radios send. */
export const boolish = z
  .union([z.boolean(), z.enum(['on', 'true', 'false', 'yes', 'no', '1', '0', ''])])
  .optional()
  .transform((v) =>
    v === undefined || v === '' ? undefined : v === true || v === 'on' || v === 'true' || v === 'yes' || v === '1',
  );
const requirementId = z
  .string()
  .trim()
  .regex(/^\d+(\.\d+)*-\d+$/, { error: 'findings.errors.requirementId' });
const clauseId = z
  .string()
  .trim()
  .regex(/^([4-9]|10)(\.\d+)*$/, { error: 'errors.clauseId' });

/** The three parts of a nonconformity statement: the requirement, the evidence seen, what was not met. */
export const Statement = z.object({
  requirement: required(5000),
  evidence: required(20000),
  nonconformity: required(5000),
});

const findingFields = {
  kind: z.enum(FINDING_KINDS, { error: 'findings.errors.kind' }),
  grade: z
    .union([z.enum(GRADES, { error: 'findings.errors.grade' }), z.literal(''), z.null()])
    .optional()
    .transform((v) => v || null),
  statement: Statement,
  ownerUserId: optionalId,
  processId: optionalId,
  serviceId: optionalId,
  otherPartyId: optionalId,
  dueDate: optionalDate,
};
type Graded = { kind: string; grade: string | null };
const gradeRule = (v: Graded, ctx: z.RefinementCtx) => {
  if (v.kind === 'nonconformity' && !v.grade)
    ctx.addIssue({ code: 'custom', path: ['grade'], message: 'findings.errors.gradeRequired' });
};
/** Observations and OFIs are not graded: a grade sent with them is dropped. */
const dropGrade = <T extends Graded>(v: T): T => (v.kind === 'nonconformity' ? v : { ...v, grade: null });

/** A finding raised from an audit's checklist item (API contract: requirementId, kind, grade, statement). */
export const AuditFindingInput = z
  .object({ requirementId, ...findingFields })
  .superRefine(gradeRule)
  .transform(dropGrade);
export type AuditFindingInput = z.output<typeof AuditFindingInput>;

/** A finding from another source: incident, complaint, monitoring and measurement, management review, external audit. */
export const OrgFindingInput = z
  .object({
    source: z.enum(OTHER_SOURCES, { error: 'findings.errors.source' }),
    sourceReference: text(200).default(''),
    requirementId: z
      .union([requirementId, z.literal(''), z.null()])
      .optional()
      .transform((v) => v || null),
    clauseId: z
      .union([clauseId, z.literal(''), z.null()])
      .optional()
      .transform((v) => v || null),
    ...findingFields,
  })
  .superRefine(gradeRule)
  .transform(dropGrade);
export type OrgFindingInput = z.output<typeof OrgFindingInput>;

/** HTML forms send the statement as three flat fields. */
const unflatten = (raw: unknown) => {
  const b = (raw ?? {}) as Record<string, unknown>;
  return {
    ...b,
    statement: {
      requirement: b.statementRequirement,
      evidence: b.statementEvidence,
      nonconformity: b.statementNonconformity,
    },
  };
};
export const AuditFindingForm = z.preprocess(unflatten, AuditFindingInput);
export const OrgFindingForm = z.preprocess(unflatten, OrgFindingInput);

const PlannedActionInput = z.object({
  description: z.string().max(5000, { error: 'errors.tooLong' }).optional(),
  ownerUserId: z
    .union([id, z.literal(''), z.null()])
    .optional()
    .transform((v) => (v === '' ? null : v)),
  dueDate: z.string().max(20).nullable().optional(),
  smsChange: boolish,
});

const long = z.string().max(20000, { error: 'errors.tooLong' }).optional();
/** A transition request. What each target requires is decided by the lifecycle (src/domain/nonconformity.ts). */
export const TransitionInput = z.object({
  to: z.enum(NC_STATUSES, { error: 'findings.errors.transitionTarget' }),
  correction: long,
  consequences: long,
  method: z.string().max(40).optional(),
  cause: long,
  similar: z.string().max(40).optional(),
  similarWhere: long,
  actions: z.array(PlannedActionInput).max(20).optional(),
  note: long,
  effective: boolish,
  verification: long,
  smsChangeReference: z.string().max(500, { error: 'errors.tooLong' }).optional(),
  reason: long,
});
export type TransitionInput = z.output<typeof TransitionInput>;

/** The page's transition form: up to three action rows as a0_description, a0_owner, a0_due, a0_sms … */
export const ACTION_ROWS = 3;
/** The filled action rows of a page form (a row with a description, owner or due date counts). */
export function actionRows(b: Record<string, string | undefined>) {
  const actions = [];
  for (let i = 0; i < ACTION_ROWS; i++) {
    const row = {
      description: b[`a${i}_description`],
      ownerUserId: b[`a${i}_owner`],
      dueDate: b[`a${i}_due`],
      smsChange: b[`a${i}_sms`],
    };
    if ([row.description, row.ownerUserId, row.dueDate].some((v) => v !== undefined && v.trim() !== ''))
      actions.push(row);
  }
  return actions;
}
export const TransitionForm = z.preprocess((raw) => {
  const b = (raw ?? {}) as Record<string, string | undefined>;
  return { ...b, actions: b.to === 'actions_planned' ? actionRows(b) : undefined };
}, TransitionInput);

/** Changes to who and what a finding concerns, and its due date: an absent field stays as it was, empty clears it. */
const patchId = z
  .union([id, z.literal(''), z.null()])
  .optional()
  .transform((v) => (v === undefined ? undefined : v || null));
export const FindingDetailsInput = z.object({
  ownerUserId: patchId,
  processId: patchId,
  serviceId: patchId,
  otherPartyId: patchId,
  dueDate: z
    .union([z.literal(''), z.null(), z.iso.date({ error: 'findings.errors.date' })])
    .optional()
    .transform((v) => (v === undefined ? undefined : v || null)),
});
export type FindingDetailsInput = z.output<typeof FindingDetailsInput>;

export const ActionStatusInput = z.object({
  status: z.enum(ACTION_STATUSES, { error: 'findings.errors.actionStatus' }),
});

export const SettingsInput = z.object({
  majorDueDays: z.coerce
    .number({ error: 'findings.errors.days' })
    .int({ error: 'findings.errors.days' })
    .min(1, { error: 'findings.errors.days' })
    .max(365, { error: 'findings.errors.days' }),
  minorDueDays: z.coerce
    .number({ error: 'findings.errors.days' })
    .int({ error: 'findings.errors.days' })
    .min(1, { error: 'findings.errors.days' })
    .max(365, { error: 'findings.errors.days' }),
  proposalDueDays: z.coerce
    .number({ error: 'findings.errors.days' })
    .int({ error: 'findings.errors.days' })
    .min(1, { error: 'findings.errors.days' })
    .max(365, { error: 'findings.errors.days' })
    .optional(),
});

const flag = z
  .enum(['1', 'true', 'on', ''])
  .optional()
  .transform((v) => v === '1' || v === 'true' || v === 'on');
const optionalQueryId = z
  .union([id, z.literal('')])
  .optional()
  .transform((v) => (v ? v : undefined));
/** Register filters (query string), shared by pages and API. */
export const RegisterQuery = z.object({
  org: optionalQueryId,
  audit: optionalQueryId,
  clause: z
    .union([clauseId, z.literal('')])
    .optional()
    .transform((v) => v || undefined),
  grade: z
    .union([z.enum(GRADES), z.literal('')])
    .optional()
    .transform((v) => v || undefined),
  status: z
    .string()
    .max(40)
    .optional()
    .transform((v) => v || undefined),
  owner: optionalQueryId,
  overdue: flag,
  mine: flag,
});
export type RegisterQuery = z.output<typeof RegisterQuery>;
/** The register pages across organisations, when there are too many to list: an organisation's short code. */
export const OrgCodeQuery = z.object({
  orgCode: z
    .string()
    .trim()
    .max(40)
    .optional()
    .catch(undefined)
    .transform((v) => v || undefined),
});
/** A register page number (the pages only; the API gives every row). Nonsense falls back to the first page. */
export const PageQuery = z.object({ page: z.coerce.number().int().min(1).max(1_000_000).catch(1).default(1) });
/**
 * A place in the nonconformity register's order, as the page links carry it: `<raised on>.<id>` of the row the page
 * continues from (`after`: the next, older rows; `before`: the previous, newer ones). Nonsense is ignored (first page).
 */
const ncCursor = z
  .string()
  .regex(/^[0-9-]{1,32}\.[1-9][0-9]{0,14}$/)
  .transform((v) => {
    const dot = v.lastIndexOf('.');
    return { raisedOn: v.slice(0, dot), id: Number(v.slice(dot + 1)) };
  })
  .optional()
  .catch(undefined);
export const NcCursorQuery = z.object({ after: ncCursor, before: ncCursor });

export const DraftQuery = z.object({ requirementId: requirementId.optional() });
export const AuditParams = z.object({ auditId: id });
export const FindingParams = z.object({ findingId: id });
export const NcParams = z.object({ nonconformityId: id });
export const ActionParams = z.object({ actionId: id });

// ---- Answers (the serializer checks them; the OpenAPI document shows them) ----
const int = z.number().int();
const OrgRef = z.object({ id: int, code: z.string() });
export const FindingOut = z.object({
  id: int,
  ref: z.string(),
  organizationId: int,
  auditId: int.nullable(),
  requirementId: z.string().nullable(),
  clauseId: z.string().nullable(),
  source: z.string(),
  sourceReference: z.string(),
  kind: z.string().describe('nonconformity | observation | ofi'),
  grade: z.string().nullable().describe('major | minor, for a nonconformity'),
  statement: z.object({ requirement: z.string(), evidence: z.string(), nonconformity: z.string() }),
  owner: UserRef.nullable(),
  processId: int.nullable(),
  serviceId: int.nullable(),
  otherPartyId: int.nullable(),
  dueDate: DateText.nullable(),
  status: z.string(),
  raisedOn: DateText,
  closedAt: Instant.nullable(),
  overdue: z.boolean(),
  daysOpen: int,
});
export const ActionOut = z.object({
  id: int,
  ref: z.string(),
  description: z.string(),
  owner: UserRef.nullable(),
  dueDate: DateText.nullable(),
  status: z.string(),
  smsChange: z.boolean(),
  round: int,
  completedAt: Instant.nullable(),
  completedOn: DateText.nullable(),
  completionNote: z.string(),
  overdue: z.boolean(),
});
export const NonconformityOut = FindingOut.extend({
  round: int,
  next: z.array(z.string()).describe('The statuses this nonconformity may move to'),
  actions: z.array(ActionOut.extend({ evidence: z.array(z.object({ id: int, title: z.string() })) })),
  timeline: z.array(
    z.object({
      from: z.string().nullable(),
      to: z.string(),
      requested: z.string().nullable(),
      round: int,
      fields: z.record(z.string(), z.unknown()),
      by: z.object({ id: int.nullable(), name: z.string().nullable() }),
      at: Instant,
    }),
  ),
  acknowledgedAt: Instant.nullable(),
  proposalDue: DateText.nullable(),
  proposalOverdue: z.boolean(),
  nextStep: z.object({
    moves: z.array(z.string()),
    waitingFor: z.string().nullable(),
    names: z.array(z.string()),
  }),
});
export const NcRegisterOut = z.object({
  id: int,
  ref: z.string(),
  organization: OrgRef,
  auditId: int.nullable(),
  requirementId: z.string().nullable(),
  clauseId: z.string().nullable(),
  source: z.string(),
  grade: z.string().nullable(),
  status: z.string(),
  owner: UserRef.nullable(),
  dueDate: DateText.nullable(),
  raisedOn: DateText,
  closedAt: Instant.nullable(),
  overdue: z.boolean(),
  daysOverdue: int,
  daysOpen: int,
});
export const ActionRegisterOut = z.object({
  id: int,
  ref: z.string(),
  kind: z.string(),
  organization: OrgRef,
  description: z.string(),
  status: z.string(),
  dueDate: DateText.nullable(),
  owner: UserRef.nullable(),
  smsChange: z.boolean(),
  outputType: z.string().nullable(),
  nonconformityId: int.nullable(),
  reviewId: int.nullable(),
  overdue: z.boolean(),
  daysOverdue: int,
  daysOpen: int,
});
export const DueSettingsOut = z.object({ majorDueDays: int, minorDueDays: int, proposalDueDays: int });
