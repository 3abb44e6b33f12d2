import { orgToday } from '../web/time.js';
import { recordHistory, withChanges } from '../trail/queries.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { can } from '../domain/permissions.js';
import { notFound } from '../web/errors.js';
import { type FieldErrors, parseLocalised } from '../web/validation.js';
import { evidenceApiRoutes } from './api.js';
import { DOC_STATUSES } from './doc-status.js';
import { documentedInformation } from './documented-information.js';
import { access, org, sendFile } from './http.js';
import { receiveUpload } from './intake.js';
import {
  deleteEvidence,
  evidenceLinks,
  getEvidence,
  listEvidence,
  requirementExists,
  requirementTexts,
  setRequirementLink,
  updateEvidence,
  type EvidenceRow,
} from './queries.js';
import { EVIDENCE_KINDS, EvidenceFilter, EvidenceInput, EvidenceParams, RequirementLinkInput } from './schemas.js';
import { formatSize } from './upload.js';

const { read, write, readItem, writeItem } = access;

/** Evidence library (7.5): documented information and records, their files, and what they support. */
export async function evidenceRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { db } = app;
  const limit = app.config.uploadLimitBytes;
  const common = (req: FastifyRequest) => ({
    kinds: EVIDENCE_KINDS,
    canManage: can(org(req).role, 'evidence.manage'),
    today: orgToday(req),
    formatSize,
    limitText: formatSize(limit),
  });

  async function listPage(
    req: FastifyRequest,
    reply: FastifyReply,
    errors: FieldErrors = {},
    values: Record<string, unknown> = {},
  ) {
    const parsed = EvidenceFilter.safeParse(req.query);
    const filter = parsed.success ? parsed.data : { kind: undefined, q: undefined, overdue: false };
    const q = req.query as Record<string, unknown>;
    // An "add evidence" link from a checklist item or the register pre-fills what the upload supports.
    const preset = Object.fromEntries(
      ['requirementId', 'auditId'].filter((k) => typeof q[k] === 'string').map((k) => [k, q[k]]),
    );
    const items = await listEvidence(db, org(req).id, filter, orgToday(req));
    return reply.page('evidence/list.eta', {
      ...common(req),
      title: req.t('evidence.title'),
      items,
      filter,
      errors,
      values: { kind: 'record', ...preset, ...values },
    });
  }

  async function detailPage(
    req: FastifyRequest,
    reply: FastifyReply,
    errors: FieldErrors = {},
    values: Record<string, unknown> = {},
  ) {
    const { evidenceId } = EvidenceParams.parse(req.params);
    const ev = await getEvidence(db, org(req).id, evidenceId);
    if (!ev) throw notFound();
    const links = await evidenceLinks(db, org(req).id, ev.id);
    const requirements = await requirementTexts(db, links.requirements);
    const history = withChanges(await recordHistory(db, org(req).id, ['evidence'], ev.id));
    return reply.page('evidence/detail.eta', {
      ...common(req),
      title: ev.title,
      ev,
      requirements,
      responses: links.responses,
      history,
      errors,
      values: { ...formValues(ev), ...values },
    });
  }

  app.get('/orgs/:orgId/evidence', { config: read }, async (req, reply) => listPage(req, reply));

  app.post('/orgs/:orgId/evidence', { config: { ...write, upload: true } }, async (req, reply) => {
    const r = await receiveUpload(db, req, limit, org(req).id);
    if (!r.ok) return listPage(req, reply.code(r.status), r.fieldErrors, r.values);
    const { auditId, requirementId } = r.fields;
    reply.flash({ kind: 'ok', key: 'evidence.created' });
    if (auditId && r.auditFound)
      return reply.redirect(
        `/audits/${auditId}/checklist${requirementId ? `?item=${requirementId}#req-${requirementId}` : ''}`,
        303,
      );
    return reply.redirect(`/evidence/${r.id}`, 303);
  });

  app.get('/evidence/:evidenceId', { config: readItem }, async (req, reply) => detailPage(req, reply));

  app.post('/evidence/:evidenceId', { config: writeItem }, async (req, reply) => {
    const { evidenceId } = EvidenceParams.parse(req.params);
    const r = parseLocalised(EvidenceInput, req.body, req.locale, req.t);
    if (!r.ok) return detailPage(req, reply.code(422), r.fieldErrors, req.body as Record<string, unknown>);
    const result = await updateEvidence(db, org(req).id, evidenceId, r.data, req.user!.id);
    if (result === 'missing') throw notFound();
    if (result === 'needsLocation') {
      return detailPage(
        req,
        reply.code(422),
        { location: [req.t('evidence.errors.fileOrLocation')] },
        req.body as Record<string, unknown>,
      );
    }
    return reply.flash({ kind: 'ok', key: 'common.saved' }).redirect(`/evidence/${evidenceId}`, 303);
  });

  app.post('/evidence/:evidenceId/delete', { config: writeItem }, async (req, reply) => {
    const { evidenceId } = EvidenceParams.parse(req.params);
    if (!(await deleteEvidence(db, org(req).id, evidenceId, req.user!.id))) throw notFound();
    return reply.flash({ kind: 'ok', key: 'common.deleted' }).redirect(`/orgs/${org(req).id}/evidence`, 303);
  });

  for (const linked of [true, false]) {
    app.post(
      `/evidence/:evidenceId/requirements${linked ? '' : '/unlink'}`,
      { config: writeItem },
      async (req, reply) => {
        const { evidenceId } = EvidenceParams.parse(req.params);
        const r = parseLocalised(RequirementLinkInput, req.body, req.locale, req.t);
        if (!r.ok) return detailPage(req, reply.code(422), r.fieldErrors, req.body as Record<string, unknown>);
        if (linked && !(await requirementExists(db, r.data.requirementId))) {
          const msg = req.t('evidence.errors.unknownRequirement', { id: r.data.requirementId });
          return detailPage(req, reply.code(422), { requirementId: [msg] }, req.body as Record<string, unknown>);
        }
        if (!(await setRequirementLink(db, org(req).id, evidenceId, r.data.requirementId, linked, req.user!.id)))
          throw notFound();
        return reply
          .flash({ kind: 'ok', key: linked ? 'evidence.linked' : 'evidence.unlinked' })
          .redirect(`/evidence/${evidenceId}#links`, 303);
      },
    );
  }

  app.get('/evidence/:evidenceId/download', { config: readItem }, async (req, reply) => sendFile(req, reply));

  app.get('/orgs/:orgId/documented-information', { config: read }, async (req, reply) => {
    const register = await documentedInformation(db, org(req).id, orgToday(req));
    if (!register) throw notFound();
    return reply.page('evidence/documented-information.eta', {
      ...common(req),
      title: req.t('evidence.docInfo.title'),
      register,
      statuses: DOC_STATUSES,
    });
  });

  await evidenceApiRoutes(base);
}

function formValues(ev: EvidenceRow) {
  return {
    title: ev.title,
    kind: ev.kind,
    versionLabel: ev.version_label,
    owner: ev.owner,
    approvedOn: ev.approved_on ?? '',
    nextReviewOn: ev.next_review_on ?? '',
    location: ev.location,
    description: ev.description,
  };
}
