import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { isNcStatus } from '../domain/nonconformity.js';
import { checkProposal, proposableSteps, proposalFields } from '../domain/proposal.js';
import type { OrgAccess } from '../web/context.js';
import { conflict, HttpError, notFound, unprocessable } from '../web/errors.js';
import { proposalDto } from './auditee.js';
import { refusalMessage } from './messages.js';
import { z } from 'zod';
import {
  AcknowledgementOut,
  ActionWithEvidenceOut,
  DecisionInput,
  DecisionOut,
  ProposalInput,
  ProposalOut,
  ProposalParams,
} from './proposal-schemas.js';
import {
  acceptProposal,
  acknowledge,
  createProposal,
  getProposal,
  listProposals,
  returnProposal,
} from './proposals.js';
import { formChoices, getFinding } from './queries.js';
import { ActionParams, NcParams } from './schemas.js';
import { actionEvidence, CompletionInput, completeAction, ReassignInput, reassignAction } from './action-completion.js';
import { actionEditable, getAction } from './lifecycle.js';
import { actionDto } from './dto.js';
import { orgToday } from '../web/time.js';

const tags = ['findings'];
const org = (req: FastifyRequest): OrgAccess => req.org as OrgAccess;
const actor = (req: FastifyRequest) => ({ orgId: org(req).id, userId: req.user!.id });

/** The nonconformity, only for its owner: proposing and acknowledging are the owner's part. */
export async function ownNonconformity(req: FastifyRequest, db: FastifyInstance['db'], id: number) {
  const f = await getFinding(db, org(req).id, id);
  if (f?.kind !== 'nonconformity') throw notFound();
  if (f.owner_user_id !== req.user!.id) throw new HttpError(403, 'proposals.errors.notOwner');
  return f;
}

/**
 * Checks a proposal for the nonconformity's current status; throws the localised 422 a page or the API shows.
 * Returns the fields the step keeps.
 */
export async function validProposal(
  req: FastifyRequest,
  db: FastifyInstance['db'],
  f: { status: string },
  input: ProposalInput,
) {
  const status = isNcStatus(f.status) ? f.status : 'open';
  if (!proposableSteps(status).includes(input.step))
    throw unprocessable('proposals.errors.notNow', { status: req.t(`findings.status.${status}`) });
  const { step, ...rest } = input;
  const check = checkProposal(step, rest);
  if (!check.ok) {
    const m = refusalMessage(req.t, check);
    const { ok: _ok, ...refusal } = check;
    throw unprocessable(m.key, m.params, { refusal });
  }
  const fields = proposalFields(step, rest);
  if (step === 'actions') {
    const members = new Set((await formChoices(db, org(req).id)).members.map((m) => m.id));
    const bad = (fields.actions ?? []).flatMap((a, i) =>
      members.has(a.ownerUserId as number) ? [] : [`actions.${i}.ownerUserId`],
    );
    if (bad.length) {
      const m = refusalMessage(req.t, { ok: false, reason: 'ownerNotMember', fields: bad });
      throw unprocessable(m.key, m.params, { refusal: { reason: 'ownerNotMember', fields: bad } });
    }
  }
  return fields;
}

/** The auditee's part in 10.1 over the API: acknowledge, propose, and the auditor's decision. */
export async function proposalApiRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { db } = app;
  const onNc = { access: { kind: 'org', permission: 'org.read', resource: 'nonconformity' } } as const;

  app.post(
    '/api/v1/nonconformities/:nonconformityId/acknowledgement',
    {
      schema: {
        tags,
        summary: 'The owner acknowledges the nonconformity (10.1); 403 to anyone else',
        params: NcParams,
        response: { 200: AcknowledgementOut },
      },
      config: onNc,
    },
    async (req) => {
      const f = await ownNonconformity(req, db, req.params.nonconformityId);
      await acknowledge(db, actor(req), f.id);
      const after = (await getFinding(db, org(req).id, f.id))!;
      return { id: f.id, acknowledgedAt: after.acknowledged_at, acknowledgedBy: after.acknowledged_by };
    },
  );

  app.get(
    '/api/v1/nonconformities/:nonconformityId/proposals',
    {
      schema: {
        tags,
        summary: "The owner's proposals and the auditors' decisions",
        params: NcParams,
        response: { 200: z.array(ProposalOut) },
      },
      config: onNc,
    },
    async (req) => {
      const f = await getFinding(db, org(req).id, req.params.nonconformityId);
      if (f?.kind !== 'nonconformity') throw notFound();
      return (await listProposals(db, org(req).id, f.id)).map(proposalDto);
    },
  );

  app.post(
    '/api/v1/nonconformities/:nonconformityId/proposals',
    {
      schema: {
        tags,
        summary:
          'The owner proposes a step: reaction (correction, consequences), cause (method, cause, similar, ' +
          'similarWhere) or actions (description, ownerUserId, dueDate, smsChange); 422 says what is missing',
        params: NcParams,
        body: ProposalInput,
        response: { 201: ProposalOut },
      },
      config: onNc,
    },
    async (req, reply) => {
      const f = await ownNonconformity(req, db, req.params.nonconformityId);
      const fields = await validProposal(req, db, f, req.body);
      const id = await createProposal(db, actor(req), f, req.body.step, fields);
      const p = (await listProposals(db, org(req).id, f.id)).find((x) => x.id === id)!;
      return reply.code(201).send(proposalDto(p));
    },
  );

  // ---- completing and handing on a corrective action ----
  const onAction = { access: { kind: 'org', permission: 'action.update', resource: 'action' } } as const;
  const editableAction = async (req: FastifyRequest, actionId: number) => {
    const a = await getAction(db, org(req).id, actionId);
    if (!a) throw notFound();
    if (!actionEditable(a.nc_status)) throw unprocessable('findings.refused.actionLocked');
    return a;
  };
  const actionOut = async (req: FastifyRequest, actionId: number) => {
    const [a, ev] = await Promise.all([
      getAction(db, org(req).id, actionId),
      actionEvidence(db, org(req).id, [actionId]),
    ]);
    return { ...actionDto(a!, orgToday(req)), evidence: ev.get(actionId) ?? [] };
  };

  app.post(
    '/api/v1/actions/:actionId/completion',
    {
      schema: {
        tags,
        summary: 'Complete an action: note, completion date (not in the future) and evidence from the library',
        params: ActionParams,
        body: CompletionInput,
        response: { 200: ActionWithEvidenceOut },
      },
      config: onAction,
    },
    async (req) => {
      const a = await editableAction(req, req.params.actionId);
      const out = await completeAction(db, actor(req), a.id, req.body, orgToday(req));
      if (!out.ok) {
        const key = `actionCompletion.errors.${out.field}`;
        throw unprocessable(key, {}, { fields: { [out.field]: [req.t(key)] } });
      }
      return actionOut(req, a.id);
    },
  );

  app.post(
    '/api/v1/actions/:actionId/reassignment',
    {
      schema: {
        tags,
        summary: 'Hand an action to another member',
        params: ActionParams,
        body: ReassignInput,
        response: { 200: ActionWithEvidenceOut },
      },
      config: onAction,
    },
    async (req) => {
      const a = await editableAction(req, req.params.actionId);
      if (!(await reassignAction(db, actor(req), a.id, req.body.ownerUserId)))
        throw unprocessable(
          'actionCompletion.errors.ownerUserId',
          {},
          {
            fields: { ownerUserId: [req.t('actionCompletion.errors.ownerUserId')] },
          },
        );
      return actionOut(req, a.id);
    },
  );

  app.post(
    '/api/v1/proposals/:proposalId/decision',
    {
      schema: {
        tags,
        summary:
          'An auditor accepts a proposal (the nonconformity moves as if the step were recorded) or returns it ' +
          'with a comment; 409 when it was already decided',
        params: ProposalParams,
        body: DecisionInput,
        response: { 200: DecisionOut },
      },
      config: { access: { kind: 'org', permission: 'finding.manage', resource: 'proposal' } },
    },
    async (req) => {
      const p = await getProposal(db, org(req).id, req.params.proposalId);
      if (!p) throw notFound();
      if (p.status !== 'pending') throw conflict('proposals.alreadyDecided');
      if (req.body.decision === 'return') await returnProposal(db, actor(req), p.id, req.body.comment);
      else {
        const out = await acceptProposal(db, actor(req), p, req.body.comment);
        if (!out.ok) {
          const m = refusalMessage(req.t, out);
          const { ok: _ok, ...refusal } = out;
          throw unprocessable(m.key, m.params, { refusal });
        }
      }
      const after = (await listProposals(db, org(req).id, p.finding_id)).find((x) => x.id === p.id)!;
      const f = (await getFinding(db, org(req).id, p.finding_id))!;
      return { ...proposalDto(after), nonconformity: { id: f.id, status: f.status, round: f.round } };
    },
  );
}
