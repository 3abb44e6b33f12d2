import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { readinessChartSvg } from '../../reports/charts/readiness-chart.js';
import { clausesOf } from '../checklists/queries.js';
import { MAX_ID } from '../db/ids.js';
import { availableTransitions, isEditable } from '../domain/audit-status.js';
import { impartialityConcerns } from '../domain/impartiality.js';
import { can } from '../domain/permissions.js';
import { AUDIT_TYPES } from '../domain/audit-status.js';
import { VERDICTS } from '../domain/verdicts.js';
import { evidenceForResponses, listEvidence } from '../evidence/queries.js';
import { listMembers } from '../organisations/queries.js';
import { REGISTERS } from '../organisations/registers.js';
import { OrgParams } from '../organisations/schemas.js';
import type { OrgAccess } from '../web/context.js';
import { conflict, HttpError, notFound } from '../web/errors.js';
import type { Translate } from '../web/i18n.js';
import { withRecordNames } from '../trail/names.js';
import { recordHistory, withChanges } from '../trail/queries.js';
import { dbId, parseLocalised } from '../web/validation.js';
import { listOf, sampleOf } from '../domain/report-content.js';
import { acceptancesOf, reportContent } from '../reports/report-content.js';
import { acceptanceRoutes } from './acceptance.js';
import { auditApiRoutes } from './api.js';
import { checklistRoutes } from './checklist-routes.js';
import { problemsForPage } from './problem-summary.js';
import { describeProblems, issueCheck } from './issue-check.js';
import { revisionOrdinal } from '../domain/revision.js';
import {
  assertOnAuditTeam,
  assignAuditor,
  bulkSetVerdict,
  bulkTargets,
  takeOverBaseline,
  transitionAudit,
  unassignAuditor,
  updateAudit,
} from './commands.js';
import { crossAuditTable, organisationReadiness, requirementHistory } from './history.js';
import {
  assignments,
  auditProcesses,
  auditReadiness,
  auditResponses,
  auditTeam,
  baselineAnswers,
  createAudit,
  getAudit,
  listAudits,
  previousComparable,
  type ResponseRow,
  scopeOf,
  statusOf,
} from './queries.js';
import {
  AssignmentInput,
  AuditForm,
  AuditParams,
  AuditPatch,
  ReportContentForm,
  BulkVerdictInput,
  ScopeForm,
  OrgReadinessOut,
  ResponseParams,
  TransitionInput,
} from './schemas.js';

const org = (req: FastifyRequest) => req.org as OrgAccess;
const actor = (req: FastifyRequest) => ({ orgId: org(req).id, userId: req.user!.id });
const onAudit = (permission: 'org.read' | 'audit.manage' | 'audit.respond') =>
  ({ access: { kind: 'org', permission, resource: 'audit' } }) as const;
const onOrg = (permission: 'org.read' | 'audit.manage') => ({ access: { kind: 'org', permission } }) as const;
const HistoryQuery = z.object({
  clause: z
    .string()
    .regex(/^([4-9]|10)(\.\d+)*$/)
    .optional()
    .or(z.literal('').transform(() => undefined)),
  verdict: z
    .enum(VERDICTS)
    .optional()
    .or(z.literal('').transform(() => undefined)),
  type: z
    .enum(AUDIT_TYPES)
    .optional()
    .or(z.literal('').transform(() => undefined)),
  from: z.iso
    .date()
    .optional()
    .or(z.literal('').transform(() => undefined)),
  to: z.iso
    .date()
    .optional()
    .or(z.literal('').transform(() => undefined)),
});
const NewAuditQuery = z.object({ programmeId: dbId.optional() });
const ItemParams = z.object({ orgId: dbId, requirementId: z.string().regex(/^\d+(\.\d+)*-\d+$/) });

export function chartFor(
  t: Translate,
  pick: (zh: string, en: string) => string,
  titles: Map<string, { title_zh: string; title_en: string }>,
  r: ReturnType<typeof auditReadiness>,
  previous?: ReturnType<typeof auditReadiness> | null,
) {
  const prev = new Map(previous?.byClause.map((c) => [c.clause, c.readiness]) ?? []);
  const bars = r.byClause.map((c) => {
    const title = titles.get(c.clause);
    return {
      label: `${c.clause} ${title ? pick(title.title_zh, title.title_en) : ''}`,
      value: c.readiness,
      previous: prev.get(c.clause) ?? null,
    };
  });
  bars.push({ label: t('audits.overall'), value: r.overall, previous: previous ? previous.overall : null });
  // On the page the chart fills its card (static/app.css): drawn 960 wide with 15 px text, it reads at screen size.
  return readinessChartSvg(bars, {
    title: t('audits.readinessChart'),
    previousLabel: previous ? t('audits.previousAudit') : undefined,
    width: 960,
    fontSize: 15,
  });
}

export async function auditRoutes(base: FastifyInstance) {
  await base.register(auditApiRoutes);
  await base.register(checklistRoutes);
  await base.register(acceptanceRoutes);
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { db } = app;
  const pick = (req: FastifyRequest) => (zh: string, en: string) => (req.locale === 'zh-CN' ? zh : en);
  // A checklist version's clauses never change once loaded (see ./items.ts): read once per version.
  const titlesOf = new Map<number, Promise<Map<string, Awaited<ReturnType<typeof clausesOf>>[number]>>>();
  const clauseTitles = (versionId: number) => {
    let titles = titlesOf.get(versionId);
    if (!titles) {
      titles = clausesOf(db, versionId).then((cs) => new Map(cs.map((c) => [c.id, c])));
      titles.then(
        (m) => {
          if (m.size === 0) titlesOf.delete(versionId);
        },
        () => titlesOf.delete(versionId),
      );
      titlesOf.set(versionId, titles);
    }
    return titles;
  };

  app.get('/orgs/:orgId/audits', { schema: { params: OrgParams }, config: onOrg('org.read') }, async (req, reply) =>
    reply.page('audits/list.eta', {
      title: req.t('audits.title'),
      audits: await listAudits(db, org(req).id),
      canManage: can(org(req).role, 'audit.manage'),
    }),
  );

  const formPage = async (req: FastifyRequest, reply: FastifyReply, values: Record<string, unknown>, errors = {}) => {
    const orgId = org(req).id;
    const [members, processes, services, programmes, audits] = await Promise.all([
      listMembers(db, orgId),
      REGISTERS[1].list(db, orgId),
      REGISTERS[0].list(db, orgId),
      db
        .selectFrom('audit_programme')
        .select(['id', 'title'])
        .where('organization_id', '=', orgId)
        .orderBy('id', 'desc')
        .execute(),
      listAudits(db, orgId),
    ]);
    return reply.page('audits/new.eta', {
      title: req.t('audits.new'),
      members,
      processes,
      services,
      programmes,
      audits,
      types: AUDIT_TYPES,
      values,
      errors,
    });
  };

  app.get(
    '/orgs/:orgId/audits/new',
    { schema: { params: OrgParams, querystring: NewAuditQuery }, config: onOrg('audit.manage') },
    async (req, reply) =>
      formPage(req, reply, {
        type: 'internal',
        programmeId: req.query.programmeId ?? '',
        scopeClauses: ['4', '5', '6', '7', '8', '9', '10'],
      }),
  );

  app.post(
    '/orgs/:orgId/audits',
    { schema: { params: OrgParams }, config: onOrg('audit.manage') },
    async (req, reply) => {
      const r = parseLocalised(AuditForm, req.body, req.locale, req.t);
      if (!r.ok) return formPage(req, reply.code(422), req.body as Record<string, unknown>, r.fieldErrors);
      try {
        const id = await createAudit(db, org(req).id, r.data, req.user!.id);
        return reply.flash({ kind: 'ok', key: 'audits.created' }).redirect(`/audits/${id}`, 303);
      } catch (e) {
        if (e instanceof HttpError && e.statusCode === 422) {
          return formPage(req, reply.code(422), req.body as Record<string, unknown>, {
            _form: [req.t(e.key, e.params)],
          });
        }
        throw e;
      }
    },
  );

  /** The audit page; `extra` carries a form's refusal (errors and what was typed) when it is shown again. */
  const showPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    auditId: number,
    extra: Record<string, unknown> = {},
  ) => {
    const a = await getAudit(db, org(req).id, auditId);
    const history = await withRecordNames(
      db,
      a.organization_id,
      withChanges(
        await recordHistory(db, a.organization_id, ['audit', 'audit_response', 'audit_assignment'], a.id, 100),
      ),
    );
    const [responses, team, assigned, processes, members, previous, titles, revisions, baseline] = await Promise.all([
      auditResponses(db, a),
      auditTeam(db, a.id),
      assignments(db, a.id),
      auditProcesses(db, a.organization_id),
      listMembers(db, a.organization_id),
      previousComparable(db, a),
      clauseTitles(a.checklist_version_id),
      db
        .selectFrom('audit_revision')
        .select(['revision', 'issued_at'])
        .where('audit_id', '=', a.id)
        .orderBy('revision')
        .execute(),
      // The earlier audit this one starts from, named by its title (never its id).
      a.baseline_audit_id
        ? db
            .selectFrom('audit')
            .select(['id', 'title'])
            .where('id', '=', a.baseline_audit_id)
            .where('organization_id', '=', a.organization_id)
            .executeTakeFirst()
        : undefined,
    ]);
    const r = auditReadiness(a, responses);
    const [content, acceptances] = await Promise.all([
      reportContent(db, a.organization_id, a),
      acceptancesOf(db, a.id, a.revision),
    ]);
    // What still stands between this audit and its issue, listed on the page before anyone presses "issue".
    const problems = ['in_progress', 'reporting'].includes(a.status)
      ? problemsForPage(a.id, describeProblems(req.t, await issueCheck(db, a)), (clause, count) =>
          req.t('audits.problems.notAssessedInClause', { clause, count }),
        )
      : [];
    // 9.2.2 c, as the audit stands now: the current team, assignments and owners; nothing once the audit is issued.
    const conflicts = impartialityConcerns({
      open: isEditable(statusOf(a)),
      team: team.map((m) => m.id),
      processes: processes.map((p) => ({
        id: p.id,
        name: p.name,
        ownerUserId: p.owner_user_id,
        ownerName: p.owner ?? '',
      })),
      scopeProcessIds: JSON.parse(a.scope_processes) as number[],
      assignments: assigned.map((x) => ({ processId: x.process_id, auditorId: x.auditor_id })),
    });
    return reply.page('audits/show.eta', {
      title: a.title,
      a,
      content,
      ownSites: listOf<string>(a.sites_json),
      acceptances,
      isLead: a.lead_auditor_id === req.user!.id,
      status: statusOf(a),
      history,
      team,
      assigned,
      processes,
      members,
      readiness: r,
      previous,
      revisions,
      baseline,
      conflicts,
      problems,
      chart: chartFor(req.t, pick(req), titles, r, previous?.readiness),
      titles,
      transitions: availableTransitions(statusOf(a)),
      canManage: can(org(req).role, 'audit.manage'),
      canRespond: can(org(req).role, 'audit.respond'),
      scope: scopeOf(a),
      scopeProcesses: JSON.parse(a.scope_processes) as number[],
      scopeServices: JSON.parse(a.scope_services) as number[],
      services: await REGISTERS[0].list(db, a.organization_id),
      scopeOpen: ['planned', 'in_progress'].includes(a.status),
      ...extra,
    });
  };

  /**
   * A form of the audit page refused: the page again (422) with what was typed and each field at fault marked; a
   * message for a row of a list (a diverging opinion, a verification) goes above the form.
   */
  const refused = (
    req: FastifyRequest,
    reply: FastifyReply,
    form: 'text' | 'content',
    errors: Record<string, string[]>,
  ) => {
    const byField: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(errors)) {
      const key = k.includes('.') ? '_form' : k;
      byField[key] = [...(byField[key] ?? []), ...v];
    }
    const { auditId } = req.params as { auditId: number };
    // Single fields come back as typed; the list rows (several values under one name) show what is saved.
    const values = Object.fromEntries(
      Object.entries((req.body ?? {}) as Record<string, unknown>).filter(([, v]) => !Array.isArray(v)),
    );
    return showPage(req, reply.code(422), auditId, { errors: byField, values, refused: form });
  };

  app.get('/audits/:auditId', { schema: { params: AuditParams }, config: onAudit('org.read') }, async (req, reply) =>
    showPage(req, reply, req.params.auditId),
  );

  // The scope of an open audit (issue 17): a change that would drop recorded answers shows them and asks first.
  app.post(
    '/audits/:auditId/scope',
    { schema: { params: AuditParams }, config: onAudit('audit.manage') },
    async (req, reply) => {
      const auditId = req.params.auditId;
      const body = (req.body ?? {}) as Record<string, unknown>;
      // Each message goes to the field the person typed or ticked (the clause boxes' text field takes the clauses').
      const formField = (k: string) =>
        k.startsWith('scope.clauses')
          ? 'scopeClausesExtra'
          : k.startsWith('scope.processes')
            ? 'scopeProcesses'
            : k.startsWith('scope.services')
              ? 'scopeServices'
              : k.startsWith('sites')
                ? 'sites'
                : '_form';
      const refuse = (errors: Record<string, string[]>) => {
        const byField: Record<string, string[]> = {};
        for (const [k, v] of Object.entries(errors)) byField[formField(k)] = [...(byField[formField(k)] ?? []), ...v];
        return showPage(req, reply.code(422), auditId, { errors: byField, values: body, scopeRefused: true });
      };
      const r = parseLocalised(ScopeForm, body, req.locale, req.t);
      if (!r.ok) return refuse(r.fieldErrors);
      const audit = await getAudit(db, org(req).id, auditId);
      try {
        const { confirmDrop, ...patch } = r.data;
        await updateAudit(db, actor(req), audit, { ...patch, confirmDrop });
      } catch (e) {
        if (!(e instanceof HttpError)) throw e;
        const dropped = (e.details as { dropped?: { requirementId: string; verdict: string; notes: string }[] })
          ?.dropped;
        if (e.statusCode === 409 && dropped)
          return reply.page('audits/scope-confirm.eta', {
            title: req.t('audits.scope.confirmTitle'),
            a: audit,
            dropped,
            body,
            titles: await clauseTitles(audit.checklist_version_id),
          });
        if (e.statusCode === 422)
          return refuse({
            [e.key === 'audits.errors.unknownScope' ? 'scope.processes' : 'scope.clauses']: [req.t(e.key, e.params)],
          });
        throw e;
      }
      return reply.flash({ kind: 'ok', key: 'audits.scope.saved' }).redirect(`/audits/${auditId}#scope`, 303);
    },
  );

  app.post(
    '/audits/:auditId',
    { schema: { params: AuditParams }, config: onAudit('audit.manage') },
    async (req, reply) => {
      // The team's check boxes send nothing when all are cleared: the form says it carries the team.
      const body = req.body as Record<string, unknown>;
      const r = parseLocalised(
        AuditPatch,
        body?.teamPresent && body.team === undefined ? { ...body, team: [] } : body,
        req.locale,
        req.t,
      );
      if (!r.ok) return refused(req, reply, 'text', r.fieldErrors);
      try {
        await updateAudit(db, actor(req), await getAudit(db, org(req).id, req.params.auditId), r.data);
      } catch (e) {
        if (e instanceof HttpError && e.statusCode === 422)
          return refused(req, reply, 'text', { _form: [req.t(e.key, e.params)] });
        throw e;
      }
      return reply.flash({ kind: 'ok', key: 'common.saved' }).redirect(`/audits/${req.params.auditId}`, 303);
    },
  );

  app.post(
    '/audits/:auditId/report-content',
    { schema: { params: AuditParams }, config: onAudit('audit.manage') },
    async (req, reply) => {
      const back = `/audits/${req.params.auditId}#report-content`;
      const r = parseLocalised(ReportContentForm, req.body, req.locale, req.t);
      if (!r.ok) return refused(req, reply, 'content', r.fieldErrors);
      try {
        await updateAudit(db, actor(req), await getAudit(db, org(req).id, req.params.auditId), r.data);
      } catch (e) {
        if (e instanceof HttpError && e.statusCode === 422)
          return refused(req, reply, 'content', { _form: [req.t(e.key, e.params)] });
        throw e;
      }
      return reply.flash({ kind: 'ok', key: 'common.saved' }).redirect(back, 303);
    },
  );

  app.post(
    '/audits/:auditId/transitions',
    { schema: { params: AuditParams }, config: onAudit('audit.manage') },
    async (req, reply) => {
      const r = TransitionInput.safeParse(req.body);
      if (!r.success) throw notFound();
      try {
        await transitionAudit(db, actor(req), await getAudit(db, org(req).id, req.params.auditId), r.data.action);
        // The flash says what happened ("审核已开始"), not the bare state the audit is now in.
        return reply
          .flash({ kind: 'ok', key: `audits.done.${r.data.action}` })
          .redirect(`/audits/${req.params.auditId}`, 303);
      } catch (e) {
        if (!(e instanceof HttpError)) throw e;
        return reply
          .flash({ kind: 'error', key: e.key, params: e.params })
          .redirect(`/audits/${req.params.auditId}`, 303);
      }
    },
  );

  app.post(
    '/audits/:auditId/assignments',
    { schema: { params: AuditParams }, config: onAudit('audit.manage') },
    async (req, reply) => {
      const r = AssignmentInput.safeParse(req.body);
      const audit = await getAudit(db, org(req).id, req.params.auditId);
      const remove = (req.body as Record<string, unknown>)?.remove === '1';
      try {
        if (!r.success) throw new HttpError(422, 'errors.validation');
        if (remove) await unassignAuditor(db, actor(req), audit, r.data.processId, r.data.auditorId);
        else await assignAuditor(db, actor(req), audit, r.data.processId, r.data.auditorId);
        return reply.flash({ kind: 'ok', key: 'common.saved' }).redirect(`/audits/${audit.id}#assignments`, 303);
      } catch (e) {
        // 409: the audit was issued while the page was open; it answers as such (never a quiet redirect).
        if (!(e instanceof HttpError) || e.statusCode === 409) throw e;
        return reply
          .flash({ kind: 'error', key: e.key, params: e.params })
          .redirect(`/audits/${audit.id}#assignments`, 303);
      }
    },
  );

  // One verdict for every still unassessed item of a clause or of the whole audit: the first post shows what would
  // change (the count), the second (with `confirm`) does it.
  app.post(
    '/audits/:auditId/responses/bulk',
    { schema: { params: AuditParams }, config: onAudit('audit.respond') },
    async (req, reply) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      // The checklist's form: the items ticked ("selected", whatever their verdict now) or every unassessed item.
      const selected = body.target === 'selected';
      const r = parseLocalised(
        BulkVerdictInput,
        selected ? { ...body, onlyUnassessed: '0' } : { ...body, requirementIds: undefined },
        req.locale,
        req.t,
      );
      const clause = typeof body.clause === 'string' && /^[\d.]+$/.test(body.clause) ? body.clause : '';
      const back = `/audits/${req.params.auditId}/checklist${clause ? `?clause=${clause}` : ''}`;
      if (!r.ok) return reply.flash({ kind: 'error', key: 'errors.validation' }).redirect(back, 303);
      if (selected && !r.data.requirementIds?.length)
        return reply.flash({ kind: 'error', key: 'checklist.bulk.noneSelected' }).redirect(back, 303);
      const audit = await getAudit(db, org(req).id, req.params.auditId);
      if (!isEditable(statusOf(audit))) throw conflict('audits.errors.readOnly', { status: audit.status });
      await assertOnAuditTeam(db, audit, req.user!.id);
      const confirmed = body.confirm !== undefined;
      if (!confirmed) {
        const targets = await bulkTargets(db, audit, r.data);
        return reply.page('audits/bulk-confirm.eta', {
          title: req.t('audits.bulk.confirmTitle'),
          a: audit,
          clause: r.data.clause || null,
          verdict: r.data.verdict,
          count: targets.length,
          selected: selected ? targets.map((x) => ({ id: x.requirement_id, verdict: x.verdict })) : null,
          // Items ticked that already hold this verdict change nothing and are not counted.
          unchanged: selected ? r.data.requirementIds!.length - targets.length : 0,
        });
      }
      const changed = await bulkSetVerdict(db, actor(req), audit, r.data);
      return reply
        .flash({
          kind: 'ok',
          key: 'audits.bulk.done',
          params: { count: changed, verdict: req.t(`audits.verdicts.${r.data.verdict}`) },
        })
        .redirect(back, 303);
    },
  );

  app.post(
    '/audits/:auditId/responses/:requirementId/baseline',
    { schema: { params: ResponseParams }, config: onAudit('audit.respond') },
    async (req, reply) => {
      await takeOverBaseline(
        db,
        actor(req),
        await getAudit(db, org(req).id, req.params.auditId),
        req.params.requirementId,
      );
      return reply
        .flash({ kind: 'ok', key: 'audits.takenOver', params: { id: req.params.requirementId } })
        .redirect(
          `/audits/${req.params.auditId}/checklist?item=${req.params.requirementId}#req-${req.params.requirementId}`,
          303,
        );
    },
  );

  app.get(
    '/audits/:auditId/items/:requirementId',
    { schema: { params: ResponseParams }, config: onAudit('org.read') },
    async (req, reply) => {
      const a = await getAudit(db, org(req).id, req.params.auditId);
      const responses = await auditResponses(db, a);
      const item = responses.find((r) => r.requirement_id === req.params.requirementId);
      if (!item) throw notFound();
      const [evidence, library, baseline, history] = await Promise.all([
        evidenceForResponses(db, [item.id]),
        listEvidence(db, a.organization_id),
        baselineAnswers(db, a),
        requirementHistory(db, a.organization_id, item.requirement_id, a.id),
      ]);
      return reply.page('audits/item.eta', {
        title: `${item.requirement_id} — ${a.title}`,
        a,
        r: item,
        sample: sampleOf(item.sample_json) ?? { population: '', size: null, method: '', references: '', result: '' },
        linked: new Set((evidence.get(item.id) ?? []).map((e) => e.id)),
        library,
        baseline: baseline.get(item.requirement_id),
        history,
        verdicts: VERDICTS,
        editable: ['planned', 'in_progress', 'reporting'].includes(a.status) && can(org(req).role, 'audit.respond'),
        selfAssessment: a.type === 'self_assessment',
      });
    },
  );

  app.get(
    '/audits/:auditId/revisions/:revision',
    {
      schema: { params: AuditParams.extend({ revision: z.coerce.number().int().min(0).max(MAX_ID) }) },
      config: onAudit('org.read'),
    },
    async (req, reply) => {
      const rev = await db
        .selectFrom('audit_revision')
        .selectAll()
        .where('audit_id', '=', req.params.auditId)
        .where('revision', '=', req.params.revision)
        .executeTakeFirst();
      if (!rev) throw notFound();
      const snap = JSON.parse(rev.snapshot_json) as {
        audit: { title: string; type: string };
        responses: ResponseRow[];
      };
      return reply.page('audits/revision.eta', {
        title: `${snap.audit.title} — ${req.t('audits.revision', { n: revisionOrdinal(rev.revision) })}`,
        rev,
        snap,
      });
    },
  );

  app.get(
    '/orgs/:orgId/history',
    { schema: { params: OrgParams, querystring: HistoryQuery }, config: onOrg('org.read') },
    async (req, reply) =>
      reply.page('audits/history.eta', {
        title: req.t('audits.history'),
        table: await crossAuditTable(db, org(req).id, req.query),
        f: req.query,
        verdicts: VERDICTS,
        types: AUDIT_TYPES,
      }),
  );

  app.get(
    '/orgs/:orgId/requirements/:requirementId/history',
    { schema: { params: ItemParams }, config: onOrg('org.read') },
    async (req, reply) =>
      reply.page('audits/item-history.eta', {
        title: `${req.params.requirementId} — ${req.t('audits.history')}`,
        requirementId: req.params.requirementId,
        history: await requirementHistory(db, org(req).id, req.params.requirementId),
      }),
  );

  app.get(
    '/orgs/:orgId/readiness',
    { schema: { params: OrgParams }, config: onOrg('org.read') },
    async (req, reply) => {
      const r = await organisationReadiness(db, org(req).id);
      const v = await db
        .selectFrom('checklist_version')
        .select((eb) => eb.fn.max('id').as('id'))
        .executeTakeFirstOrThrow();
      const titles = await clauseTitles(Number(v.id));
      return reply.page('audits/readiness.eta', {
        title: req.t('audits.orgReadiness'),
        readiness: r,
        chart: chartFor(req.t, pick(req), titles, r),
        titles,
      });
    },
  );

  app.get(
    '/api/v1/organizations/:orgId/readiness',
    {
      schema: {
        tags: ['audits'],
        params: OrgParams,
        summary: "Readiness of the organisation's audits, per clause (each item's latest assessed answer)",
        response: { 200: OrgReadinessOut },
      },
      config: onOrg('org.read'),
    },
    async (req) => organisationReadiness(db, org(req).id),
  );
}
