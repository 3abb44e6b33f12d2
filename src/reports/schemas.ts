import { z } from 'zod';
import { REPORT_LANGS } from '../../reports/lang.js';
import { MAX_ID } from '../db/ids.js';
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
export const ProgrammeQuery = z.object({
  programmeId: id.optional(),
  /** An API token, for calendar apps that cannot send headers (only on the .ics feed). */
  token: z.string().max(200).optional(),
});
