import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AuditReportModel } from '../../reports/audit-report/model.js';
import type { ReportLang } from '../../reports/lang.js';
import type { OrgAccess } from '../web/context.js';
import { reportModelFor } from './frozen.js';
import { type AuditDocumentJob, auditDocumentKey, KeptDocuments } from './kept-documents.js';
import type { RenderPool } from './render-pool.js';
import { sendFile } from './http.js';
import { AuditParams, ReportQuery, WorkbookQuery } from './schemas.js';
import { langOf } from './texts.js';
import { MEDIA } from '../web/openapi.js';

const tags = ['reports'];
const reportName = (m: AuditReportModel, lang: ReportLang, ext: 'pdf' | 'docx') =>
  `${m.organisation.code}-audit-${m.audit.id}-r${m.audit.revision}${m.frozen ? '' : '-draft'}-report-${lang}.${ext}`;
const org = (req: FastifyRequest) => req.org as OrgAccess;
const onAudit = { access: { kind: 'org', permission: 'report.export', resource: 'audit' } } as const;

/** The audit report (PDF) and the gap register (Excel), under /api/v1 for programs and /reports for the pages' links. */
export async function auditReportRoutes(base: FastifyInstance, { renderer }: { renderer: RenderPool }) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { db } = app;
  // A document already built from the same model is served again (kept-documents.ts): the model is read on every
  // download, so an edit, an acceptance or a new revision gives a new document.
  const kept = new KeptDocuments();
  const build = (orgId: number, job: AuditDocumentJob) =>
    kept.get(auditDocumentKey(orgId, job), () => renderer.render(job));

  // The PDF and the Word report: one model (frozen once issued, or the issued revision asked for), two renderers.
  const report =
    (format: 'pdf' | 'docx') =>
    async (
      req: FastifyRequest<{
        Params: { auditId: number };
        Querystring: { lang?: 'zh' | 'en' | 'both'; revision?: number };
      }>,
      reply: FastifyReply,
    ) => {
      const m = await reportModelFor(db, org(req).id, req.params.auditId, req.query.revision);
      const lang = langOf(req.locale, req.query.lang);
      const kind = format === 'pdf' ? 'auditReportPdf' : 'auditReportDocx';
      const file = await build(org(req).id, { kind, model: m, lang });
      return sendFile(reply, format, reportName(m, lang, format), file);
    };
  const gap = async (
    req: FastifyRequest<{ Params: { auditId: number }; Querystring: { lang?: 'zh' | 'en' | 'both' } }>,
    reply: FastifyReply,
  ) => {
    // The same model as the report: the frozen one while the audit stands issued (issue 15), else the live draft.
    const m = await reportModelFor(db, org(req).id, req.params.auditId);
    const xlsx = await build(org(req).id, {
      kind: 'gapRegisterXlsx',
      model: m,
      lang: langOf(req.locale, req.query.lang),
    });
    return sendFile(
      reply,
      'xlsx',
      `${m.organisation.code}-audit-${m.audit.id}-r${m.audit.revision}-gap-register.xlsx`,
      xlsx,
    );
  };

  for (const prefix of ['/api/v1', '/reports']) {
    const api = prefix === '/api/v1';
    app.get(
      `${prefix}/audits/:auditId/report.pdf`,
      {
        schema: {
          ...(api && { tags }),
          summary:
            'Audit report (PDF): lang=zh|en|both; revision=n for an earlier issued revision. An issued audit gives its frozen report.',
          params: AuditParams,
          querystring: ReportQuery,
        },
        config: { ...onAudit, docs: { download: [MEDIA.pdf] } },
      },
      report('pdf'),
    );
    app.get(
      `${prefix}/audits/:auditId/report.docx`,
      {
        schema: {
          ...(api && { tags }),
          summary:
            'Audit report (Word, editable): the same sections and figures as the PDF; lang=zh|en|both; revision=n for an earlier issued revision. An issued audit gives its frozen report.',
          params: AuditParams,
          querystring: ReportQuery,
        },
        config: { ...onAudit, docs: { download: [MEDIA.docx] } },
      },
      report('docx'),
    );
    app.get(
      `${prefix}/audits/:auditId/gap-register.xlsx`,
      {
        schema: {
          ...(api && { tags }),
          summary: 'Gap register (Excel): one row per checklist item in scope',
          params: AuditParams,
          querystring: WorkbookQuery,
        },
        config: { ...onAudit, docs: { download: [MEDIA.xlsx] } },
      },
      gap,
    );
  }
}
