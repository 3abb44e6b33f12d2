import { z } from 'zod';
import { SESSION_KINDS, nameList } from '../domain/audit-plan.js';
import { Code, DateText, Instant } from '../web/api-schemas.js';
import { dbId } from '../web/validation.js';

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'plan.errors.time' });
const clauseId = z.string().regex(/^([4-9]|10)(\.\d+)*$/, { error: 'errors.clauseId' });
const name = z.string().trim().min(1).max(200, { error: 'errors.tooLong' });
/** A form sends one value as a string, several as an array, none as nothing; a text area sends names one per line. */
const many = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]), z.array(item).max(200));
const names = z.preprocess(
  (v) => (typeof v === 'string' ? nameList(v) : v === undefined ? [] : v),
  z.array(name).max(200),
);
const clauses = z.preprocess(
  (v) => (typeof v === 'string' ? v.split(/[\s,，、;；]+/).filter(Boolean) : v === undefined ? [] : v),
  z.array(clauseId).max(100),
);

const fields = {
  kind: z.enum(SESSION_KINDS, { error: 'plan.errors.kind' }),
  date: z.iso.date({ error: 'errors.date' }),
  start: time,
  end: time,
  place: z.string().trim().max(300, { error: 'errors.tooLong' }),
  clauses,
  processIds: many(dbId),
  auditorIds: many(dbId),
  auditees: names,
  attendance: names,
};

const endAfterStart = (s: { start?: string; end?: string }) => !s.start || !s.end || s.end > s.start;
const endMessage = { error: 'plan.errors.endBeforeStart', path: ['end'] };

export const SessionInput = z
  .object({
    ...fields,
    kind: fields.kind.default('session'),
    place: fields.place.default(''),
    clauses: fields.clauses.default([]),
    processIds: fields.processIds.default([]),
    auditorIds: fields.auditorIds.default([]),
    auditees: fields.auditees.default([]),
    attendance: fields.attendance.default([]),
  })
  .refine(endAfterStart, endMessage);
export type SessionInput = z.infer<typeof SessionInput>;

export const SessionPatch = z
  .object({
    kind: fields.kind.optional(),
    date: fields.date.optional(),
    start: fields.start.optional(),
    end: fields.end.optional(),
    place: fields.place.optional(),
    clauses: fields.clauses.optional(),
    processIds: fields.processIds.optional(),
    auditorIds: fields.auditorIds.optional(),
    auditees: fields.auditees.optional(),
    attendance: fields.attendance.optional(),
  })
  .refine(endAfterStart, endMessage);
export type SessionPatch = z.infer<typeof SessionPatch>;

export const PlanParams = z.object({ auditId: dbId });
export const SessionParams = z.object({ auditId: dbId, sessionId: dbId });
export const PlanDocQuery = z.object({ lang: z.enum(['zh', 'en']).optional() });

// ---- Answers (the serializer checks them; the OpenAPI document shows them) ----
const int = z.number().int();
export const SessionOut = z.object({
  id: int,
  kind: Code(SESSION_KINDS),
  date: DateText,
  start: z.string().describe('HH:MM'),
  end: z.string().describe('HH:MM'),
  place: z.string(),
  clauses: z.array(z.string()),
  processIds: z.array(int),
  auditorIds: z.array(int),
  auditees: z.array(z.string()),
  attendance: z.array(z.string()),
});
export const SharedOut = z.object({
  firstAt: Instant.nullable(),
  lastAt: Instant.nullable(),
  lastBy: z.string().nullable(),
  times: int,
});
export const PlanOut = z.object({
  auditId: int,
  sharedAt: Instant.nullable(),
  sessions: z.array(SessionOut),
  deviations: z.array(
    z.object({
      sessionId: int,
      action: z.enum(['create', 'update', 'delete']),
      before: SessionOut.nullable(),
      after: SessionOut.nullable(),
      fields: z.array(z.string()),
      changedBy: z.string().nullable(),
      changedAt: Instant,
    }),
  ),
});
