import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { availableMoves, decideCreate, requestOverdue, waitingFor } from '../domain/evidence-request.js';
import { can } from '../domain/permissions.js';
import { listEvidence } from '../evidence/queries.js';
import type { OrgAccess } from '../web/context.js';
import { HttpError } from '../web/errors.js';
import { orgToday } from '../web/time.js';
import { type FieldErrors, parseLocalised } from '../web/validation.js';
import { auditOf, requestApiRoutes, who } from './api.js';
import { receiveAnswer } from './intake.js';
import {
  answerRequest,
  askableMembers,
  auditItems,
  checkRequestInput,
  createRequests,
  decideRequest,
  getRequest,
  listRequests,
  moveRefusal,
  requestRef,
  requestsUrl,
} from './queries.js';
import { AuditParams, RequestInput, RequestParams, TransitionInput } from './schemas.js';

// Evidence requests (issue 18), the pages: the audit's request list with the form to ask (several at once), the
// addressee's answer form (note, a library item, a file) and the auditor's accept / ask again / withdraw.

const org = (req: FastifyRequest) => req.org as OrgAccess;
/** Rows of the "ask for evidence" form; an empty row is skipped. */
export const FORM_ROWS = 3;
const ROW_FIELDS = ['requirementIds', 'need', 'addresseeId', 'dueDate'] as const;

type FormState = {
  values?: Record<string, unknown>;
  errors?: FieldErrors;
  /** Errors and typed values of one request's answer or decision form. */
  answer?: { requestId: number; values: Record<string, string>; errors: FieldErrors };
  decision?: { requestId: number; values: Record<string, unknown>; errors: FieldErrors };
};

export async function requestRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { db } = app;
  await app.register(requestApiRoutes);

  const listPage = async (req: FastifyRequest, reply: FastifyReply, auditId: number, form: FormState = {}) => {
    const { audit, actor } = await auditOf(req, db, auditId);
    const today = orgToday(req);
    const [requests, items, people, library] = await Promise.all([
      listRequests(db, org(req).id, { auditId }),
      auditItems(db, audit),
      askableMembers(db, org(req).id),
      can(org(req).role, 'evidence.manage') ? listEvidence(db, org(req).id) : Promise.resolve([]),
    ]);
    const textOf = new Map(items.map((i) => [i.id, req.locale === 'en' ? i.text_en || i.text_zh : i.text_zh]));
    return reply.page('requests/list.eta', {
      title: `${audit.title} — ${req.t('requests.title')}`,
      a: audit,
      today,
      canCreate: decideCreate(actor, audit.open).ok,
      requests: requests.map((r) => ({
        ...r,
        ref: requestRef(r.seq),
        overdue: requestOverdue(r.status, r.due_date, today),
        waitingFor: waitingFor(r.status),
        moves: availableMoves(r.status, actor, r.addressee_id, audit.open),
        items: r.requirementIds.map((id) => ({ id, text: textOf.get(id) ?? '' })),
      })),
      counts: {
        open: requests.filter((r) => waitingFor(r.status) === 'addressee').length,
        answered: requests.filter((r) => r.status === 'answered').length,
        accepted: requests.filter((r) => r.status === 'accepted').length,
      },
      people,
      library,
      rows: FORM_ROWS,
      values: form.values ?? { dueDate_0: '' },
      errors: form.errors ?? {},
      answerForm: form.answer,
      decisionForm: form.decision,
    });
  };

  app.get(
    '/audits/:auditId/evidence-requests',
    { schema: { params: AuditParams }, config: { access: { kind: 'org', permission: 'org.read', resource: 'audit' } } },
    async (req, reply) => listPage(req, reply, req.params.auditId),
  );

  app.post(
    '/audits/:auditId/evidence-requests',
    {
      schema: { params: AuditParams },
      config: { access: { kind: 'org', permission: 'audit.respond', resource: 'audit' } },
    },
    async (req, reply) => {
      const auditId = req.params.auditId;
      const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
      const { audit, actor } = await auditOf(req, db, auditId);
      const d = decideCreate(actor, audit.open);
      if (!d.ok) throw moveRefusal(d.reason, audit.status);
      const errors: FieldErrors = {};
      const inputs: RequestInput[] = [];
      const known = {
        items: new Set((await auditItems(db, audit)).map((i) => i.id)),
        people: new Set((await askableMembers(db, org(req).id)).map((m) => m.id)),
      };
      for (let i = 0; i < FORM_ROWS; i++) {
        const row = Object.fromEntries(ROW_FIELDS.map((f) => [f, body[`${f}_${i}`] ?? '']));
        if (ROW_FIELDS.every((f) => typeof row[f] !== 'string' || row[f].trim() === '')) continue;
        const r = parseLocalised(RequestInput, row, req.locale, req.t);
        if (!r.ok) {
          for (const [f, m] of Object.entries(r.fieldErrors)) errors[`${f.split('.')[0]}_${i}`] = m;
          continue;
        }
        for (const p of await checkRequestInput(db, org(req).id, audit, r.data, known))
          errors[`${p.field}_${i}`] = [...(errors[`${p.field}_${i}`] ?? []), req.t(p.key, p.params)];
        inputs.push(r.data);
      }
      if (!inputs.length && !Object.keys(errors).length) errors._form = [req.t('requests.errors.noRows')];
      if (Object.keys(errors).length) return listPage(req, reply.code(422), auditId, { values: body, errors });
      const ids = await createRequests(db, who(req), audit, inputs);
      return reply
        .flash({ kind: 'ok', key: 'requests.created', params: { count: ids.length } })
        .redirect(requestsUrl(auditId), 303);
    },
  );

  app.post(
    '/evidence-requests/:requestId/answers',
    {
      schema: { params: RequestParams },
      config: { access: { kind: 'org', permission: 'evidence.manage', resource: 'request' }, upload: true },
    },
    async (req, reply) => {
      const r = await getRequest(db, org(req).id, req.params.requestId);
      if (!r) throw new HttpError(404, 'errors.notFound');
      const { actor } = await auditOf(req, db, r.audit_id);
      const a = await receiveAnswer(req, db, app.config.uploadLimitBytes);
      if (!a.ok) {
        if (a.status === 413 || a.status === 415 || a.status === 422)
          return listPage(req, reply.code(a.status), r.audit_id, {
            answer: { requestId: r.id, values: a.values, errors: a.fieldErrors },
          });
        throw new HttpError(a.status, a.key, a.params);
      }
      await answerRequest(db, who(req), actor, r, a.input, a.file);
      return reply
        .flash({ kind: 'ok', key: 'requests.answered', params: { ref: requestRef(r.seq) } })
        .redirect(requestsUrl(r.audit_id, r.id), 303);
    },
  );

  app.post(
    '/evidence-requests/:requestId/transitions',
    {
      schema: { params: RequestParams },
      config: { access: { kind: 'org', permission: 'audit.respond', resource: 'request' } },
    },
    async (req, reply) => {
      const r = await getRequest(db, org(req).id, req.params.requestId);
      if (!r) throw new HttpError(404, 'errors.notFound');
      const { audit, actor } = await auditOf(req, db, r.audit_id);
      if (!audit.open) throw moveRefusal('frozen', audit.status);
      const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
      const p = parseLocalised(TransitionInput, body, req.locale, req.t);
      if (!p.ok)
        return listPage(req, reply.code(422), r.audit_id, {
          decision: { requestId: r.id, values: body, errors: p.fieldErrors },
        });
      try {
        await decideRequest(db, who(req), actor, r, p.data.action, p.data.comment);
      } catch (e) {
        if (!(e instanceof HttpError) || e.statusCode !== 422) throw e;
        return listPage(req, reply.code(422), r.audit_id, {
          decision: { requestId: r.id, values: body, errors: { comment: [req.t(e.key, e.params)] } },
        });
      }
      return reply
        .flash({ kind: 'ok', key: `requests.done.${p.data.action}`, params: { ref: requestRef(r.seq) } })
        .redirect(requestsUrl(r.audit_id, r.id), 303);
    },
  );
}
