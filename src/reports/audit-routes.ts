import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { OrgAccess } from '../web/context.js';
import { reportModelFor } from './frozen.js';
import type { RenderPool } from './render-pool.js';
import { sendFile } from './http.js';
import { AuditParams, ReportQuery, WorkbookQuery } from './schemas.js';
import { langOf } from './texts.js';
import { MEDIA } from '../web/openapi.js';

const tags = ['reports'];
const org = (req: FastifyRequest) => req.org as OrgAccess;
const onAudit = { access: { kind: 'org', permission: 'report.export', resource: 'audit' } } as const;

/** The audit report (PDF) and the gap register (Excel), under /api/v1 for programs and /reports for the pages' links. */
export async function auditReportRoutes(base: FastifyInstance, { renderer }: { renderer: RenderPool }) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { db } = app;

  const report = async (
    req: FastifyRequest<{
      Params: { auditId: number };
      Querystring: { lang?: 'zh' | 'en' | 'both'; revision?: number };
    }>,
    reply: FastifyReply,
  ) => {
    const m = await reportModelFor(db, org(req).id, req.params.auditId, req.query.revision);
    const lang = langOf(req.locale, req.query.lang);
    const pdf = await renderer.render({ kind: 'auditReportPdf', model: m, lang });
    const state = m.frozen ? '' : '-draft';
    return sendFile(
      reply,
      'pdf',
      `${m.organisation.code}-audit-${m.audit.id}-r${m.audit.revision}${state}-report-${lang}.pdf`,
      pdf,
    );
  };
  const gap = async (
    req: FastifyRequest<{ Params: { auditId: number }; Querystring: { lang?: 'zh' | 'en' | 'both' } }>,
    reply: FastifyReply,
  ) => {
    // The same model as the report: the frozen one while the audit stands issued (issue 15), else the live draft.
    const m = await reportModelFor(db, org(req).id, req.params.auditId);
    const xlsx = await renderer.render({ kind: 'gapRegisterXlsx', model: m, lang: langOf(req.locale, req.query.lang) });
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
      report,
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
