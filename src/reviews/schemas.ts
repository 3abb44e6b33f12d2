import { z } from 'zod';
import { REVIEW_INPUTS } from '../domain/management-review.js';
import { ActionOut, id, optionalDate, optionalId, required, text } from '../findings/schemas.js';
import { DateText, Instant } from '../web/api-schemas.js';
import { patchDate } from '../web/validation.js';

const date = z.iso.date({ error: 'findings.errors.date' });
const period = (v: { periodStart?: string | null; periodEnd?: string | null }, ctx: z.RefinementCtx) => {
  if (v.periodStart && v.periodEnd && v.periodStart > v.periodEnd)
    ctx.addIssue({ code: 'custom', path: ['periodEnd'], message: 'reviews.errors.period' });
};

/** A management review: when, who, and the period its inputs cover (default: since the previous review). */
export const ReviewInput = z
  .object({
    title: required(200),
    heldOn: date,
    periodStart: optionalDate,
    periodEnd: optionalDate,
    attendees: text(5000).default(''),
  })
  .superRefine(period);
export type ReviewInput = z.output<typeof ReviewInput>;

const narratives = z.partialRecord(z.enum(REVIEW_INPUTS), text(20000));
export const ReviewUpdate = z
  .object({
    title: required(200).optional(),
    heldOn: date.optional(),
    periodStart: patchDate('findings.errors.date'),
    periodEnd: patchDate('findings.errors.date'),
    attendees: text(5000).optional(),
    minutes: text(50000).optional(),
    narratives: narratives.optional(),
  })
  .superRefine(period);
export type ReviewUpdate = z.output<typeof ReviewUpdate>;

/** The page's form sends each narrative as narrative_<input id>. */
export const ReviewUpdateForm = z.preprocess((raw) => {
  const b = (raw ?? {}) as Record<string, unknown>;
  const n: Record<string, unknown> = {};
  for (const k of REVIEW_INPUTS) if (typeof b[`narrative_${k}`] === 'string') n[k] = b[`narrative_${k}`];
  return { ...b, narratives: n };
}, ReviewUpdate);

/** 9.3: the outputs — decisions on improvement, changes to the SMS, resource needs — become tracked actions. */
export const OUTPUT_TYPES = ['improvement', 'sms_change', 'resource_need'] as const;
export const OutputInput = z.object({
  outputType: z.enum(OUTPUT_TYPES, { error: 'reviews.errors.outputType' }),
  description: required(5000),
  ownerUserId: optionalId,
  dueDate: optionalDate,
});
export type OutputInput = z.output<typeof OutputInput>;

export const FEEDBACK_PARTIES = ['customer', 'interested_party'] as const;
export const FEEDBACK_KINDS = ['complaint', 'compliment', 'suggestion', 'other'] as const;
export const FeedbackInput = z.object({
  receivedOn: date,
  party: z.enum(FEEDBACK_PARTIES),
  partyName: text(200).default(''),
  kind: z.enum(FEEDBACK_KINDS),
  summary: required(5000),
  serviceId: optionalId,
});
export type FeedbackInput = z.output<typeof FeedbackInput>;

export const ReviewParams = z.object({ reviewId: id });
export const FeedbackItemParams = z.object({ orgId: id, itemId: id });

// ---- Answers (the serializer checks them; the OpenAPI document shows them) ----
const int = z.number().int();
export const ReviewSummaryOut = z.object({
  id: int,
  ref: z.string(),
  title: z.string(),
  heldOn: DateText,
  period: z.object({ from: DateText, to: DateText }),
  attendees: z.string(),
  minutes: z.string(),
  narratives: z.record(z.string(), z.string().optional()).describe('Narrative per input, keyed a … l'),
  createdAt: Instant,
  updatedAt: Instant,
});
export const ReviewOut = ReviewSummaryOut.extend({
  outputs: z.array(ActionOut.extend({ outputType: z.string().nullable() })),
});
export const ReviewInputsOut = z.object({
  review: z.object({
    id: int,
    ref: z.string(),
    title: z.string(),
    heldOn: DateText,
    attendees: z.string(),
    organization: z.object({ id: int, name: z.string(), code: z.string() }),
  }),
  generatedAt: Instant,
  pack: z.looseObject({}).describe('The figures of 9.3 a)–l) over the period, as the PDF and workbook show them'),
});
export const FeedbackOut = z.object({
  id: int,
  receivedOn: DateText,
  party: z.string(),
  partyName: z.string(),
  kind: z.string(),
  summary: z.string(),
  service: z.object({ id: int, name: z.string().nullable() }).nullable(),
});
