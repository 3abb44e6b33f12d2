import { z } from 'zod';
import { REPORT_LANGS } from '../../reports/lang.js';
import { MAX_ID } from '../db/ids.js';
import { VERDICTS } from '../domain/verdicts.js';
import { ErrorBody } from '../web/openapi.js';
import { dbId as id } from '../web/validation.js';

export const AuditParams = z.object({ auditId: id });
export const ReviewParams = z.object({ reviewId: id });
/** A previewed upload waiting for confirmation (its changes stay on the server). */
export const ConfirmInput = z.object({
  importId: z.string().regex(/^[a-f0-9]{32}$/, { error: 'reports.questionnaire.expired' }),
});

export const ReportQuery = z.object({
  lang: z.enum(REPORT_LANGS).optional(),
  /** An earlier issued revision: its frozen report. */
  revision: z.coerce.number().int().min(0).max(MAX_ID).optional(),
});
export const WorkbookQuery = z.object({ lang: z.enum(REPORT_LANGS).optional() });
/** A document written in one language: the reader's (their setting, else Accept-Language) unless `lang` names one. */
export const OneLang = z
  .enum(['zh', 'en'])
  .optional()
  .describe("The document's language; without it, the user's language setting, else the Accept-Language header");
export const OneLangQuery = z.object({ lang: OneLang });
export const ProgrammeQuery = z.object({
  programmeId: id.optional(),
  lang: OneLang,
  /** An API token, for calendar apps that cannot send headers (only on the .ics feed). */
  token: z.string().max(200).optional(),
});

// ---- Answers of the questionnaire upload (the serializer checks them; the OpenAPI document shows them) ----
const AnswerOut = z.object({
  verdict: z.enum(VERDICTS),
  level: z.number().int().nullable(),
  notes: z.string(),
});
const ChangeOut = z.object({
  requirementId: z.string(),
  version: z.number().int(),
  before: AnswerOut,
  after: AnswerOut,
});
export const UploadOut = z.union([
  z.object({
    importId: z.string().describe('Confirm with POST …/questionnaire/confirm'),
    rows: z.number().int(),
    changes: z.array(ChangeOut),
  }),
  z.object({ applied: z.number().int(), changes: z.array(ChangeOut) }),
]);
export const ConfirmOut = z.object({ applied: z.number().int() });
/** 422 of an upload: every row error with its sheet and row (absent when the request itself did not validate). */
export const UploadRejected = ErrorBody.extend({
  errors: z.array(z.object({ sheet: z.string(), row: z.number().int(), message: z.string() })).optional(),
});
