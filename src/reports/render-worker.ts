import { parentPort } from 'node:worker_threads';
import { Packer } from 'docx';
import { auditReportDocx } from '../../reports/audit-report/docx.js';
import { auditReportPdf } from '../../reports/audit-report/pdf.js';
import { clientsWorkbook } from '../../reports/clients/xlsx.js';
import { gapRegisterWorkbook } from '../../reports/gap-register.js';
import { renderPdf } from '../../reports/pdf/render.js';
import { auditPlanPdf } from '../../reports/plan/pdf.js';
import { programmeScheduleWorkbook } from '../../reports/programme/schedule.js';
import { questionnaireWorkbook } from '../../reports/questionnaire/workbook.js';
import { reviewInputsPdf } from '../../reports/review-inputs/pdf.js';
import { reviewInputsWorkbook } from '../../reports/review-inputs/xlsx.js';
import { workbookBuffer } from '../../reports/xlsx/sheet.js';
import { NotAQuestionnaire, readQuestionnaire } from '../../reports/questionnaire/read.js';
import { checkWorkbookArchive } from '../../reports/xlsx/unpack-guard.js';
import { evidenceRequestsWorkbook } from '../../reports/evidence-requests/workbook.js';
import { NotARequestList, readRequestList } from '../../reports/evidence-requests/read.js';
import type {
  ReadJob,
  ReadRequestsJob,
  ReadRequestsResult,
  ReadResult,
  RenderJob,
  RenderReply,
  RenderRequest,
} from './render-jobs.js';
import { planText, reportTexts, reviewTexts } from './texts.js';

// The render thread (see render-pool.ts): builds documents from models with the pure builders in reports/.

async function render(job: RenderJob): Promise<Buffer> {
  switch (job.kind) {
    case 'auditReportPdf':
      return renderPdf(auditReportPdf(job.model, reportTexts, job.lang));
    case 'auditReportDocx':
      return Packer.toBuffer(auditReportDocx(job.model, reportTexts, job.lang));
    case 'gapRegisterXlsx':
      return workbookBuffer(gapRegisterWorkbook(job.model, reportTexts, job.lang));
    case 'questionnaireXlsx':
      return workbookBuffer(await questionnaireWorkbook(job.model, reportTexts, job.lang));
    case 'reviewPackPdf':
      return renderPdf(reviewInputsPdf(job.model, reportTexts, reviewTexts, job.lang));
    case 'reviewPackXlsx':
      return workbookBuffer(reviewInputsWorkbook(job.model, reportTexts, reviewTexts, job.lang));
    case 'programmeScheduleXlsx':
      return workbookBuffer(programmeScheduleWorkbook(job.model, reportTexts, job.lang));
    case 'auditPlanPdf':
      return renderPdf(auditPlanPdf(job.model, planText(job.lang), job.lang));
    case 'clientsXlsx':
      return workbookBuffer(clientsWorkbook(job.model));
    case 'evidenceRequestsXlsx':
      return workbookBuffer(evidenceRequestsWorkbook(job.model));
  }
}

/** An uploaded workbook: refused before parsing when it unpacks beyond its limits (see unpack-guard.ts). */
async function read(job: ReadJob): Promise<ReadResult> {
  const buf = Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength);
  const refusal = checkWorkbookArchive(buf, job.limits);
  if (refusal) return { ok: false, refusal: refusal.kind === 'notZip' ? { kind: 'notQuestionnaire' } : refusal };
  try {
    const { metaRow: _, ...questionnaire } = await readQuestionnaire(buf);
    return { ok: true, questionnaire };
  } catch (e) {
    if (e instanceof NotAQuestionnaire) return { ok: false, refusal: { kind: 'notQuestionnaire' } };
    throw e;
  }
}

/** An uploaded evidence request list: the same unpack limits, then its rows (issue 18). */
async function readRequests(job: ReadRequestsJob): Promise<ReadRequestsResult> {
  const buf = Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength);
  const refusal = checkWorkbookArchive(buf, job.limits);
  if (refusal) return { ok: false, refusal: refusal.kind === 'notZip' ? { kind: 'notRequestList' } : refusal };
  try {
    return { ok: true, list: await readRequestList(buf) };
  } catch (e) {
    if (e instanceof NotARequestList) return { ok: false, refusal: { kind: 'notRequestList' } };
    throw e;
  }
}

const port = parentPort!;
port.on('message', ({ id, job }: RenderRequest) => {
  const work: Promise<RenderReply> =
    job.kind === 'readQuestionnaire'
      ? read(job).then((value) => ({ id, value }))
      : job.kind === 'readEvidenceRequests'
        ? readRequests(job).then((value) => ({ id, value }))
        : render(job).then((bytes) => ({ id, bytes }));
  work.then(
    (reply) => port.postMessage(reply),
    (err: unknown) =>
      port.postMessage({
        id,
        error: err instanceof Error ? (err.stack ?? err.message) : String(err),
      } satisfies RenderReply),
  );
});
