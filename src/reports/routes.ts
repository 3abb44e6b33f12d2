import type { FastifyInstance } from 'fastify';
import { clientRoutes } from '../clients/routes.js';
import { auditReportRoutes } from './audit-routes.js';
import { RenderPool } from './render-pool.js';
import { auditPlanRoutes } from './plan-routes.js';
import { reportPages } from './pages.js';
import { programmeReportRoutes } from './programme-routes.js';
import { questionnaireRoutes } from './questionnaire-routes.js';
import { registerRoutes } from './register-routes.js';
import { reviewReportRoutes } from './review-routes.js';
import { requestExcelRoutes } from '../requests/excel-routes.js';

/** Reports and exports: documents that leave the tool (PDF, Excel, iCalendar). */
export async function reportRoutes(app: FastifyInstance) {
  // PDFs and workbooks are built on a render thread, which loads pdfmake, exceljs and the CJK fonts when first asked;
  // the streamed register export and the questionnaire upload load exceljs on first use too (not at start-up).
  const renderer = new RenderPool();
  app.addHook('onClose', () => renderer.close());
  await app.register(auditReportRoutes, { renderer });
  await app.register(questionnaireRoutes, { renderer });
  await app.register(auditPlanRoutes, { renderer });
  await app.register(registerRoutes);
  await app.register(reviewReportRoutes, { renderer });
  await app.register(programmeReportRoutes, { renderer });
  await app.register(reportPages);
  await app.register(clientRoutes, { renderer });
  // The evidence request list in Excel (issue 18), on the same render thread.
  await app.register(requestExcelRoutes, { renderer });
}
