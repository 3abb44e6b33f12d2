import { z } from 'zod';
import { REQUEST_STATUSES, REVIEW_MOVES } from '../domain/evidence-request.js';
import { Code, DateText, Instant } from '../web/api-schemas.js';
import { dbId } from '../web/validation.js';

// Evidence requests (issue 18): what an auditor asks, what the addressee answers, and the auditor's decision.

const RequirementId = z
  .string()
  .trim()
  .regex(/^([4-9]|10)(\.\d+)*-\d+$/, { error: 'requests.errors.requirementId' });

/** One or more checklist items: an array, or text with the ids separated by commas, blanks or 、 (a form field). */
const RequirementIds = z
  .union([z.array(z.string()), z.string()], { error: 'requests.errors.requirementIds' })
  .transform((v) => [
    ...new Set((Array.isArray(v) ? v : v.split(/[\s,，、;；]+/)).map((s) => s.trim()).filter(Boolean)),
  ])
  .pipe(
    z
      .array(RequirementId)
      .min(1, { error: 'requests.errors.requirementIds' })
      .max(20, { error: 'requests.errors.tooManyItems' }),
  );

export const RequestInput = z.object({
  requirementIds: RequirementIds,
  need: z
    .string({ error: 'errors.required' })
    .trim()
    .min(1, { error: 'errors.required' })
    .max(2000, { error: 'errors.tooLong' }),
  addresseeId: dbId,
  dueDate: z.iso.date({ error: 'requests.errors.dueDate' }),
});
export type RequestInput = z.output<typeof RequestInput>;

/** The API takes one request or several at once (a list is created all or nothing). */
export const RequestsInput = z.union([RequestInput, z.array(RequestInput).min(1).max(100)]);

export const RequestPatch = z.object({
  requirementIds: RequirementIds.optional(),
  need: z.string().trim().min(1, { error: 'errors.required' }).max(2000, { error: 'errors.tooLong' }).optional(),
  addresseeId: dbId.optional(),
  dueDate: z.iso.date({ error: 'requests.errors.dueDate' }).optional(),
});
export type RequestPatch = z.output<typeof RequestPatch>;

/** Evidence ids: a list, or text with the ids separated by commas (a multipart field). */
const EvidenceIds = z
  .union([z.array(dbId), dbId, z.string()])
  .optional()
  .transform((v, ctx) => {
    if (v === undefined) return [];
    if (typeof v === 'number') return [v];
    if (Array.isArray(v)) return [...new Set(v)];
    const parts = v.split(/[\s,]+/).filter(Boolean);
    const ids = parts.map(Number);
    if (ids.some((n) => !Number.isSafeInteger(n) || n <= 0 || n > 2_147_483_647)) {
      ctx.addIssue({ code: 'custom', message: 'requests.errors.evidenceIds' });
      return z.NEVER;
    }
    return [...new Set(ids)];
  })
  .pipe(z.array(z.number()).max(20, { error: 'requests.errors.tooManyEvidence' }));

export const AnswerInput = z.object({
  note: z.string().trim().max(5000, { error: 'errors.tooLong' }).default(''),
  evidenceIds: EvidenceIds,
  /** The title of an uploaded file in the library (its file name when left empty). */
  title: z.string().trim().max(300, { error: 'errors.tooLong' }).default(''),
});
export type AnswerInput = z.output<typeof AnswerInput>;

export const TransitionInput = z.object({
  action: z.enum(REVIEW_MOVES, { error: 'requests.errors.action' }),
  comment: z.string().trim().max(5000, { error: 'errors.tooLong' }).default(''),
});
export type TransitionInput = z.output<typeof TransitionInput>;

export const AuditParams = z.object({ auditId: dbId });
export const RequestParams = z.object({ requestId: dbId });

// ---- Answers ----
const int = z.number().int();
const Person = z.object({ id: int, name: z.string(), email: z.string() });
export const AnswerOut = z.object({
  id: int,
  note: z.string(),
  answeredBy: z.object({ id: int, name: z.string() }).nullable(),
  answeredAt: Instant,
  decision: Code(['pending', 'accepted', 'returned', 'withdrawn']),
  comment: z.string(),
  decidedAt: Instant.nullable(),
  evidence: z.array(z.object({ id: int, title: z.string() })),
});
export const RequestOut = z.object({
  id: int,
  auditId: int,
  ref: z.string(),
  requirementIds: z.array(z.string()),
  need: z.string(),
  addressee: Person,
  dueDate: DateText,
  overdue: z.boolean(),
  status: Code(REQUEST_STATUSES),
  createdAt: Instant,
  updatedAt: Instant,
  answers: z.array(AnswerOut),
});
