import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { metaRow } from '../../reports/questionnaire/layout.js';
import { getAudit } from '../audits/queries.js';
import { isAuditStatus, isEditable } from '../domain/audit-status.js';
import { formatSize, readUpload } from '../evidence/upload.js';
import type { OrgAccess } from '../web/context.js';
import { conflict, HttpError, notFound, unprocessable } from '../web/errors.js';
import { auditReportModel } from './audit-model.js';
import { sendFile } from './http.js';
import type { RenderPool } from './render-pool.js';
import { type Change, type Checked, checkQuestionnaire, type RowError } from './questionnaire.js';
import { applyChanges, loadPending, savePending } from './questionnaire-store.js';
import { MEDIA } from '../web/openapi.js';
import { AuditParams, ConfirmInput, ConfirmOut, OneLangQuery, UploadOut, UploadRejected } from './schemas.js';
import { singleLang } from './texts.js';

const tags = ['reports'];
const org = (req: FastifyRequest) => req.org as OrgAccess;
const who = (req: FastifyRequest) => ({ orgId: org(req).id, userId: req.user!.id });
const onAudit = (permission: 'report.export' | 'audit.respond') =>
  ({ access: { kind: 'org', permission, resource: 'audit' } }) as const;
const UploadQuery = z.object({ confirm: z.enum(['1', 'true']).optional() });

const changeDto = (c: Change) => ({
  requirementId: c.requirementId,
  version: c.version,
  before: c.before,
  after: c.after,
});

/** The self-assessment questionnaire: download, upload (checked, previewed), confirm (applied in one transaction). */
export async function questionnaireRoutes(base: FastifyInstance, { renderer }: { renderer: RenderPool }) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { db } = app;

  const download = async (
    req: FastifyRequest<{ Params: { auditId: number }; Querystring: { lang?: 'zh' | 'en' } }>,
    reply: FastifyReply,
  ) => {
    const m = await auditReportModel(db, org(req).id, req.params.auditId);
    const lang = singleLang(req.locale, req.query.lang);
    const xlsx = await renderer.render({ kind: 'questionnaireXlsx', model: m, lang });
    return sendFile(reply, 'xlsx', `${m.organisation.code}-audit-${m.audit.id}-questionnaire-${lang}.xlsx`, xlsx);
  };

  /** Reads and checks the uploaded file; an unreadable file is one error at row 0. */
  const check = async (
    req: FastifyRequest,
    auditId: number,
  ): Promise<Checked & { fileName: string; audit: Awaited<ReturnType<typeof getAudit>> }> => {
    const audit = await getAudit(db, org(req).id, auditId);
    if (!isAuditStatus(audit.status) || !isEditable(audit.status))
      throw conflict('audits.errors.readOnly', { status: audit.status });
    const upload = await readUpload(req, app.config.uploadLimitBytes);
    if (!upload.file) throw new HttpError(422, 'reports.questionnaire.noFile');
    const fileName = upload.file.name.slice(0, 200);
    const m = await auditReportModel(db, org(req).id, auditId);
    // Read on the render thread, within what a questionnaire of this audit can hold (config.workbook).
    const { rowMargin, baseBytes, bytesPerRow } = app.config.workbook;
    const maxRows = m.items.length + rowMargin;
    const maxUnpackedBytes = baseBytes + bytesPerRow * maxRows;
    const read = await renderer.read({
      kind: 'readQuestionnaire',
      bytes: upload.file.content,
      limits: { maxRows, maxUnpackedBytes },
    });
    if (read.ok) {
      const raw = { ...read.questionnaire, metaRow };
      const items = m.items.map((i) => ({
        id: i.id,
        clause: i.clause,
        text: i.text,
        verdict: i.verdict,
        level: i.level,
        notes: i.notes,
        version: i.version,
        answeredBy: i.answeredBy,
      }));
      return {
        ...checkQuestionnaire(
          raw,
          { id: audit.id, title: m.audit.title, selfAssessment: m.audit.selfAssessment },
          items,
          req.t,
        ),
        fileName,
        audit,
      };
    }
    const refusal = read.refusal;
    if (refusal.kind === 'unpackedSize')
      throw new HttpError(413, 'reports.questionnaire.errors.tooBig', { limit: formatSize(refusal.limitBytes) });
    if (refusal.kind === 'rows')
      throw unprocessable('reports.questionnaire.errors.tooManyRows', { limit: refusal.limit });
    const errors: RowError[] = [
      {
        sheet: fileName,
        row: 0,
        message: req.t('reports.questionnaire.errors.notQuestionnaire', { sheet: fileName, row: 0 }),
      },
    ];
    return { errors, changes: [], rows: 0, fileName, audit };
  };

  for (const prefix of ['/api/v1', '/reports']) {
    app.get(
      `${prefix}/audits/:auditId/questionnaire.xlsx`,
      {
        schema: {
          ...(prefix === '/api/v1' && { tags }),
          summary: 'Self-assessment questionnaire (Excel) to fill offline and upload back: lang=zh|en',
          params: AuditParams,
          querystring: OneLangQuery,
        },
        config: { ...onAudit('report.export'), docs: { download: [MEDIA.xlsx] } },
      },
      download,
    );
  }

  app.post(
    '/api/v1/audits/:auditId/questionnaire',
    {
      schema: {
        tags,
        params: AuditParams,
        querystring: UploadQuery,
        consumes: ['multipart/form-data'],
        summary:
          'Upload a filled questionnaire (multipart, one file). Gives the changes and an importId to confirm; 422 with sheet and row of every error; confirm=1 applies at once when there is none.',
        response: { 200: UploadOut, 422: UploadRejected },
      },
      config: {
        ...onAudit('audit.respond'),
        upload: true,
        docs: { upload: { fileTypes: 'The questionnaire workbook (.xlsx) downloaded from questionnaire.xlsx' } },
      },
    },
    async (req, reply) => {
      const c = await check(req, req.params.auditId);
      if (c.errors.length) {
        return reply.code(422).send({
          error: 'questionnaire',
          message: req.t('reports.questionnaire.rejected', { count: c.errors.length }),
          errors: c.errors,
        });
      }
      if (req.query.confirm)
        return { applied: await applyChanges(db, who(req), c.audit, c.changes), changes: c.changes.map(changeDto) };
      const importId = await savePending(db, who(req), c.audit.id, c.fileName, c.changes);
      return { importId, rows: c.rows, changes: c.changes.map(changeDto) };
    },
  );

  app.post(
    '/api/v1/audits/:auditId/questionnaire/confirm',
    {
      schema: {
        tags,
        params: AuditParams,
        body: ConfirmInput,
        summary:
          'Apply a previewed questionnaire upload (its importId) in one transaction; 409 if an item changed meanwhile',
        response: { 200: ConfirmOut },
      },
      config: onAudit('audit.respond'),
    },
    async (req) => {
      const pending = await loadPending(db, who(req), req.params.auditId, req.body.importId);
      if (!pending) throw notFound();
      const audit = await getAudit(db, org(req).id, req.params.auditId);
      return { applied: await applyChanges(db, who(req), audit, pending.changes, pending.id) };
    },
  );

  // Pages: upload from the audit page (the CSRF token is the form's first field, read before the file), preview, confirm.
  app.post(
    '/reports/audits/:auditId/questionnaire',
    { schema: { params: AuditParams }, config: { ...onAudit('audit.respond'), upload: true } },
    async (req, reply) => {
      const c = await check(req, req.params.auditId);
      const importId = c.errors.length ? null : await savePending(db, who(req), c.audit.id, c.fileName, c.changes);
      return reply.code(c.errors.length ? 422 : 200).page('reports/questionnaire-preview.eta', {
        title: req.t('reports.questionnaire.previewTitle'),
        a: c.audit,
        fileName: c.fileName,
        errors: c.errors,
        changes: c.changes,
        rows: c.rows,
        importId,
      });
    },
  );

  app.post(
    '/reports/audits/:auditId/questionnaire/confirm',
    { schema: { params: AuditParams }, config: onAudit('audit.respond') },
    async (req, reply) => {
      const back = `/audits/${req.params.auditId}#reports`;
      const form = ConfirmInput.safeParse(req.body);
      const pending = form.success
        ? await loadPending(db, who(req), req.params.auditId, form.data.importId)
        : undefined;
      if (!pending) return reply.flash({ kind: 'error', key: 'reports.questionnaire.expired' }).redirect(back, 303);
      try {
        const n = await applyChanges(
          db,
          who(req),
          await getAudit(db, org(req).id, req.params.auditId),
          pending.changes,
          pending.id,
        );
        return reply
          .flash({ kind: 'ok', key: 'reports.questionnaire.applied', params: { count: n } })
          .redirect(back, 303);
      } catch (e) {
        if (!(e instanceof HttpError)) throw e;
        return reply.flash({ kind: 'error', key: e.key, params: e.params }).redirect(back, 303);
      }
    },
  );
}
