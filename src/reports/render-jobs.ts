import type { AuditReportModel } from '../../reports/audit-report/model.js';
import type { ReportLang } from '../../reports/lang.js';
import type { ProgrammeModel } from '../../reports/programme/model.js';
import type { ReviewPackModel } from '../../reports/review-inputs/model.js';

/** A document to build from a model already read from the database: plain data, so it can cross to the render thread. */
export type RenderJob =
  | { kind: 'auditReportPdf'; model: AuditReportModel; lang: ReportLang }
  | { kind: 'gapRegisterXlsx'; model: AuditReportModel; lang: ReportLang }
  | { kind: 'questionnaireXlsx'; model: AuditReportModel; lang: 'zh' | 'en' }
  | { kind: 'reviewPackPdf'; model: ReviewPackModel; lang: ReportLang }
  | { kind: 'reviewPackXlsx'; model: ReviewPackModel; lang: ReportLang }
  | { kind: 'programmeScheduleXlsx'; model: ProgrammeModel; lang: 'zh' | 'en' };

export type RenderRequest = { id: number; job: RenderJob };
export type RenderReply = { id: number; bytes: Uint8Array } | { id: number; error: string };
