import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { OrgParams } from '../organisations/schemas.js';
import type { OrgAccess } from '../web/context.js';
import { parseLocalised } from '../web/validation.js';
import { readinessOf, setSmsStart } from './queries.js';

const tags = ['certification'];
const org = (req: FastifyRequest): OrgAccess => req.org as OrgAccess;

export const SmsStartInput = z.object({
  smsStartedOn: z
    .union([z.iso.date({ error: 'certification.errors.date' }), z.literal(''), z.null()])
    .transform((v) => v || null),
});

/** Certification readiness (China): SMS operated ≥ 3 months, an internal audit of clauses 4–10, a management review. */
export async function certificationRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { db } = app;

  app.get(
    '/api/v1/organizations/:orgId/certification-readiness',
    {
      schema: {
        tags,
        summary:
          'Whether the organisation can apply for certification (China): each condition with its evidence or what ' +
          'is missing, and the date from which it can apply',
        params: OrgParams,
      },
      config: { access: { kind: 'org', permission: 'org.read' } },
    },
    async (req) => readinessOf(db, org(req).id),
  );

  app.put(
    '/api/v1/organizations/:orgId/sms-start',
    {
      schema: { tags, summary: 'Set the date the SMS started operating', params: OrgParams, body: SmsStartInput },
      config: { access: { kind: 'org', permission: 'org.update' } },
    },
    async (req) => {
      await setSmsStart(db, org(req).id, req.user!.id, req.body.smsStartedOn);
      return readinessOf(db, org(req).id);
    },
  );

  app.post(
    '/orgs/:orgId/sms-start',
    { config: { access: { kind: 'org', permission: 'org.update' } } },
    async (req, reply) => {
      const r = parseLocalised(SmsStartInput, req.body, req.locale, req.t);
      if (!r.ok)
        return reply.flash({ kind: 'error', key: 'certification.errors.date' }).redirect(`/orgs/${org(req).id}`, 303);
      await setSmsStart(db, org(req).id, req.user!.id, r.data.smsStartedOn);
      return reply.flash({ kind: 'ok', key: 'common.saved' }).redirect(`/orgs/${org(req).id}#certification`, 303);
    },
  );
}
