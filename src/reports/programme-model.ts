import type { ProgrammeModel } from '../../reports/programme/model.js';
import type { Db } from '../db/connect.js';
import { nowIso } from '../db/time.js';
import { notFound } from '../web/errors.js';

/** The organisation's audits (or one programme's: planned in it, or dated within its period), in date order; three queries. */
export async function programmeModel(
  db: Db,
  orgId: number,
  programmeId: number | undefined,
  publicUrl: string,
): Promise<ProgrammeModel> {
  const org = await db
    .selectFrom('organization')
    .select(['name', 'code'])
    .where('id', '=', orgId)
    .executeTakeFirstOrThrow();
  const programme =
    programmeId === undefined
      ? null
      : await db
          .selectFrom('audit_programme')
          .select(['id', 'title', 'period_start', 'period_end'])
          .where('organization_id', '=', orgId)
          .where('id', '=', programmeId)
          .executeTakeFirst();
  if (programme === undefined) throw notFound();
  let q = db
    .selectFrom('audit')
    .leftJoin('app_user as lead', 'lead.id', 'audit.lead_auditor_id')
    .leftJoin('audit_programme as p', 'p.id', 'audit.programme_id')
    .select([
      'audit.id',
      'audit.title',
      'audit.type',
      'audit.status',
      'audit.revision',
      'audit.planned_start',
      'audit.planned_end',
      'audit.actual_start',
      'audit.actual_end',
      'audit.scope_clauses',
      'audit.updated_at',
      'audit.calendar_sequence',
      'lead.display_name as lead',
      'p.title as programme',
    ])
    .where('audit.organization_id', '=', orgId);
  if (programme) {
    q = q.where((eb) =>
      eb.or([
        eb('audit.programme_id', '=', programme.id),
        eb.and([
          eb('audit.programme_id', 'is', null),
          eb('audit.planned_start', '>=', programme.period_start),
          eb('audit.planned_start', '<=', programme.period_end),
        ]),
      ]),
    );
  }
  const audits = await q.orderBy('audit.planned_start').orderBy('audit.id').execute();
  const team =
    audits.length === 0
      ? []
      : await db
          .selectFrom('audit_team')
          .innerJoin('app_user', 'app_user.id', 'audit_team.user_id')
          .select(['audit_team.audit_id', 'app_user.display_name'])
          .where(
            'audit_team.audit_id',
            'in',
            audits.map((a) => a.id),
          )
          .orderBy('app_user.display_name')
          .execute();
  return {
    organisation: org,
    programme: programme
      ? {
          id: programme.id,
          title: programme.title,
          periodStart: programme.period_start,
          periodEnd: programme.period_end,
        }
      : null,
    generatedAt: nowIso(),
    publicUrl,
    audits: audits.map((a) => ({
      id: a.id,
      title: a.title,
      type: a.type,
      status: a.status,
      revision: a.revision,
      programme: a.programme,
      plannedStart: a.planned_start,
      plannedEnd: a.planned_end,
      actualStart: a.actual_start,
      actualEnd: a.actual_end,
      scope: JSON.parse(a.scope_clauses) as string[],
      leadAuditor: a.lead,
      team: team.filter((m) => m.audit_id === a.id).map((m) => m.display_name),
      updatedAt: a.updated_at,
      sequence: a.calendar_sequence,
    })),
  };
}
