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

const int = z.number().int();
const day = z.string().describe('YYYY-MM-DD');
const CertificationOut = z.object({
  smsStartedOn: day.nullable(),
  ready: z.boolean(),
  canApplyFrom: day.nullable(),
  conditions: z.array(
    z.union([
      z.object({ code: z.literal('smsOperated'), met: z.boolean(), since: day.nullable(), from: day.nullable() }),
      z.object({
        code: z.literal('internalAudit'),
        met: z.boolean(),
        audit: z
          .object({
            id: int,
            title: z.string(),
            type: z.string(),
            status: z.string(),
            issuedOn: day.nullable(),
            scopeClauses: z.array(z.string()).readonly(),
          })
          .nullable(),
        missingClauses: z.array(z.string()),
      }),
      z.object({
        code: z.literal('managementReview'),
        met: z.boolean(),
        review: z.object({ id: int, title: z.string(), heldOn: day }).nullable(),
      }),
    ]),
  ),
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
        response: { 200: CertificationOut },
      },
      config: { access: { kind: 'org', permission: 'org.read' } },
    },
    async (req) => readinessOf(db, org(req).id),
  );

  app.put(
    '/api/v1/organizations/:orgId/sms-start',
    {
      schema: {
        tags,
        summary: 'Set the date the SMS started operating; answers the readiness',
        params: OrgParams,
        body: SmsStartInput,
        response: { 200: CertificationOut },
      },
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
