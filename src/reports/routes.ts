import type { FastifyInstance } from 'fastify';
import { auditReportRoutes } from './audit-routes.js';
import { reportPages } from './pages.js';
import { programmeReportRoutes } from './programme-routes.js';
import { questionnaireRoutes } from './questionnaire-routes.js';
import { registerRoutes } from './register-routes.js';
import { reviewReportRoutes } from './review-routes.js';

/** Reports and exports: documents that leave the tool (PDF, Excel, iCalendar). */
export async function reportRoutes(app: FastifyInstance) {
  // exceljs and pdfmake (with the CJK fonts, ~21 MB) are loaded by the first report that needs them, not at start-up:
  // they cost ~0.3 s of start-up and ~80 MB of memory that a process serving pages never uses.
  await app.register(auditReportRoutes);
  await app.register(questionnaireRoutes);
  await app.register(registerRoutes);
  await app.register(reviewReportRoutes);
  await app.register(programmeReportRoutes);
  await app.register(reportPages);
}
