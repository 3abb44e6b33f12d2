import type { AuditReportModel } from '../../reports/audit-report/model.js';
import type { ReportLang } from '../../reports/lang.js';
import type { RawQuestionnaire } from '../../reports/questionnaire/read.js';
import type { UnpackLimits, UnpackRefusal } from '../../reports/xlsx/unpack-guard.js';
import type { ProgrammeModel } from '../../reports/programme/model.js';
import type { AuditPlanModel } from '../../reports/plan/model.js';
import type { ReviewPackModel } from '../../reports/review-inputs/model.js';
import type { ClientsWorkbookModel } from '../../reports/clients/xlsx.js';
import type { EvidenceRequestsModel } from '../../reports/evidence-requests/layout.js';
import type { RawRequestList } from '../../reports/evidence-requests/read.js';

/** A document to build from a model already read from the database: plain data, so it can cross to the render thread. */
export type RenderJob =
  | { kind: 'auditReportPdf'; model: AuditReportModel; lang: ReportLang }
  | { kind: 'auditReportDocx'; model: AuditReportModel; lang: ReportLang }
  | { kind: 'gapRegisterXlsx'; model: AuditReportModel; lang: ReportLang }
  | { kind: 'questionnaireXlsx'; model: AuditReportModel; lang: 'zh' | 'en' }
  | { kind: 'reviewPackPdf'; model: ReviewPackModel; lang: ReportLang }
  | { kind: 'reviewPackXlsx'; model: ReviewPackModel; lang: ReportLang }
  | { kind: 'programmeScheduleXlsx'; model: ProgrammeModel; lang: 'zh' | 'en' }
  | { kind: 'auditPlanPdf'; model: AuditPlanModel; lang: 'zh' | 'en' }
  | { kind: 'clientsXlsx'; model: ClientsWorkbookModel; lang: 'zh' | 'en' }
  | { kind: 'evidenceRequestsXlsx'; model: EvidenceRequestsModel };

/** A workbook to read (an upload): checked against its limits, then parsed, on the render thread. */
export type ReadJob = { kind: 'readQuestionnaire'; bytes: Uint8Array; limits: UnpackLimits };
/** What reading gives back: plain data (the meta rows' positions are looked up again on the serving thread). */
export type ReadResult =
  | { ok: true; questionnaire: Omit<RawQuestionnaire, 'metaRow'> }
  | { ok: false; refusal: UnpackRefusal | { kind: 'notQuestionnaire' } };

/** An uploaded evidence request list (issue 18): the same limits, then its rows. */
export type ReadRequestsJob = { kind: 'readEvidenceRequests'; bytes: Uint8Array; limits: UnpackLimits };
export type ReadRequestsResult =
  | { ok: true; list: RawRequestList }
  | { ok: false; refusal: UnpackRefusal | { kind: 'notRequestList' } };

export type RenderRequest = { id: number; job: RenderJob | ReadJob | ReadRequestsJob };
export type RenderReply =
  | { id: number; bytes: Uint8Array }
  | { id: number; value: ReadResult | ReadRequestsResult }
  | { id: number; error: string };
