import type { Flash } from '../web/views.js';
import { orgToday } from '../web/time.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ACTION_STATUSES, CAUSE_METHODS, GRADES, NC_STATUSES, nextStatuses, SIMILAR } from '../domain/nonconformity.js';
import { can } from '../domain/permissions.js';
import { FINDING_VERDICTS, type Verdict } from '../domain/verdicts.js';
import type { OrgAccess } from '../web/context.js';
import { HttpError, notFound } from '../web/errors.js';
import { parseLocalised } from '../web/validation.js';
import { findingApiRoutes } from './api.js';
import { ownNonconformity, proposalApiRoutes, validProposal } from './proposal-api.js';
import { auditeeView } from './auditee.js';
import { actionEvidence, CompletionInput, completeAction, ReassignInput, reassignAction } from './action-completion.js';
import { createEvidence } from '../evidence/queries.js';
import { acceptFile, readUpload } from '../evidence/upload.js';
import { DecisionInput, ProposalForm, ProposalParams } from './proposal-schemas.js';
import { acceptProposal, acknowledge, createProposal, getProposal, returnProposal } from './proposals.js';
import { PROPOSAL_STEPS } from '../domain/proposal.js';
import {
  actionEditable,
  correctiveActions,
  getAction,
  ncStatusOf,
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
  assertAuditOpen,
} from './queries.js';
import {
  type ActionRegisterRow,
  actionRegister,
  actionRegisterCount,
  filterChoices,
  isMemberOf,
  memberOrgByCode,
  memberOrgCount,
  memberOrgs,
  type NcRegisterRow,
  ncRegister,
  ncRegisterCount,
} from './registers.js';
import {
  ACTION_ROWS,
  ActionParams,
  ActionStatusInput,
  AuditFindingForm,
  AuditParams,
  DraftQuery,
  FINDING_KINDS,
  FindingDetailsInput,
  FindingParams,
  OrgFindingForm,
  OTHER_SOURCES,
  OrgCodeQuery,
  NcCursorQuery,
  PageQuery,
  RegisterQuery,
  SettingsInput,
  TransitionForm,
} from './schemas.js';

const org = (req: FastifyRequest): OrgAccess => req.org as OrgAccess;
/** Due and overdue are the organisation's: today in its zone (src/web/time.ts). */
const today = (req: FastifyRequest) => orgToday(req);

/** Saved, but a due date already past (the organisation's today) is worth a warning: it shows as overdue at once. */
function savedFlash(req: FastifyRequest, key: string, ref: string, dueDate: string | null | undefined): Flash {
  if (dueDate && dueDate < today(req)) return { kind: 'warn', key: 'findings.pastDue', params: { ref, date: dueDate } };
  return { kind: 'ok', key, params: { ref } };
}
const actor = (req: FastifyRequest) => ({ orgId: org(req).id, userId: req.user!.id });

/** Rows per register page. */
const REGISTER_PAGE = 100;
/** Up to this many organisations the cross-organisation registers list them to filter by; beyond, a code is typed. */
const ORG_PICKER_MAX = 250;

/**
 * The register's URL for another page, keeping the filters. With a cursor (`after` / `before` a row's
 * `<raised on>.<id>`) the page number only labels the page; the cursor says where it starts.
 */
export function pageUrl(base: string, query: unknown, page: number, cursor?: { after: string } | { before: string }) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries((query ?? {}) as Record<string, unknown>))
    if (k !== 'page' && k !== 'after' && k !== 'before' && typeof v === 'string' && v !== '') p.append(k, v);
  if (page > 1 && cursor) for (const [k, v] of Object.entries(cursor)) p.set(k, v);
  if (page > 1) p.set('page', String(page));
  const qs = p.toString();
  return qs ? `${base}?${qs}` : base;
}

/** Kind and grade a checklist verdict suggests for the drafted finding. */
export function draftFromVerdict(v: Verdict | string | undefined): { kind: string; grade: string } {
  if (v === 'major_nc') return { kind: 'nonconformity', grade: 'major' };
  if (v === 'minor_nc') return { kind: 'nonconformity', grade: 'minor' };
  if (v === 'observation' || v === 'ofi') return { kind: v, grade: '' };
  return { kind: 'nonconformity', grade: '' };
}

export async function findingRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { db } = app;
  const read = (resource?: string) =>
    ({ access: { kind: 'org', permission: 'org.read', ...(resource && { resource }) } }) as const;
  const manage = (resource?: string) =>
    ({ access: { kind: 'org', permission: 'finding.manage', ...(resource && { resource }) } }) as const;

  // ---- raising findings ----
  const formPage = async (req: FastifyRequest, reply: FastifyReply, data: Record<string, unknown>) => {
    const [choices, settings] = await Promise.all([formChoices(db, org(req).id), dueSettings(db, org(req).id)]);
    return reply.page('findings/form.eta', {
      title: req.t('findings.new'),
      ...choices,
      settings,
      kinds: FINDING_KINDS,
      grades: GRADES,
      sources: OTHER_SOURCES,
      ...data,
    });
  };

  app.get(
    '/audits/:auditId/findings',
    { schema: { params: AuditParams }, config: read('audit') },
    async (req, reply) => {
      const audit = await auditOf(db, org(req).id, req.params.auditId);
      if (!audit) throw notFound();
      const findings = await listFindings(db, org(req).id, audit.id);
      return reply.page('findings/list.eta', {
        title: `${req.t('findings.title')} · ${audit.title}`,
        audit,
        findings,
        today: today(req),
      });
    },
  );

  app.get(
    '/audits/:auditId/findings/new',
    { schema: { params: AuditParams, querystring: DraftQuery }, config: manage('audit') },
    async (req, reply) => {
      const audit = await auditOf(db, org(req).id, req.params.auditId);
      if (!audit || !req.query.requirementId) throw notFound();
      const requirement = await requirementOf(db, audit.checklist_version_id, req.query.requirementId);
      if (!requirement) throw notFound();
      const response = await responseOf(db, audit.id, requirement.id);
      const draft = draftFromVerdict(response?.verdict);
      const text = req.locale === 'zh-CN' ? requirement.text_zh : requirement.text_en;
      const values = {
        requirementId: requirement.id,
        ...draft,
        statementRequirement: `${requirement.id} (${requirement.clause_id}) ${text}`,
        statementEvidence: response?.notes ?? '',
        statementNonconformity: '',
      };
      return formPage(req, reply, {
        audit,
        requirement,
        response,
        values,
        offered: FINDING_VERDICTS.includes(response?.verdict as Verdict),
        action: `/audits/${audit.id}/findings`,
      });
    },
  );

  app.post(
    '/audits/:auditId/findings',
    { schema: { params: AuditParams }, config: manage('audit') },
    async (req, reply) => {
      const audit = await auditOf(db, org(req).id, req.params.auditId);
      if (!audit) throw notFound();
      assertAuditOpen(audit); // issued while the form was open: 409 before anything typed is judged
      const body = (req.body ?? {}) as Record<string, unknown>; // an empty post has no body at all
      const requirement =
        typeof body.requirementId === 'string'
          ? await requirementOf(db, audit.checklist_version_id, body.requirementId)
          : undefined;
      if (!requirement) throw notFound();
      const again = (errors: Record<string, string[]>) =>
        formPage(req, reply.code(422), {
          audit,
          requirement,
          values: body,
          errors,
          action: `/audits/${audit.id}/findings`,
        });
      const r = parseLocalised(AuditFindingForm, body, req.locale, req.t);
      if (!r.ok) return again(r.fieldErrors);
      const bad = invalidLink(await formChoices(db, org(req).id), r.data);
      if (bad) return again({ [bad]: [req.t('findings.errors.notInOrganisation')] });
      const response = await responseOf(db, audit.id, requirement.id);
      const f = await createAuditFinding(db, actor(req), audit, requirement, response?.id ?? null, r.data);
      return reply.flash(savedFlash(req, 'findings.created', f.ref, f.due_date)).redirect(`/findings/${f.id}`, 303);
    },
  );

  app.get('/orgs/:orgId/findings', { config: read() }, async (req, reply) => {
    const findings = await listFindings(db, org(req).id);
    return reply.page('findings/list.eta', {
      title: req.t('findings.title'),
      audit: null,
      findings,
      today: today(req),
    });
  });

  app.get('/orgs/:orgId/findings/new', { config: manage() }, async (req, reply) =>
    formPage(req, reply, {
      audit: null,
      values: { kind: 'nonconformity', source: 'incident' },
      action: `/orgs/${org(req).id}/findings`,
    }),
  );

  app.post('/orgs/:orgId/findings', { config: manage() }, async (req, reply) => {
    const again = (errors: Record<string, string[]>) =>
      formPage(req, reply.code(422), {
        audit: null,
        values: req.body,
        errors,
        action: `/orgs/${org(req).id}/findings`,
      });
    const r = parseLocalised(OrgFindingForm, req.body, req.locale, req.t);
    if (!r.ok) return again(r.fieldErrors);
    const bad = invalidLink(await formChoices(db, org(req).id), r.data);
    if (bad) return again({ [bad]: [req.t('findings.errors.notInOrganisation')] });
    const f = await createOrgFinding(db, actor(req), r.data);
    return reply.flash(savedFlash(req, 'findings.created', f.ref, f.due_date)).redirect(`/findings/${f.id}`, 303);
  });

  // ---- a finding and its nonconformity lifecycle ----
  const findingPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    findingId: number,
    extra: Record<string, unknown> = {},
  ) => {
    const f = await getFinding(db, org(req).id, findingId);
    if (!f) throw notFound();
    const nc = f.kind === 'nonconformity';
    const [actions, tl, choices] = await Promise.all([
      nc ? correctiveActions(db, org(req).id, f.id) : [],
      nc ? timeline(db, org(req).id, f.id) : [],
      formChoices(db, org(req).id),
    ]);
    const auditee = nc
      ? await auditeeView(
          db,
          org(req).id,
          { id: req.user!.id, manages: can(org(req).role, 'finding.manage') },
          f,
          actions,
          today(req),
        )
      : null;
    const [evidenceByAction, library] = nc
      ? await Promise.all([
          actionEvidence(
            db,
            org(req).id,
            actions.map((a) => a.id),
          ),
          db
            .selectFrom('evidence')
            .select(['id', 'title'])
            .where('organization_id', '=', org(req).id)
            .orderBy('title')
            .limit(500)
            .execute(),
        ])
      : [new Map(), []];
    return reply.page('findings/show.eta', {
      auditee,
      evidenceByAction,
      library,
      completionErrors: {},
      completionValues: {},
      orgToday: today(req),
      proposalSteps: PROPOSAL_STEPS,
      failedStep: null,
      proposalErrors: {},
      proposalValues: {},
      title: `${f.ref}`,
      f,
      nc,
      actions,
      timeline: tl,
      ...choices,
      today: today(req),
      detailErrors: {},
      details: {
        ownerUserId: f.owner_user_id ?? '',
        processId: f.process_id ?? '',
        serviceId: f.service_id ?? '',
        otherPartyId: f.other_party_id ?? '',
        dueDate: f.due_date ?? '',
      },
      statuses: NC_STATUSES,
      next: nc ? nextStatuses(ncStatusOf(f)) : [],
      methods: CAUSE_METHODS,
      similar: SIMILAR,
      actionStatuses: ACTION_STATUSES,
      actionRows: ACTION_ROWS,
      actionsEditable: actionEditable(f.status),
      canManage: can(org(req).role, 'finding.manage'),
      canUpdate: can(org(req).role, 'action.update'),
      canImprove: can(org(req).role, 'action.update'),
      failedTo: null,
      ...extra,
    });
  };

  app.get('/findings/:findingId', { schema: { params: FindingParams }, config: read('finding') }, async (req, reply) =>
    findingPage(req, reply, req.params.findingId),
  );

  app.post(
    '/findings/:findingId/transitions',
    { schema: { params: FindingParams }, config: manage('finding') },
    async (req, reply) => {
      const f = await getFinding(db, org(req).id, req.params.findingId);
      if (f?.kind !== 'nonconformity') throw notFound();
      const failed = (failedTo: unknown, errors: Record<string, string[]>) =>
        findingPage(req, reply.code(422), f.id, { failedTo, errors, values: req.body });
      const r = parseLocalised(TransitionForm, req.body, req.locale, req.t);
      if (!r.ok) return failed((req.body as Record<string, unknown>).to, r.fieldErrors);
      const { to, ...fields } = r.data;
      const out = await runTransition(db, actor(req), f.id, to, fields);
      if (!out.ok) {
        const m = refusalMessage(req.t, out);
        return failed(to, { _form: [req.t(m.key, m.params)] });
      }
      return reply
        .flash({ kind: 'ok', key: 'findings.transitioned', params: { status: req.t(`findings.status.${to}`) } })
        .redirect(`/findings/${f.id}`, 303);
    },
  );

  // ---- the auditee's part (10.1): acknowledge, propose; an auditor accepts or returns ----
  app.post(
    '/findings/:findingId/acknowledge',
    { schema: { params: FindingParams }, config: read('finding') },
    async (req, reply) => {
      const f = await ownNonconformity(req, db, req.params.findingId);
      await acknowledge(db, actor(req), f.id);
      return reply.flash({ kind: 'ok', key: 'proposals.acknowledged' }).redirect(`/findings/${f.id}`, 303);
    },
  );

  app.post(
    '/findings/:findingId/proposals',
    { schema: { params: FindingParams }, config: read('finding') },
    async (req, reply) => {
      const f = await ownNonconformity(req, db, req.params.findingId);
      const body = (req.body ?? {}) as Record<string, unknown>; // an empty post has no body at all
      const failed = (errors: Record<string, string[]>) =>
        findingPage(req, reply.code(422), f.id, {
          failedStep: body.step,
          proposalErrors: errors,
          proposalValues: body,
        });
      const r = parseLocalised(ProposalForm, body, req.locale, req.t);
      if (!r.ok) return failed(r.fieldErrors);
      try {
        const fields = await validProposal(req, db, f, r.data);
        await createProposal(db, actor(req), f, r.data.step, fields);
      } catch (err) {
        if (err instanceof HttpError && err.statusCode === 422) return failed({ _form: [req.t(err.key, err.params)] });
        throw err;
      }
      return reply
        .flash({
          kind: 'ok',
          key: 'proposals.sent',
          params: { step: req.t(`proposals.step.${r.data.step}`) },
        })
        .redirect(`/findings/${f.id}`, 303);
    },
  );

  app.post(
    '/proposals/:proposalId/decision',
    {
      schema: { params: ProposalParams },
      config: { access: { kind: 'org', permission: 'finding.manage', resource: 'proposal' } },
    },
    async (req, reply) => {
      const p = await getProposal(db, org(req).id, req.params.proposalId);
      if (!p) throw notFound();
      const back = `/findings/${p.finding_id}`;
      if (p.status !== 'pending')
        return reply.flash({ kind: 'error', key: 'proposals.alreadyDecided' }).redirect(back, 303);
      const r = parseLocalised(DecisionInput, req.body, req.locale, req.t);
      if (!r.ok)
        return findingPage(req, reply.code(422), p.finding_id, {
          decisionErrors: { [p.id]: r.fieldErrors },
          decisionValues: { [p.id]: req.body },
        });
      if (r.data.decision === 'return') {
        await returnProposal(db, actor(req), p.id, r.data.comment);
        return reply.flash({ kind: 'ok', key: 'proposals.returned' }).redirect(back, 303);
      }
      const out = await acceptProposal(db, actor(req), p, r.data.comment);
      if (!out.ok) {
        const m = refusalMessage(req.t, out);
        return findingPage(req, reply.code(422), p.finding_id, {
          decisionErrors: { [p.id]: { _form: [req.t(m.key, m.params)] } },
          decisionValues: { [p.id]: req.body },
        });
      }
      return reply.flash({ kind: 'ok', key: 'proposals.accepted' }).redirect(back, 303);
    },
  );

  // ---- completing and handing on a corrective action (note, date, evidence picked or uploaded) ----
  const actionAccess = { access: { kind: 'org', permission: 'action.update', resource: 'action' } } as const;
  app.post(
    '/actions/:actionId/complete',
    { schema: { params: ActionParams }, config: { ...actionAccess, upload: true } },
    async (req, reply) => {
      const a = await getAction(db, org(req).id, req.params.actionId);
      if (!a) throw notFound();
      const back = a.finding_id !== null ? `/findings/${a.finding_id}` : `/reviews/${a.review_id}`;
      if (!actionEditable(a.nc_status))
        return reply.flash({ kind: 'error', key: 'findings.refused.actionLocked' }).redirect(back, 303);
      const raw = req.isMultipart()
        ? await readUpload(req, app.config.uploadLimitBytes)
        : { fields: req.body as Record<string, string>, file: null };
      const failed = (errors: Record<string, string[]>) =>
        a.finding_id === null
          ? reply.flash({ kind: 'error', key: 'errors.validation' }).redirect(back, 303)
          : findingPage(req, reply.code(422), a.finding_id, {
              completionErrors: { [a.id]: errors },
              completionValues: { [a.id]: raw.fields },
            });
      const r = parseLocalised(CompletionInput, raw.fields, req.locale, req.t);
      if (!r.ok) return failed(r.fieldErrors);
      const today = orgToday(req);
      if (r.data.completedOn > today) return failed({ completedOn: [req.t('actionCompletion.errors.completedOn')] });
      const evidenceIds = [...r.data.evidenceIds];
      if (raw.file) {
        let file: ReturnType<typeof acceptFile>;
        try {
          file = acceptFile(raw.file);
        } catch (err) {
          if (err instanceof HttpError) return failed({ file: [req.t(err.key, err.params)] });
          throw err;
        }
        const created = await createEvidence(db, org(req).id, req.user!.id, {
          input: {
            title: raw.fields.evidenceTitle?.trim().slice(0, 300) || file.name,
            kind: 'record',
            versionLabel: '',
            owner: '',
            approvedOn: null,
            nextReviewOn: null,
            location: '',
            description: req.t('actionCompletion.uploadedFor', { ref: a.ref }),
          },
          file,
        });
        evidenceIds.push(created.id);
      }
      const out = await completeAction(db, actor(req), a.id, { ...r.data, evidenceIds }, today);
      if (!out.ok) return failed({ [out.field]: [req.t(`actionCompletion.errors.${out.field}`)] });
      return reply
        .flash({ kind: 'ok', key: 'actionCompletion.completed', params: { ref: a.ref } })
        .redirect(`${back}#action-${a.id}`, 303);
    },
  );

  app.post(
    '/actions/:actionId/reassign',
    { schema: { params: ActionParams }, config: actionAccess },
    async (req, reply) => {
      const a = await getAction(db, org(req).id, req.params.actionId);
      if (!a) throw notFound();
      const back = a.finding_id !== null ? `/findings/${a.finding_id}` : `/reviews/${a.review_id}`;
      if (!actionEditable(a.nc_status))
        return reply.flash({ kind: 'error', key: 'findings.refused.actionLocked' }).redirect(back, 303);
      const r = parseLocalised(ReassignInput, req.body, req.locale, req.t);
      if (!r.ok || !(await reassignAction(db, actor(req), a.id, r.data.ownerUserId)))
        return reply.flash({ kind: 'error', key: 'actionCompletion.errors.ownerUserId' }).redirect(back, 303);
      return reply
        .flash({ kind: 'ok', key: 'actionCompletion.reassigned', params: { ref: a.ref } })
        .redirect(`${back}#action-${a.id}`, 303);
    },
  );

  app.post(
    '/findings/:findingId/details',
    { schema: { params: FindingParams }, config: manage('finding') },
    async (req, reply) => {
      const f = await getFinding(db, org(req).id, req.params.findingId);
      if (!f) throw notFound();
      const failed = (detailErrors: Record<string, string[]>) =>
        findingPage(req, reply.code(422), f.id, { detailErrors, details: req.body });
      const r = parseLocalised(FindingDetailsInput, req.body, req.locale, req.t);
      if (!r.ok) return failed(r.fieldErrors);
      const bad = invalidLink(await formChoices(db, org(req).id), r.data);
      if (bad) return failed({ [bad]: [req.t('findings.errors.notInOrganisation')] });
      await updateFindingDetails(db, actor(req), f.id, r.data);
      return reply.flash(savedFlash(req, 'common.saved', f.ref, r.data.dueDate)).redirect(`/findings/${f.id}`, 303);
    },
  );

  app.post(
    '/actions/:actionId/status',
    {
      schema: { params: ActionParams },
      config: { access: { kind: 'org', permission: 'action.update', resource: 'action' } },
    },
    async (req, reply) => {
      const a = await getAction(db, org(req).id, req.params.actionId);
      if (!a) throw notFound();
      const back = a.finding_id !== null ? `/findings/${a.finding_id}` : `/reviews/${a.review_id}`;
      const r = parseLocalised(ActionStatusInput, req.body, req.locale, req.t);
      if (!r.ok) return reply.flash({ kind: 'error', key: 'findings.errors.actionStatus' }).redirect(back, 303);
      if (!actionEditable(a.nc_status))
        return reply.flash({ kind: 'error', key: 'findings.refused.actionLocked' }).redirect(back, 303);
      await updateActionStatus(db, actor(req), a.id, r.data.status);
      return reply.flash({ kind: 'ok', key: 'common.saved' }).redirect(back, 303);
    },
  );

  // ---- registers ----
  // One page at a time: a consultant's register across 200 organisations holds tens of thousands of rows.
  const registerPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    what: 'nonconformities' | 'actions',
    orgIds: number[],
    /** Across organisations: the organisations to pick from, or null when there are too many to list (a code instead). */
    picker: Awaited<ReturnType<typeof memberOrgs>> | null | undefined,
    /** Across organisations: how many the user is a member of (`orgIds` is empty when they are too many to list). */
    memberCount?: number,
  ) => {
    const r = parseLocalised(RegisterQuery, req.query, req.locale, req.t);
    const q = r.ok ? r.data : RegisterQuery.parse({});
    const cross = picker !== undefined;
    const { orgCode } = OrgCodeQuery.parse(req.query);
    if (cross && orgCode && !q.org) q.org = (await memberOrgByCode(db, req.user!.id, orgCode)) ?? -1; // unknown: none
    const scope = { orgIds, memberOf: cross ? req.user!.id : undefined, memberCount };
    // Filter choices: one organisation's (across organisations, the one picked, if the user is its member).
    const choicesOf = !cross || picker || !q.org ? orgIds : (await isMemberOf(db, req.user!.id, q.org)) ? [q.org] : [];
    const nc = what === 'nonconformities';
    let page = PageQuery.parse(req.query).page;
    // The nonconformity register pages by keyset (issue 20): its links carry the sort key of the row a page continues
    // from, so a deep page is a seek in the register index, not a walk over every row before it. `?page=` alone (the
    // first pages, older links) still pages by offset. The action register pages by offset.
    const { after, before } = nc ? NcCursorQuery.parse(req.query) : {};
    const cursor = after ?? before;
    if (cursor && page === 1) page = 2; // a cursor link without its page number: not the first page
    // One row more than a page says whether there is a page beyond (after this one, or before it).
    const limit = REGISTER_PAGE + 1;
    const rowsOf = async (): Promise<Array<NcRegisterRow | ActionRegisterRow>> => {
      if (!nc)
        return actionRegister(db, scope, q, req.user!.id, today(req), { limit, offset: (page - 1) * REGISTER_PAGE });
      if (cursor) {
        const rows = await ncRegister(db, scope, q, req.user!.id, today(req), { limit, after, before });
        // Fewer rows before the cursor than a page: this is the start of the register (rows were added or removed).
        if (!before || rows.length === limit) return rows;
        page = 1;
      }
      return ncRegister(db, scope, q, req.user!.id, today(req), { limit, offset: (page - 1) * REGISTER_PAGE });
    };
    const [fetched, total, choices] = await Promise.all([
      rowsOf(),
      nc
        ? ncRegisterCount(db, scope, q, req.user!.id, today(req))
        : actionRegisterCount(db, scope, q, req.user!.id, today(req)),
      filterChoices(db, choicesOf, cross ? (q.org ?? -1) : null),
    ]);
    const backwards = page > 1 && before !== undefined;
    const beyond = fetched.length > REGISTER_PAGE;
    // Before a cursor the extra row is the first (the newest); otherwise the last.
    const rows = beyond ? (backwards ? fetched.slice(1) : fetched.slice(0, REGISTER_PAGE)) : fetched;
    const offset = (page - 1) * REGISTER_PAGE;
    const base = cross ? `/${what}` : `/orgs/${orgIds[0]}/${what}`;
    // Past COUNT_CAP rows the number of pages is not known: "next" while there are more rows.
    const pages = total.more ? null : Math.max(1, Math.ceil(total.n / REGISTER_PAGE));
    const keyOf = (r: (typeof rows)[number]) => `${(r as NcRegisterRow).raised_on}.${r.id}`;
    const first = rows[0];
    const last = rows.at(-1);
    const hasNext = backwards || beyond;
    const prevPage = pages === null || cursor ? page - 1 : Math.min(page, pages + 1) - 1;
    const prev =
      page <= 1
        ? null
        : nc && first && prevPage > 1
          ? pageUrl(base, req.query, prevPage, { before: keyOf(first) })
          : pageUrl(base, req.query, prevPage);
    const next = !hasNext
      ? null
      : nc && last
        ? pageUrl(base, req.query, page + 1, { after: keyOf(last) })
        : pageUrl(base, req.query, page + 1);
    return reply.page(`findings/${what}.eta`, {
      title: req.t(`findings.registers.${what}`),
      rows,
      q,
      ...choices,
      orgs: picker ?? null,
      orgCode: orgCode ?? '',
      cross,
      base,
      grades: GRADES,
      statuses: what === 'nonconformities' ? NC_STATUSES : ACTION_STATUSES,
      today: today(req),
      isAdmin: !cross && can(org(req).role, 'org.update'),
      pager: {
        total: total.n,
        more: total.more,
        page,
        pages,
        from: rows.length ? offset + 1 : Math.min(total.n, offset + 1),
        to: offset + rows.length,
        prev,
        next,
      },
    });
  };
  app.get('/orgs/:orgId/nonconformities', { config: read() }, async (req, reply) =>
    registerPage(req, reply, 'nonconformities', [org(req).id], undefined),
  );
  app.get('/orgs/:orgId/actions', { config: read() }, async (req, reply) =>
    registerPage(req, reply, 'actions', [org(req).id], undefined),
  );
  const cross = async (req: FastifyRequest, reply: FastifyReply, what: 'nonconformities' | 'actions') => {
    const count = await memberOrgCount(db, req.user!.id);
    // A consultant with thousands of clients gets a code field instead of a list that would grow the page with them;
    // the register's queries then name the organisations through membership, not by listing their ids.
    const picker = count <= ORG_PICKER_MAX ? await memberOrgs(db, req.user!.id) : null;
    return registerPage(req, reply, what, picker ? picker.map((o) => o.id) : [], picker, count);
  };
  app.get('/nonconformities', async (req, reply) => cross(req, reply, 'nonconformities'));
  app.get('/actions', async (req, reply) => cross(req, reply, 'actions'));

  // ---- settings: due days per grade ----
  const settingsConfig = { access: { kind: 'org', permission: 'org.update' } } as const;
  app.get('/orgs/:orgId/settings/findings', { config: settingsConfig }, async (req, reply) => {
    const s = await dueSettings(db, org(req).id);
    return reply.page('findings/settings.eta', { title: req.t('findings.settings.title'), values: s });
  });
  app.post('/orgs/:orgId/settings/findings', { config: settingsConfig }, async (req, reply) => {
    const r = parseLocalised(SettingsInput, req.body, req.locale, req.t);
    if (!r.ok)
      return reply.code(422).page('findings/settings.eta', {
        title: req.t('findings.settings.title'),
        values: req.body,
        errors: r.fieldErrors,
      });
    await saveDueSettings(db, actor(req), r.data);
    return reply.flash({ kind: 'ok', key: 'common.saved' }).redirect(`/orgs/${org(req).id}/settings/findings`, 303);
  });

  await app.register(findingApiRoutes);
  await app.register(proposalApiRoutes);
}
