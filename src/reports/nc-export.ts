import { PassThrough } from 'node:stream';
import type { ActionRegisterRow, NcRegisterRow } from '../../reports/nc-register.js';
import type { Db } from '../db/connect.js';
import { nowIso } from '../db/time.js';
import { daysOpen, isOverdue } from '../domain/due-dates.js';
import { dateIn } from '../domain/time-zone.js';
import { reportTexts } from './texts.js';

// Reads the register page by page (keyset on id, so each page is an index range scan), for the streaming writer.
// 500 rows: a page lives while it is written, and bigger pages were promoted to the old generation (+30 MB at the peak).
const PAGE = 500;

interface Steps {
  correction: string;
  cause: string;
  effective: boolean | null;
  verification: string;
}
const NO_STEPS: Steps = { correction: '', cause: '', effective: null, verification: '' };
const text = (v: unknown) => (typeof v === 'string' ? v : '');

/**
 * The latest correction (reaction_recorded), cause analysis (cause_analysed) and effectiveness review of each
 * nonconformity, from its lifecycle transitions (a reopened one shows its newest round once recorded again).
 */
async function latestSteps(db: Db, findingIds: readonly number[]): Promise<Map<number, Steps>> {
  const rows = await db
    .selectFrom('nc_transition')
    .select(['finding_id', 'requested', 'fields_json'])
    .where('finding_id', 'in', [...findingIds])
    .where('requested', 'in', ['reaction_recorded', 'cause_analysed', 'effectiveness_reviewed'])
    .orderBy('id')
    .execute();
  const out = new Map<number, Steps>();
  for (const r of rows) {
    const s = out.get(r.finding_id) ?? { ...NO_STEPS };
    const f = JSON.parse(r.fields_json) as Record<string, unknown>;
    if (r.requested === 'reaction_recorded') s.correction = text(f.correction);
    else if (r.requested === 'cause_analysed') s.cause = text(f.cause);
    else {
      s.effective = typeof f.effective === 'boolean' ? f.effective : null;
      s.verification = text(f.verification);
    }
    out.set(r.finding_id, s);
  }
  return out;
}

async function* nonconformities(
  db: Db,
  orgIds: readonly number[],
  today: string,
  zone: string,
): AsyncGenerator<NcRegisterRow[]> {
  if (orgIds.length === 0) return;
  let after = 0;
  for (;;) {
    const rows = await db
      .selectFrom('finding')
      .innerJoin('organization', 'organization.id', 'finding.organization_id')
      .leftJoin('app_user as owner', 'owner.id', 'finding.owner_user_id')
      .leftJoin('audit', 'audit.id', 'finding.audit_id')
      .select([
        'finding.id',
        'finding.ref',
        'organization.code',
        'organization.name',
        'finding.audit_id',
        'audit.title as audit_title',
        'finding.requirement_id',
        'finding.clause_id',
        'finding.grade',
        'finding.status',
        'finding.statement_nonconformity',
        'owner.display_name as owner_name',
        'finding.raised_on',
        'finding.due_date',
        'finding.closed_at',
      ])
      .where('finding.kind', '=', 'nonconformity')
      .where('finding.organization_id', 'in', [...orgIds])
      .where('finding.id', '>', after)
      .orderBy('finding.id')
      .limit(PAGE)
      .execute();
    if (rows.length === 0) return;
    after = rows[rows.length - 1]!.id;
    const counts = await db
      .selectFrom('action_item')
      .select(['finding_id', 'status', (eb) => eb.fn.countAll().as('n')])
      .where(
        'finding_id',
        'in',
        rows.map((r) => r.id),
      )
      .groupBy(['finding_id', 'status'])
      .execute();
    const lifecycle = await latestSteps(
      db,
      rows.map((r) => r.id),
    );
    const total = new Map<number, { all: number; open: number }>();
    for (const c of counts) {
      const t = total.get(c.finding_id!) ?? { all: 0, open: 0 };
      t.all += Number(c.n);
      if (c.status !== 'done' && c.status !== 'cancelled') t.open += Number(c.n);
      total.set(c.finding_id!, t);
    }
    yield rows.map((r) => ({
      orgCode: r.code,
      orgName: r.name,
      ref: r.ref,
      audit: r.audit_title ?? '',
      item: r.requirement_id ?? '',
      clause: r.clause_id ?? '',
      grade: r.grade,
      status: r.status,
      nonconformity: r.statement_nonconformity,
      ...(lifecycle.get(r.id) ?? NO_STEPS),
      owner: r.owner_name ?? '',
      raisedOn: r.raised_on,
      dueDate: r.due_date,
      closedOn: r.closed_at ? dateIn(r.closed_at, zone) : null,
      daysOpen: daysOpen(r.raised_on, r.closed_at, today),
      overdue: isOverdue(r.due_date, r.status, today),
      actions: total.get(r.id)?.all ?? 0,
      openActions: total.get(r.id)?.open ?? 0,
    }));
    if (rows.length < PAGE) return;
  }
}

async function* correctiveActions(
  db: Db,
  orgIds: readonly number[],
  today: string,
  zone: string,
): AsyncGenerator<ActionRegisterRow[]> {
  if (orgIds.length === 0) return;
  let after = 0;
  for (;;) {
    const rows = await db
      .selectFrom('action_item')
      .innerJoin('organization', 'organization.id', 'action_item.organization_id')
      .innerJoin('finding', 'finding.id', 'action_item.finding_id')
      .leftJoin('app_user as owner', 'owner.id', 'action_item.owner_user_id')
      .select([
        'action_item.id',
        'action_item.ref',
        'organization.code',
        'finding.ref as nc_ref',
        'action_item.description',
        'owner.display_name as owner_name',
        'action_item.due_date',
        'action_item.status',
        'action_item.completed_at',
      ])
      .where('action_item.organization_id', 'in', [...orgIds])
      .where('action_item.id', '>', after)
      .orderBy('action_item.id')
      .limit(PAGE)
      .execute();
    if (rows.length === 0) return;
    after = rows[rows.length - 1]!.id;
    yield rows.map((r) => ({
      orgCode: r.code,
      ref: r.ref,
      ncRef: r.nc_ref,
      description: r.description,
      owner: r.owner_name ?? '',
      dueDate: r.due_date,
      status: r.status,
      completedOn: r.completed_at ? dateIn(r.completed_at, zone) : null,
      overdue: isOverdue(r.due_date, r.status, today),
    }));
    if (rows.length < PAGE) return;
  }
}

/**
 * Starts writing the register of the given organisations into a stream the reply can send at once.
 * An error half-way destroys the stream (the download fails visibly rather than ending short).
 */
export function ncRegisterStream(
  db: Db,
  orgIds: readonly number[],
  title: string,
  lang: 'zh' | 'en',
  zone: string,
): PassThrough {
  const out = new PassThrough();
  const generatedAt = nowIso();
  const today = dateIn(generatedAt, zone); // dates and "overdue" in the organisation's (or, across them, the reader's) zone
  // exceljs is loaded by the first export, not at start-up (see routes.ts).
  import('../../reports/nc-register.js')
    .then(({ writeNcRegister }) =>
      writeNcRegister(
        out,
        {
          title,
          generatedAt,
          nonconformities: nonconformities(db, orgIds, today, zone),
          actions: correctiveActions(db, orgIds, today, zone),
        },
        reportTexts,
        lang,
      ),
    )
    .catch((err: unknown) => out.destroy(err instanceof Error ? err : new Error(String(err))));
  return out;
}
