import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { can, isRole } from '../domain/permissions.js';
import type { OrgAccess } from '../web/context.js';
import { orgToday, orgZone, readerZone } from '../web/time.js';
import { sendFile } from './http.js';
import { ncRegisterStream } from './nc-export.js';
import { OrgParams } from '../organisations/schemas.js';
import { OneLangQuery } from './schemas.js';
import { reportTexts, singleLang } from './texts.js';
import { MEDIA } from '../web/openapi.js';

const tags = ['reports'];
const org = (req: FastifyRequest) => req.org as OrgAccess;
const onOrg = { access: { kind: 'org', permission: 'report.export' } } as const;

/** Nonconformity and corrective-action registers (Excel, streamed): one organisation, or all of the caller's. */
export async function registerRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { db } = app;

  type Query = { Querystring: { lang?: 'zh' | 'en' } };
  const one = async (req: FastifyRequest<{ Params: { orgId: number } } & Query>, reply: FastifyReply) => {
    const o = org(req);
    const lang = singleLang(req.locale, req.query.lang);
    const title = `${o.name} — ${reportTexts[lang]('register.title')}`;
    return sendFile(
      reply,
      'xlsx',
      `${o.code}-nonconformities-${orgToday(req)}.xlsx`,
      ncRegisterStream(db, [o.id], title, lang, orgZone(req)),
    );
  };
  const all = async (req: FastifyRequest<Query>, reply: FastifyReply) => {
    const lang = singleLang(req.locale, req.query.lang);
    const orgs = await db
      .selectFrom('membership')
      .select(['organization_id', 'role'])
      .where('user_id', '=', req.user!.id)
      .execute();
    const ids = orgs.filter((m) => isRole(m.role) && can(m.role, 'report.export')).map((m) => m.organization_id);
    return sendFile(
      reply,
      'xlsx',
      `nonconformities-all-organisations-${orgToday(req)}.xlsx`,
      ncRegisterStream(db, ids, reportTexts[lang]('register.titleAll'), lang, readerZone(req)),
    );
  };

  const summary = 'Nonconformity and corrective-action register (Excel, streamed): lang=zh|en';
  const querystring = OneLangQuery;
  app.get(
    '/api/v1/organizations/:orgId/nonconformities.xlsx',
    {
      schema: { tags, summary, params: OrgParams, querystring },
      config: { ...onOrg, docs: { download: [MEDIA.xlsx] } },
    },
    one,
  );
  app.get(
    '/reports/orgs/:orgId/nonconformities.xlsx',
    { schema: { params: OrgParams, querystring }, config: onOrg },
    one,
  );
  app.get(
    '/api/v1/nonconformities.xlsx',
    {
      schema: { tags, summary: `${summary}; every organisation the caller may export from`, querystring },
      config: { docs: { download: [MEDIA.xlsx] } },
    },
    all,
  );
  app.get('/reports/nonconformities.xlsx', { schema: { querystring } }, all);
}
