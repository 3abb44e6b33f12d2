import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { decideCreate } from '../domain/evidence-request.js';
import type { OrgAccess } from '../web/context.js';
import { HttpError, notFound, unprocessable } from '../web/errors.js';
import { orgToday } from '../web/time.js';
import type { FieldErrors } from '../web/validation.js';
import { receiveAnswer } from './intake.js';
import {
  actorOn,
  answerRequest,
  checkRequestInput,
  createRequests,
  decideRequest,
  getRequest,
  listRequests,
  moveRefusal,
  type RequestAudit,
  requestAudit,
  requestDto,
  updateRequest,
} from './queries.js';
import {
  AuditParams,
  type RequestInput,
  RequestOut,
  RequestParams,
  RequestPatch,
  RequestsInput,
  TransitionInput,
} from './schemas.js';

const tags = ['evidence requests'];
const org = (req: FastifyRequest) => req.org as OrgAccess;
export const who = (req: FastifyRequest) => ({ orgId: org(req).id, userId: req.user!.id });

/** The request's audit, or 404; the actor as the rules see them. */
export async function auditOf(req: FastifyRequest, db: FastifyInstance['db'], auditId: number) {
  const audit = await requestAudit(db, org(req).id, auditId);
  if (!audit) throw notFound();
  return { audit, actor: actorOn(audit, req.user!.id, org(req).role) };
}

/**
 * Checks new requests against the audit (items in its scope, addressees who may answer) and the actor's right;
 * throws the localised 409/403/422 with every problem, by index for a list.
 */
export async function checkNew(
  req: FastifyRequest,
  db: FastifyInstance['db'],
  audit: RequestAudit,
  actor: ReturnType<typeof actorOn>,
  inputs: readonly RequestInput[],
) {
  const d = decideCreate(actor, audit.open);
  if (!d.ok) throw moveRefusal(d.reason, audit.status);
  const fields: FieldErrors = {};
  for (const [i, input] of inputs.entries())
    for (const p of await checkRequestInput(db, org(req).id, audit, input)) {
      const key = inputs.length > 1 ? `${i}.${p.field}` : p.field;
      fields[key] = [...(fields[key] ?? []), req.t(p.key, p.params)];
    }
  if (Object.keys(fields).length)
    throw unprocessable('requests.errors.rejected', { problems: Object.values(fields).flat().join(' · ') }, { fields });
}

export async function requestApiRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { db } = app;
  const onAudit = (permission: 'org.read' | 'audit.respond') =>
    ({ access: { kind: 'org', permission, resource: 'audit' } }) as const;
  const onRequest = (permission: 'org.read' | 'audit.respond' | 'evidence.manage') =>
    ({ access: { kind: 'org', permission, resource: 'request' } }) as const;

  const found = async (req: FastifyRequest, requestId: number) => {
    const r = await getRequest(db, org(req).id, requestId);
    if (!r) throw notFound();
    return r;
  };
  const out = async (req: FastifyRequest, requestId: number) => requestDto(await found(req, requestId), orgToday(req));

  app.get(
    '/api/v1/audits/:auditId/evidence-requests',
    {
      schema: {
        tags,
        summary: "The audit's evidence requests: items, what is needed, from whom, by when, status and answers",
        params: AuditParams,
        response: { 200: z.array(RequestOut) },
      },
      config: onAudit('org.read'),
    },
    async (req) => {
      await auditOf(req, db, req.params.auditId);
      const today = orgToday(req);
      return (await listRequests(db, org(req).id, { auditId: req.params.auditId })).map((r) => requestDto(r, today));
    },
  );

  app.post(
    '/api/v1/audits/:auditId/evidence-requests',
    {
      schema: {
        tags,
        summary:
          'Ask for evidence: one request or a list (requirementIds, need, addresseeId, dueDate), all or none; ' +
          'the audit lead or a team auditor; 409 once the audit is issued',
        params: AuditParams,
        body: RequestsInput,
        response: { 201: z.array(RequestOut) },
      },
      config: onAudit('audit.respond'),
    },
    async (req, reply) => {
      const { audit, actor } = await auditOf(req, db, req.params.auditId);
      const inputs = Array.isArray(req.body) ? req.body : [req.body];
      await checkNew(req, db, audit, actor, inputs);
      const ids = await createRequests(db, who(req), audit, inputs);
      return reply.code(201).send(await Promise.all(ids.map((id) => out(req, id))));
    },
  );

  app.get(
    '/api/v1/evidence-requests/:requestId',
    {
      schema: {
        tags,
        summary: 'One evidence request with its answers',
        params: RequestParams,
        response: { 200: RequestOut },
      },
      config: onRequest('org.read'),
    },
    async (req) => out(req, req.params.requestId),
  );

  app.patch(
    '/api/v1/evidence-requests/:requestId',
    {
      schema: {
        tags,
        summary: 'Change what is asked, the items, the addressee or the due date while no answer is pending',
        params: RequestParams,
        body: RequestPatch,
        response: { 200: RequestOut },
      },
      config: onRequest('audit.respond'),
    },
    async (req) => {
      const r = await found(req, req.params.requestId);
      const { audit, actor } = await auditOf(req, db, r.audit_id);
      const d = decideCreate(actor, audit.open);
      if (!d.ok) throw moveRefusal(d.reason, audit.status);
      if (r.status !== 'open' && r.status !== 'returned') throw moveRefusal('notNow', r.status);
      const problems = await checkRequestInput(db, org(req).id, audit, req.body);
      if (problems.length) {
        const fields: FieldErrors = {};
        for (const p of problems) fields[p.field] = [...(fields[p.field] ?? []), req.t(p.key, p.params)];
        throw unprocessable(
          'requests.errors.rejected',
          { problems: Object.values(fields).flat().join(' · ') },
          { fields },
        );
      }
      await updateRequest(db, who(req), r, req.body);
      return out(req, r.id);
    },
  );

  app.post(
    '/api/v1/evidence-requests/:requestId/answers',
    {
      schema: {
        tags,
        consumes: ['application/json', 'multipart/form-data'],
        summary:
          'Answer a request: JSON {note, evidenceIds} or multipart (note, evidenceIds as "3,5", title, one file stored ' +
          'in the evidence library under the upload rules); the addressee or a member who adds evidence',
        params: RequestParams,
        response: { 201: RequestOut },
      },
      config: {
        ...onRequest('evidence.manage'),
        upload: true,
        docs: {
          upload: {
            fileTypes: 'PDF, office documents, images, text (checked by content, not by name)',
            fields: {
              note: 'What the evidence shows',
              evidenceIds: 'Library items, e.g. 3,5',
              title: 'Title of the file',
            },
          },
        },
      },
    },
    async (req, reply) => {
      const r = await found(req, req.params.requestId);
      const { actor } = await auditOf(req, db, r.audit_id);
      const a = await receiveAnswer(req, db, app.config.uploadLimitBytes);
      if (!a.ok) throw new HttpError(a.status, a.key, a.params, { fields: a.fieldErrors });
      await answerRequest(db, who(req), actor, r, a.input, a.file);
      return reply.code(201).send(await out(req, r.id));
    },
  );

  app.post(
    '/api/v1/evidence-requests/:requestId/transitions',
    {
      schema: {
        tags,
        summary:
          'The audit lead or a team auditor accepts the answer (its evidence is linked to the checklist items), ' +
          'asks again ("return", with a comment) or withdraws the request',
        params: RequestParams,
        body: TransitionInput,
        response: { 200: RequestOut },
      },
      config: onRequest('audit.respond'),
    },
    async (req) => {
      const r = await found(req, req.params.requestId);
      const { audit, actor } = await auditOf(req, db, r.audit_id);
      if (!audit.open) throw moveRefusal('frozen', audit.status);
      await decideRequest(db, who(req), actor, r, req.body.action, req.body.comment);
      return out(req, r.id);
    },
  );
}
