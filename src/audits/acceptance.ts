import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../db/connect.js';
import { nowIso } from '../db/time.js';
import { recordTrail } from '../db/trail.js';
import { ACCEPTANCE_ROLES, type AcceptanceRole } from '../domain/report-content.js';
import type { OrgAccess } from '../web/context.js';
import { conflict, HttpError, unprocessable } from '../web/errors.js';
import { dbId, parseLocalised } from '../web/validation.js';
import { type AuditRow, getAudit } from './queries.js';
import { AcceptanceOut } from './schemas.js';

// "Accept report" (issue 15): once a revision is issued, its lead auditor accepts it, and the auditee's representative
// may; each acceptance is recorded once per revision, in the trail, and shown in the report's sign-off block.

export const AcceptanceInput = z.object({
  role: z.enum(ACCEPTANCE_ROLES, { error: 'audits.errors.acceptanceRole' }),
  /** The representative's name; by default the one recorded on the audit. */
  name: z.string().trim().max(200, { error: 'errors.tooLong' }).optional(),
});
const Params = z.object({ auditId: dbId });

export async function acceptReport(
  db: Db,
  actor: { orgId: number; userId: number },
  audit: AuditRow,
  role: AcceptanceRole,
  name?: string,
) {
  if (audit.status !== 'issued' && audit.status !== 'closed') throw conflict('audits.errors.acceptNotIssued');
  let who: string;
  if (role === 'leadAuditor') {
    // Only the lead auditor accepts in the lead auditor's name.
    if (audit.lead_auditor_id !== actor.userId) throw new HttpError(403, 'audits.errors.acceptNotLead');
    const u = await db
      .selectFrom('app_user')
      .select('display_name')
      .where('id', '=', actor.userId)
      .executeTakeFirstOrThrow();
    who = u.display_name;
  } else {
    who = name || audit.auditee_representative;
    if (!who) throw unprocessable('audits.errors.acceptName');
  }
  await db.transaction().execute(async (trx) => {
    const done = await trx
      .selectFrom('audit_acceptance')
      .select('id')
      .where('audit_id', '=', audit.id)
      .where('revision', '=', audit.revision)
      .where('role', '=', role)
      .executeTakeFirst();
    if (done) throw conflict('audits.errors.alreadyAccepted');
    const at = nowIso();
    const row = await trx
      .insertInto('audit_acceptance')
      .values({
        audit_id: audit.id,
        revision: audit.revision,
        role,
        name: who,
        recorded_by: actor.userId,
        accepted_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordTrail(trx, {
      orgId: actor.orgId,
      userId: actor.userId,
      action: 'create',
      entity: 'audit_acceptance',
      entityId: row.id,
      after: { auditId: audit.id, revision: audit.revision, acceptedAs: role, name: who, acceptedAt: at },
    });
  });
}

export async function acceptanceRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { db } = app;
  const org = (req: FastifyRequest) => req.org as OrgAccess;
  const actor = (req: FastifyRequest) => ({ orgId: org(req).id, userId: req.user!.id });
  const config = { access: { kind: 'org', permission: 'audit.manage', resource: 'audit' } } as const;

  app.post(
    '/api/v1/audits/:auditId/acceptances',
    {
      schema: {
        tags: ['audits'],
        summary:
          'Accept the issued report: role leadAuditor (the lead auditor only) or auditeeRepresentative (name, by default the one on the audit); once per revision',
        params: Params,
        body: AcceptanceInput,
        response: { 201: AcceptanceOut },
      },
      config,
    },
    async (req, reply) => {
      const audit = await getAudit(db, org(req).id, req.params.auditId);
      await acceptReport(db, actor(req), audit, req.body.role, req.body.name);
      return reply.code(201).send({ role: req.body.role, revision: audit.revision });
    },
  );

  app.post('/audits/:auditId/acceptances', { schema: { params: Params }, config }, async (req, reply) => {
    const back = `/audits/${req.params.auditId}#acceptance`;
    const r = parseLocalised(AcceptanceInput, req.body, req.locale, req.t);
    if (!r.ok) return reply.flash({ kind: 'error', key: 'errors.validation' }).redirect(back, 303);
    const audit = await getAudit(db, org(req).id, req.params.auditId);
    await acceptReport(db, actor(req), audit, r.data.role, r.data.name);
    return reply.flash({ kind: 'ok', key: 'audits.accepted' }).redirect(back, 303);
  });
}
