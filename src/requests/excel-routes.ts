import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { EvidenceRequestsModel } from '../../reports/evidence-requests/layout.js';
import { decideCreate } from '../domain/evidence-request.js';
import { formatSize, readUpload } from '../evidence/upload.js';
import { sendFile } from '../reports/http.js';
import type { RenderPool } from '../reports/render-pool.js';
import type { OrgAccess } from '../web/context.js';
import { HttpError, unprocessable } from '../web/errors.js';
import { MEDIA } from '../web/openapi.js';
import { orgToday } from '../web/time.js';
import { auditOf, checkNew, who } from './api.js';
import { type CheckedList, checkRequestList } from './excel.js';
import {
  applyImport,
  askableMembers,
  auditItems,
  checkRequestInput,
  listRequests,
  moveRefusal,
  type RequestAudit,
  requestDto,
  requestRef,
  requestsUrl,
} from './queries.js';
import { AuditParams, RequestInput, RequestOut, RequestPatch } from './schemas.js';

// The request list in Excel (issue 18): exported on the render thread, imported back row by row (every error with its
// row number, nothing written if any row fails), then previewed and confirmed, or applied at once with confirm=1.

const tags = ['evidence requests'];
const org = (req: FastifyRequest) => req.org as OrgAccess;
const ImportQuery = z.object({ confirm: z.enum(['1', 'true']).optional() });
/** What the preview page's confirm form carries back; checked again in full before anything is written. */
const Plan = z.object({
  creates: z.array(RequestInput).max(500),
  updates: z.array(z.object({ id: z.number().int().positive(), patch: RequestPatch })).max(500),
});
const ConfirmForm = z.object({ plan: z.string().max(2_000_000) });
const ImportPreview = z.object({
  rows: z.number().int(),
  creates: z.array(
    z.object({
      row: z.number().int(),
      requirementIds: z.array(z.string()),
      need: z.string(),
      addresseeId: z.number().int(),
      addresseeEmail: z.string(),
      dueDate: z.string(),
    }),
  ),
  updates: z.array(
    z.object({
      row: z.number().int(),
      id: z.number().int(),
      ref: z.string(),
      patch: z.object({
        requirementIds: z.array(z.string()).optional(),
        need: z.string().optional(),
        addresseeId: z.number().int().optional(),
        dueDate: z.string().optional(),
      }),
    }),
  ),
});
const ImportApplied = z.object({ created: z.array(RequestOut), updated: z.array(RequestOut) });
const ImportRejected = z.object({
  error: z.string(),
  message: z.string(),
  errors: z.array(z.object({ row: z.number().int(), message: z.string() })),
});

export async function requestExcelRoutes(base: FastifyInstance, { renderer }: { renderer: RenderPool }) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { db } = app;

  const model = async (req: FastifyRequest, audit: RequestAudit): Promise<EvidenceRequestsModel> => {
    const requests = await listRequests(db, org(req).id, { auditId: audit.id });
    const L = (k: string, p?: Record<string, unknown>) => req.t(`requests.sheet.${k}`, p);
    const keys = ['ref', 'requirementIds', 'need', 'addressee', 'dueDate', 'status', 'answers', 'help'] as const;
    const labels = Object.fromEntries(keys.map((k) => [k, L(k)])) as EvidenceRequestsModel['labels'];
    return {
      generatedAt: new Date().toISOString(),
      lang: req.locale === 'en' ? 'en' : 'zh',
      audit: { id: audit.id, title: audit.title },
      organisation: { name: org(req).name, code: org(req).code },
      labels: {
        ...labels,
        sheet: L('name'),
        helpTitle: L('helpTitle', { audit: audit.title, org: org(req).name }),
        help1: L('help1'),
        help2: L('help2'),
        help3: L('help3'),
      },
      rows: requests.map((r) => ({
        ref: requestRef(r.seq),
        requirementIds: r.requirementIds.join(', '),
        need: r.need,
        addressee: r.addressee_email,
        dueDate: r.due_date,
        status: req.t(`requests.status.${r.status}`),
        answers: r.answers
          .map((a) =>
            [
              `${a.answered_at.slice(0, 10)} ${a.answered_by_name ?? ''}: ${a.note}`.trim(),
              ...a.evidence.map((e) => `· ${e.title}`),
              a.comment ? `→ ${a.comment}` : '',
            ]
              .filter(Boolean)
              .join('\n'),
          )
          .join('\n\n'),
      })),
    };
  };

  const download = async (req: FastifyRequest<{ Params: { auditId: number } }>, reply: FastifyReply) => {
    const { audit } = await auditOf(req, db, req.params.auditId);
    const m = await model(req, audit);
    const xlsx = await renderer.render({ kind: 'evidenceRequestsXlsx', model: m });
    return sendFile(reply, 'xlsx', `${m.organisation.code}-audit-${audit.id}-evidence-requests-${m.lang}.xlsx`, xlsx);
  };
  for (const prefix of ['/api/v1', '/reports'])
    app.get(
      `${prefix}/audits/:auditId/evidence-requests.xlsx`,
      {
        schema: {
          ...(prefix === '/api/v1' && { tags }),
          summary: "The audit's evidence request list (Excel), to add requests offline and import back",
          params: AuditParams,
        },
        config: {
          access: { kind: 'org', permission: 'report.export', resource: 'audit' },
          docs: { download: [MEDIA.xlsx] },
        },
      },
      download,
    );

  /** Reads and checks an uploaded list; an unreadable file is one error at row 0. */
  const check = async (req: FastifyRequest, auditId: number): Promise<CheckedList & { audit: RequestAudit }> => {
    const { audit, actor } = await auditOf(req, db, auditId);
    const d = decideCreate(actor, audit.open);
    if (!d.ok) throw moveRefusal(d.reason, audit.status);
    const upload = await readUpload(req, app.config.uploadLimitBytes);
    if (!upload.file) throw new HttpError(422, 'requests.errors.noFile');
    const [requests, items, people] = await Promise.all([
      listRequests(db, org(req).id, { auditId }),
      auditItems(db, audit),
      askableMembers(db, org(req).id),
    ]);
    const { rowMargin, baseBytes, bytesPerRow } = app.config.workbook;
    const maxRows = requests.length + rowMargin;
    const read = await renderer.readRequests({
      kind: 'readEvidenceRequests',
      bytes: upload.file.content,
      limits: { maxRows, maxUnpackedBytes: baseBytes + bytesPerRow * maxRows },
    });
    if (!read.ok) {
      const r = read.refusal;
      if (r.kind === 'unpackedSize')
        throw new HttpError(413, 'requests.errors.tooBig', { limit: formatSize(r.limitBytes) });
      if (r.kind === 'rows') throw unprocessable('requests.errors.tooManyRows', { limit: r.limit });
      const message = req.t('requests.rowError', { row: 0, message: req.t('requests.errors.notWorkbook') });
      return { errors: [{ row: 0, message }], creates: [], updates: [], rows: 0, audit };
    }
    const checked = checkRequestList(
      read.list,
      { id: audit.id, title: audit.title },
      new Set(items.map((i) => i.id)),
      new Map(people.map((p) => [p.email.toLowerCase(), p.id])),
      requests.map((r) => ({
        id: r.id,
        ref: requestRef(r.seq),
        status: r.status,
        requirementIds: r.requirementIds,
        need: r.need,
        addresseeEmail: r.addressee_email,
        dueDate: r.due_date,
      })),
      req.t,
    );
    return { ...checked, audit };
  };

  const rejected = (req: FastifyRequest, c: CheckedList) => ({
    error: 'importRejected',
    message: req.t('requests.importRejected', { count: c.errors.length }),
    errors: c.errors,
  });

  app.post(
    '/api/v1/audits/:auditId/evidence-requests/import',
    {
      schema: {
        tags,
        params: AuditParams,
        querystring: ImportQuery,
        consumes: ['multipart/form-data'],
        summary:
          'Import a request list (multipart, one .xlsx from evidence-requests.xlsx): 422 lists every row in error ' +
          'and nothing is written; otherwise the new and changed requests, applied at once with confirm=1',
        response: { 200: ImportPreview, 201: ImportApplied, 422: ImportRejected },
      },
      config: {
        access: { kind: 'org', permission: 'audit.respond', resource: 'audit' },
        upload: true,
        docs: { upload: { fileTypes: 'The request list workbook (.xlsx) downloaded from evidence-requests.xlsx' } },
      },
    },
    async (req, reply) => {
      const c = await check(req, req.params.auditId);
      if (c.errors.length) return reply.code(422).send(rejected(req, c));
      if (!req.query.confirm) return { rows: c.rows, creates: c.creates, updates: c.updates };
      const done = await applyImport(db, who(req), c.audit, c.creates, c.updates);
      const today = orgToday(req);
      const all = await listRequests(db, org(req).id, { auditId: c.audit.id });
      const pick = (ids: number[]) => all.filter((r) => ids.includes(r.id)).map((r) => requestDto(r, today));
      return reply.code(201).send({ created: pick(done.created), updated: pick(done.updated) });
    },
  );

  // Pages: upload from the request list (the CSRF token is the form's first field, read before the file), preview, confirm.
  app.post(
    '/reports/audits/:auditId/evidence-requests',
    {
      schema: { params: AuditParams },
      config: { access: { kind: 'org', permission: 'audit.respond', resource: 'audit' }, upload: true },
    },
    async (req, reply) => {
      const c = await check(req, req.params.auditId);
      const plan = JSON.stringify({
        creates: c.creates.map(({ row: _r, addresseeEmail: _e, ...x }) => x),
        updates: c.updates.map((u) => ({ id: u.id, patch: u.patch })),
      });
      return reply.code(c.errors.length ? 422 : 200).page('requests/import.eta', {
        title: req.t('requests.importTitle'),
        a: c.audit,
        errors: c.errors,
        creates: c.creates,
        updates: c.updates,
        plan,
      });
    },
  );

  app.post(
    '/reports/audits/:auditId/evidence-requests/confirm',
    {
      schema: { params: AuditParams },
      config: { access: { kind: 'org', permission: 'audit.respond', resource: 'audit' } },
    },
    async (req, reply) => {
      const back = requestsUrl(req.params.auditId);
      const form = ConfirmForm.safeParse(req.body);
      let plan: z.output<typeof Plan> | undefined;
      try {
        const p = form.success ? Plan.safeParse(JSON.parse(form.data.plan)) : undefined;
        plan = p?.success ? p.data : undefined;
      } catch {
        plan = undefined;
      }
      if (!plan) return reply.flash({ kind: 'error', key: 'requests.importExpired' }).redirect(back, 303);
      const { audit, actor } = await auditOf(req, db, req.params.auditId);
      try {
        // Checked again in full: the list may have changed since the preview, and the form is the client's.
        await checkNew(req, db, audit, actor, plan.creates);
        for (const u of plan.updates)
          if ((await checkRequestInput(db, org(req).id, audit, u.patch)).length)
            throw unprocessable('requests.importExpired');
        const done = await applyImport(db, who(req), audit, plan.creates, plan.updates);
        return reply
          .flash({
            kind: 'ok',
            key: 'requests.importDone',
            params: { count: done.created.length + done.updated.length },
          })
          .redirect(back, 303);
      } catch (e) {
        if (!(e instanceof HttpError) || e.statusCode === 403) throw e;
        if (e.statusCode === 409 && e.key === 'audits.errors.readOnly') throw e;
        return reply.flash({ kind: 'error', key: e.key, params: e.params }).redirect(back, 303);
      }
    },
  );
}
