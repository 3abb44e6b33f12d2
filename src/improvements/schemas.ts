import { DateText, Instant, UserRef } from '../web/api-schemas.js';
import { z } from 'zod';
import {
  DECISIONS,
  IMPROVEMENT_SOURCES,
  IMPROVEMENT_STATUSES,
  PRIORITIES,
  TARGET_DIMENSIONS,
  TARGET_MET,
} from '../domain/improvement.js';
import { boolish, id, optionalDate, optionalId, required, text } from '../findings/schemas.js';

/** HTML forms send one checkbox value as a string and several as an array. */
const many = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]), z.array(item));

export const ImprovementInput = z.object({
  title: required(200),
  description: text(10000).default(''),
  source: z.enum(IMPROVEMENT_SOURCES, { error: 'reviews.improvement.errors.source' }),
  findingId: optionalId,
  reviewId: optionalId,
  evaluationCriteria: text(5000).default(''),
  decision: z.enum(DECISIONS).default('pending'),
  decisionNotes: text(5000).default(''),
  targets: many(z.enum(TARGET_DIMENSIONS, { error: 'reviews.improvement.errors.target' })).default([]),
  target: text(5000).default(''),
  priority: z.enum(PRIORITIES).default('medium'),
  plan: text(10000).default(''),
  ownerUserId: optionalId,
  dueDate: optionalDate,
  status: z.enum(IMPROVEMENT_STATUSES).default('proposed'),
  measuredResult: text(5000).default(''),
  targetMet: z.enum(TARGET_MET).default(''),
  smsChange: boolish.transform((v) => v === true),
});
export type ImprovementInput = z.output<typeof ImprovementInput>;

export const ImprovementParams = z.object({ improvementId: id });
export const NewImprovementQuery = z.object({ findingId: optionalId, reviewId: optionalId });

// ---- Answers (the serializer checks them; the OpenAPI document shows them) ----
const RefOut = z.object({ id: z.number().int(), ref: z.string().nullable() });
export const ImprovementOut = z.object({
  id: z.number().int(),
  ref: z.string(),
  title: z.string(),
  description: z.string(),
  source: z.string(),
  finding: RefOut.nullable(),
  review: RefOut.nullable(),
  evaluationCriteria: z.string(),
  decision: z.string().nullable(),
  decisionNotes: z.string(),
  targets: z.array(z.string()),
  target: z.string(),
  priority: z.string(),
  plan: z.string(),
  owner: UserRef.nullable(),
  dueDate: DateText.nullable(),
  status: z.string(),
  measuredResult: z.string(),
  targetMet: z.string().nullable(),
  smsChange: z.boolean(),
  createdAt: Instant,
});
