import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { programmeCalendar } from '../../reports/programme/ical.js';
import type { OrgAccess } from '../web/context.js';
import { tokenFromQuery } from './calendar-token.js';
import { sendFile } from './http.js';
import type { RenderPool } from './render-pool.js';
import { programmeModel } from './programme-model.js';
import { OrgParams } from '../organisations/schemas.js';
import { ProgrammeQuery } from './schemas.js';
import { reportTexts, singleLang } from './texts.js';
import { MEDIA } from '../web/openapi.js';

const tags = ['reports'];
const org = (req: FastifyRequest) => req.org as OrgAccess;
const onOrg = { access: { kind: 'org', permission: 'report.export' } } as const;
type Req = FastifyRequest<{ Params: { orgId: number }; Querystring: { programmeId?: number; lang?: 'zh' | 'en' } }>;

/** The audit programme schedule (Excel) and its calendar feed (iCalendar). */
export async function programmeReportRoutes(base: FastifyInstance, { renderer }: { renderer: RenderPool }) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { db } = app;
  const suffix = (programmeId?: number) => (programmeId ? `-${programmeId}` : '');

  const schedule = async (req: Req, reply: FastifyReply) => {
    const m = await programmeModel(db, org(req).id, req.query.programmeId, app.config.publicUrl);
    const xlsx = await renderer.render({
      kind: 'programmeScheduleXlsx',
      model: m,
      lang: singleLang(req.locale, req.query.lang),
    });
    return sendFile(
      reply,
      'xlsx',
      `${m.organisation.code}-audit-programme${suffix(req.query.programmeId)}-schedule.xlsx`,
      xlsx,
    );
  };

  app.get(
    '/api/v1/organizations/:orgId/programme.ics',
    {
      schema: {
        tags,
        params: OrgParams,
        querystring: ProgrammeQuery,
        summary:
          "Calendar feed (iCalendar, RFC 5545) of the organisation's audits; programmeId narrows it to one programme",
        description:
          'Subscribe from a calendar app with `?token=<calendar token>`: calendar apps cannot send the Authorization header. ' +
          'A calendar token is made with "Create a calendar link" on the organisation\'s reports page (POST /orgs/:orgId/reports/calendar-link); ' +
          'it opens this feed only, and an API token is refused here. With an API token in the Authorization header the feed answers as any other route.',
      },
      onRequest: tokenFromQuery(db),
      config: { ...onOrg, docs: { download: [MEDIA.ics] } },
    },
    async (req, reply) => {
      const m = await programmeModel(db, org(req).id, req.query.programmeId, app.config.publicUrl);
      return sendFile(
        reply,
        'ics',
        `${m.organisation.code}-audit-programme${suffix(req.query.programmeId)}.ics`,
        programmeCalendar(m, reportTexts, singleLang(req.locale, req.query.lang)),
      );
    },
  );
  app.get(
    '/api/v1/organizations/:orgId/programme.xlsx',
    {
      schema: {
        tags,
        params: OrgParams,
        querystring: ProgrammeQuery,
        summary: 'Audit programme schedule (Excel); programmeId narrows it to one programme',
      },
      config: { ...onOrg, docs: { download: [MEDIA.xlsx] } },
    },
    schedule,
  );
  app.get(
    '/reports/orgs/:orgId/programme.xlsx',
    { schema: { params: OrgParams, querystring: ProgrammeQuery }, config: onOrg },
    schedule,
  );
}
