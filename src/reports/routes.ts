import type { FastifyInstance } from 'fastify';
import { warmUp } from '../../reports/pdf/render.js';
import { auditReportRoutes } from './audit-routes.js';
import { reportPages } from './pages.js';
import { programmeReportRoutes } from './programme-routes.js';
import { questionnaireRoutes } from './questionnaire-routes.js';
import { registerRoutes } from './register-routes.js';
import { reviewReportRoutes } from './review-routes.js';

/** Reports and exports: documents that leave the tool (PDF, Excel, iCalendar). */
export async function reportRoutes(app: FastifyInstance) {
  // In production the first report should not pay for reading and parsing the CJK fonts: warm up once, in the background.
  if (app.config.production) app.addHook('onReady', async () => { void warmUp(); });
  await app.register(auditReportRoutes);
  await app.register(questionnaireRoutes);
  await app.register(registerRoutes);
  await app.register(reviewReportRoutes);
  await app.register(programmeReportRoutes);
  await app.register(reportPages);
}
