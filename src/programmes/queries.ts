import type { Db } from '../db/connect.js';
import { nowIso } from '../db/time.js';
import { recordTrail } from '../db/trail.js';
import { coverageMatrix } from '../domain/coverage.js';
import { inScope } from '../domain/scope.js';
import { STANDARD_CODE } from '../audits/queries.js';
import { currentVersion } from '../checklists/queries.js';
import type { ProgrammeInput } from './schemas.js';

const columns = (p: ProgrammeInput) => ({
  title: p.title,
  period_start: p.periodStart,
  period_end: p.periodEnd,
  objectives: p.objectives,
  criteria: p.criteria,
  frequency: p.frequency,
  methods: p.methods,
  responsibilities: p.responsibilities,
  planning_requirements: p.planningRequirements,
  reporting: p.reporting,
  process_importance: p.processImportance,
  changes_affecting: p.changesAffecting,
  previous_results: p.previousResults,
});

export async function createProgramme(db: Db, orgId: number, p: ProgrammeInput, actorId: number) {
  return db.transaction().execute(async (trx) => {
    const now = nowIso();
    const { id } = await trx
      .insertInto('audit_programme')
      .values({ organization_id: orgId, ...columns(p), created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordTrail(trx, {
      orgId,
      userId: actorId,
      action: 'create',
      entity: 'audit_programme',
      entityId: id,
      after: p,
    });
    return id;
  });
}

export async function updateProgramme(db: Db, orgId: number, id: number, p: ProgrammeInput, actorId: number) {
  await db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('audit_programme')
      .selectAll()
      .where('organization_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    await trx
      .updateTable('audit_programme')
      .set({ ...columns(p), updated_at: nowIso() })
      .where('id', '=', id)
      .execute();
    await recordTrail(trx, {
      orgId,
      userId: actorId,
      action: 'update',
      entity: 'audit_programme',
      entityId: id,
      before,
      after: p,
    });
  });
}

export async function listProgrammes(db: Db, orgId: number) {
  return db
    .selectFrom('audit_programme')
    .selectAll()
    .where('organization_id', '=', orgId)
    .orderBy('period_start', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

export async function getProgramme(db: Db, orgId: number, id: number) {
  return db
    .selectFrom('audit_programme')
    .selectAll()
    .where('organization_id', '=', orgId)
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

/**
 * Coverage of the programme's cycle: clauses 4.1–10.2 and the organisation's processes against the audits
 * planned inside the programme or dated within its period.
 */
export async function programmeCoverage(db: Db, orgId: number, programmeId: number) {
  const p = await getProgramme(db, orgId, programmeId);
  const audits = await db
    .selectFrom('audit')
    .select(['id', 'title', 'status', 'type', 'scope_clauses', 'scope_processes', 'planned_start'])
    .where('organization_id', '=', orgId)
    .where((eb) =>
      eb.or([
        eb('programme_id', '=', programmeId),
        eb.and([
          eb('programme_id', 'is', null),
          eb('planned_start', '>=', p.period_start),
          eb('planned_start', '<=', p.period_end),
        ]),
      ]),
    )
    // Undated audits last on both databases (SQLite puts NULL first by default, PostgreSQL last).
    .orderBy('planned_start', (ob) => ob.asc().nullsLast())
    .orderBy('id')
    .execute();
  const version = await currentVersion(db, STANDARD_CODE);
  const [clauses, requirements, processes] = await Promise.all([
    db
      .selectFrom('clause')
      .select(['id', 'parent_id', 'title_zh', 'title_en'])
      .where('version_id', '=', version!.id)
      .orderBy('position')
      .execute(),
    db.selectFrom('requirement').select(['clause_id']).where('version_id', '=', version!.id).execute(),
    db
      .selectFrom('process')
      .select(['id', 'name', 'clause_id', 'importance'])
      .where('organization_id', '=', orgId)
      .orderBy('name')
      .orderBy('id')
      .execute(),
  ]);
  const second = clauses.filter((c) => c.id.split('.').length === 2);
  // Items a completed audit set aside as not audited do not count towards the cycle's coverage.
  const done = audits.filter((a) => a.status === 'issued' || a.status === 'closed').map((a) => a.id);
  const skipped =
    done.length === 0
      ? []
      : await db
          .selectFrom('audit_response as r')
          .innerJoin('audit as a', 'a.id', 'r.audit_id')
          .innerJoin('requirement as q', (j) =>
            j.onRef('q.id', '=', 'r.requirement_id').onRef('q.version_id', '=', 'a.checklist_version_id'),
          )
          .select(['r.audit_id', 'q.clause_id'])
          .where('a.organization_id', '=', orgId)
          .where('r.audit_id', 'in', done)
          .where('r.verdict', '=', 'not_audited')
          .execute();
  const coverAudits = audits.map((a) => ({
    id: a.id,
    title: a.title,
    status: a.status,
    scope: JSON.parse(a.scope_clauses) as string[],
    notAudited: skipped.filter((x) => x.audit_id === a.id).map((x) => x.clause_id),
  }));
  const matrix = coverageMatrix(
    second.map((c) => ({
      id: c.id,
      requirementClauses: requirements.map((r) => r.clause_id).filter((rc) => inScope(rc, [c.id])),
    })),
    coverAudits,
  );
  const processRows = processes.map((proc) => {
    const cells = audits.map((a) => {
      const named = (JSON.parse(a.scope_processes) as number[]).includes(proc.id);
      const byClause = proc.clause_id !== null && inScope(proc.clause_id, JSON.parse(a.scope_clauses) as string[]);
      if (!named && !byClause) return 'none';
      return a.status === 'issued' || a.status === 'closed' ? 'completed' : 'planned';
    });
    return {
      process: proc,
      cells,
      state: cells.includes('completed') ? 'completed' : cells.includes('planned') ? 'planned' : 'none',
    };
  });
  return { programme: p, audits, clauses: second, matrix, processRows };
}
