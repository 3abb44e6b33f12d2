import { parentPort } from 'node:worker_threads';
import { auditReportPdf } from '../../reports/audit-report/pdf.js';
import { gapRegisterWorkbook } from '../../reports/gap-register.js';
import { renderPdf } from '../../reports/pdf/render.js';
import { programmeScheduleWorkbook } from '../../reports/programme/schedule.js';
import { questionnaireWorkbook } from '../../reports/questionnaire/workbook.js';
import { reviewInputsPdf } from '../../reports/review-inputs/pdf.js';
import { reviewInputsWorkbook } from '../../reports/review-inputs/xlsx.js';
import { workbookBuffer } from '../../reports/xlsx/sheet.js';
import type { RenderJob, RenderReply, RenderRequest } from './render-jobs.js';
import { reportTexts, reviewTexts } from './texts.js';

// The render thread (see render-pool.ts): builds documents from models with the pure builders in reports/.

async function render(job: RenderJob): Promise<Buffer> {
  switch (job.kind) {
    case 'auditReportPdf':
      return renderPdf(auditReportPdf(job.model, reportTexts, job.lang));
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
  }
}

const port = parentPort!;
port.on('message', ({ id, job }: RenderRequest) => {
  render(job).then(
    (bytes) => port.postMessage({ id, bytes } satisfies RenderReply),
    (err: unknown) =>
      port.postMessage({
        id,
        error: err instanceof Error ? (err.stack ?? err.message) : String(err),
      } satisfies RenderReply),
  );
});
