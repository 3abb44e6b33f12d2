import { orgToday } from '../web/time.js';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { OrgAccess } from '../web/context.js';
import { notFound, unprocessable } from '../web/errors.js';
import { can } from '../domain/permissions.js';
import { actionEvidence } from './action-completion.js';
import { auditeeView } from './auditee.js';
import { actionDto, actionRegisterDto, findingDto, ncRegisterDto, nonconformityDto } from './dto.js';
import {
  actionEditable,
  correctiveActions,
  getAction,
  runTransition,
  timeline,
  updateActionStatus,
} from './lifecycle.js';
import { refusalMessage } from './messages.js';
import {
  auditOf,
  createAuditFinding,
  createOrgFinding,
  dueSettings,
  formChoices,
  getFinding,
  invalidLink,
  listFindings,
  requirementOf,
  responseOf,
  saveDueSettings,
  updateFindingDetails,
} from './queries.js';
import { OrgParams } from '../organisations/schemas.js';
import { actionRegister, memberOrgs, ncRegister } from './registers.js';
import { z } from 'zod';
import {
  ActionOut,
  ActionParams,
  ActionRegisterOut,
  ActionStatusInput,
  DueSettingsOut,
  FindingOut,
  NcRegisterOut,
  NonconformityOut,
  AuditFindingInput,
  AuditParams,
  FindingDetailsInput,
  FindingParams,
  NcParams,
  OrgFindingInput,
  RegisterQuery,
  SettingsInput,
  TransitionInput,
} from './schemas.js';

const tags = ['findings'];
const org = (req: FastifyRequest): OrgAccess => req.org as OrgAccess;
/** Due and overdue are the organisation's: today in its zone (src/web/time.ts). */
const today = (req: FastifyRequest) => orgToday(req);
const actor = (req: FastifyRequest) => ({ orgId: org(req).id, userId: req.user!.id });

export async function findingApiRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { db } = app;
  const read = (resource?: string) =>
    ({ access: { kind: 'org', permission: 'org.read', ...(resource && { resource }) } }) as const;
  const manage = (resource?: string) =>
    ({ access: { kind: 'org', permission: 'finding.manage', ...(resource && { resource }) } }) as const;

  const checkLinks = async (req: FastifyRequest, links: Parameters<typeof invalidLink>[1]) => {
    const bad = invalidLink(await formChoices(db, org(req).id), links);
    if (bad)
      throw unprocessable(
        'findings.errors.notInOrganisation',
        {},
        { fields: { [bad]: [req.t('findings.errors.notInOrganisation')] } },
      );
  };
  const nonconformity = async (req: FastifyRequest, id: number) => {
    const f = await getFinding(db, org(req).id, id);
    if (f?.kind !== 'nonconformity') throw notFound();
    const [actions, tl] = await Promise.all([
      correctiveActions(db, f.organization_id, f.id),
      timeline(db, f.organization_id, f.id),
    ]);
    const manages = can(org(req).role, 'finding.manage');
    const a = await auditeeView(db, f.organization_id, { id: req.user!.id, manages }, f, actions, today(req));
    const evidence = await actionEvidence(
      db,
      f.organization_id,
      actions.map((x) => x.id),
    );
    const dto = nonconformityDto(f, actions, tl, today(req));
    return {
      ...dto,
      actions: dto.actions.map((x) => ({ ...x, evidence: evidence.get(x.id) ?? [] })),
      acknowledgedAt: f.acknowledged_at,
      proposalDue: a.deadlines.proposalDue,
      proposalOverdue: a.deadlines.proposalOverdue,
      // What the caller can do next and, when it is someone else's turn, who.
      nextStep: { moves: a.next.moves, waitingFor: a.next.waitingFor, names: a.next.names },
    };
  };

  // ---- findings ----
  app.post(
    '/api/v1/audits/:auditId/findings',
    {
      schema: {
        tags,
        summary: 'Raise a finding on a checklist item of the audit',
        params: AuditParams,
        body: AuditFindingInput,
        response: { 201: FindingOut },
      },
      config: manage('audit'),
    },
    async (req, reply) => {
      const audit = await auditOf(db, org(req).id, req.params.auditId);
      if (!audit) throw notFound();
      const requirement = await requirementOf(db, audit.checklist_version_id, req.body.requirementId);
      if (!requirement) {
        throw unprocessable(
          'findings.errors.unknownRequirement',
          { id: req.body.requirementId },
          { fields: { requirementId: [req.t('findings.errors.unknownRequirement', { id: req.body.requirementId })] } },
        );
      }
      await checkLinks(req, req.body);
      const response = await responseOf(db, audit.id, requirement.id);
      const f = await createAuditFinding(db, actor(req), audit, requirement, response?.id ?? null, req.body);
      return reply.code(201).send(findingDto(f, today(req)));
    },
  );

  app.get(
    '/api/v1/audits/:auditId/findings',
    {
      schema: { tags, summary: "The audit's findings", params: AuditParams, response: { 200: z.array(FindingOut) } },
      config: read('audit'),
    },
    async (req) => (await listFindings(db, org(req).id, req.params.auditId)).map((f) => findingDto(f, today(req))),
  );

  app.post(
    '/api/v1/organizations/:orgId/findings',
    {
      schema: {
        tags,
        summary:
          'Raise a finding from another source (incident, complaint, monitoring, management review, external audit)',
        params: OrgParams,
        body: OrgFindingInput,
        response: { 201: FindingOut },
      },
      config: manage(),
    },
    async (req, reply) => {
      await checkLinks(req, req.body);
      const f = await createOrgFinding(db, actor(req), req.body);
      return reply.code(201).send(findingDto(f, today(req)));
    },
  );

  app.get(
    '/api/v1/organizations/:orgId/findings',
    {
      schema: {
        tags,
        summary: "The organisation's findings of every kind",
        params: OrgParams,
        response: { 200: z.array(FindingOut) },
      },
      config: read(),
    },
    async (req) => (await listFindings(db, org(req).id)).map((f) => findingDto(f, today(req))),
  );

  app.get(
    '/api/v1/findings/:findingId',
    {
      schema: { tags, params: FindingParams, summary: 'One finding', response: { 200: FindingOut } },
      config: read('finding'),
    },
    async (req) => {
      const f = await getFinding(db, org(req).id, req.params.findingId);
      if (!f) throw notFound();
      return findingDto(f, today(req));
    },
  );

  app.patch(
    '/api/v1/findings/:findingId',
    {
      schema: {
        tags,
        summary: 'Change the owner, process, service, other party or due date of a finding',
        params: FindingParams,
        body: FindingDetailsInput,
        response: { 200: FindingOut },
      },
      config: manage('finding'),
    },
    async (req) => {
      const f = await getFinding(db, org(req).id, req.params.findingId);
      if (!f) throw notFound();
      await checkLinks(req, req.body);
      await updateFindingDetails(db, actor(req), f.id, req.body);
      return findingDto((await getFinding(db, org(req).id, f.id))!, today(req));
    },
  );

  // ---- nonconformities ----
  app.get(
    '/api/v1/organizations/:orgId/nonconformities',
    {
      schema: {
        tags,
        summary: 'Nonconformity register (filters: audit, clause, grade, status, owner, overdue, mine)',
        params: OrgParams,
        querystring: RegisterQuery,
        response: { 200: z.array(NcRegisterOut) },
      },
      config: read(),
    },
    async (req) =>
      (await ncRegister(db, { orgIds: [org(req).id] }, req.query, req.user!.id, today(req))).map(ncRegisterDto),
  );

  app.get(
    '/api/v1/nonconformities',
    {
      schema: {
        tags,
        summary: "Nonconformities across the caller's organisations",
        querystring: RegisterQuery,
        response: { 200: z.array(NcRegisterOut) },
      },
    },
    async (req) => {
      const ids = (await memberOrgs(db, req.user!.id)).map((o) => o.id);
      return (await ncRegister(db, { orgIds: ids, memberOf: req.user!.id }, req.query, req.user!.id, today(req))).map(
        ncRegisterDto,
      );
    },
  );

  app.get(
    '/api/v1/nonconformities/:nonconformityId',
    {
      schema: {
        tags,
        summary: 'A nonconformity with its actions and the timeline of its lifecycle',
        params: NcParams,
        response: { 200: NonconformityOut },
      },
      config: read('nonconformity'),
    },
    async (req) => nonconformity(req, req.params.nonconformityId),
  );

  app.post(
    '/api/v1/nonconformities/:nonconformityId/transitions',
    {
      schema: {
        tags,
        summary: 'Move a nonconformity through its lifecycle (10.1); 422 says what is missing',
        params: NcParams,
        body: TransitionInput,
        response: { 200: NonconformityOut },
      },
      config: manage('nonconformity'),
    },
    async (req) => {
      const id = req.params.nonconformityId;
      const f = await getFinding(db, org(req).id, id);
      if (f?.kind !== 'nonconformity') throw notFound();
      const { to, ...fields } = req.body;
      const out = await runTransition(db, actor(req), id, to, fields);
      if (!out.ok) {
        const m = refusalMessage(req.t, out);
        const { ok: _ok, ...refusal } = out;
        throw unprocessable(m.key, m.params, { refusal });
      }
      return nonconformity(req, id);
    },
  );

  // ---- actions ----
  app.get(
    '/api/v1/nonconformities/:nonconformityId/actions',
    {
      schema: {
        tags,
        params: NcParams,
        summary: 'The corrective actions of a nonconformity',
        response: { 200: NonconformityOut.shape.actions },
      },
      config: read('nonconformity'),
    },
    async (req) => (await nonconformity(req, req.params.nonconformityId)).actions,
  );

  app.get(
    '/api/v1/organizations/:orgId/actions',
    {
      schema: {
        tags,
        summary: 'Action register: corrective actions and management-review outputs',
        params: OrgParams,
        querystring: RegisterQuery,
        response: { 200: z.array(ActionRegisterOut) },
      },
      config: read(),
    },
    async (req) =>
      (await actionRegister(db, { orgIds: [org(req).id] }, req.query, req.user!.id, today(req))).map(actionRegisterDto),
  );

  app.get(
    '/api/v1/actions',
    {
      schema: {
        tags,
        summary: "Actions across the caller's organisations",
        querystring: RegisterQuery,
        response: { 200: z.array(ActionRegisterOut) },
      },
    },
    async (req) => {
      const ids = (await memberOrgs(db, req.user!.id)).map((o) => o.id);
      return (
        await actionRegister(db, { orgIds: ids, memberOf: req.user!.id }, req.query, req.user!.id, today(req))
      ).map(actionRegisterDto);
    },
  );

  app.patch(
    '/api/v1/actions/:actionId',
    {
      schema: {
        tags,
        summary: "Update an action's status",
        params: ActionParams,
        body: ActionStatusInput,
        response: { 200: ActionOut },
      },
      config: { access: { kind: 'org', permission: 'action.update', resource: 'action' } },
    },
    async (req) => {
      const a = await getAction(db, org(req).id, req.params.actionId);
      if (!a) throw notFound();
      if (!actionEditable(a.nc_status)) throw unprocessable('findings.refused.actionLocked');
      await updateActionStatus(db, actor(req), a.id, req.body.status);
      return actionDto((await getAction(db, org(req).id, a.id))!, today(req));
    },
  );

  // ---- settings ----
  app.get(
    '/api/v1/organizations/:orgId/finding-settings',
    {
      schema: {
        tags,
        summary: 'Default days to close a major / minor nonconformity',
        params: OrgParams,
        response: { 200: DueSettingsOut },
      },
      config: read(),
    },
    async (req) => dueSettings(db, org(req).id),
  );

  app.put(
    '/api/v1/organizations/:orgId/finding-settings',
    {
      schema: {
        tags,
        params: OrgParams,
        body: SettingsInput,
        summary: 'Set the default days to close a major / minor nonconformity',
        response: { 200: DueSettingsOut },
      },
      config: { access: { kind: 'org', permission: 'org.update' } },
    },
    async (req) => {
      await saveDueSettings(db, actor(req), req.body);
      return dueSettings(db, org(req).id);
    },
  );
}
