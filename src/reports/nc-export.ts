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
interface Page<R> {
  rows: R[];
  /** Id of the page's last row: the next page starts after it. */
  last: number;
}

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
    // In the finding index's order (no sort of the page's transitions); within a finding, oldest first.
    .orderBy('finding_id')
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

/**
 * Names that repeat across rows (organisations, owners, audits), read once per export rather than joined into every
 * row: one string per name instead of one per row, and narrower pages.
 */
class Names {
  readonly orgs = new Map<number, { code: string; name: string }>();
  readonly #users = new Map<number, string>();
  readonly #audits = new Map<number, string>();
  constructor(private readonly db: Db) {}

  async loadOrgs(orgIds: readonly number[]) {
    if (orgIds.length === 0) return;
    for (const o of await this.db
      .selectFrom('organization')
      .select(['id', 'code', 'name'])
      .where('id', 'in', [...orgIds])
      .execute())
      this.orgs.set(o.id, { code: o.code, name: o.name });
  }
  org(id: number) {
    return this.orgs.get(id) ?? { code: '', name: '' };
  }
  /** Reads the names of the users and audits of a page not seen yet. */
  async add(users: Iterable<number | null>, audits: Iterable<number | null> = []) {
    const newUsers = [...new Set(users)].filter((id): id is number => id !== null && !this.#users.has(id));
    if (newUsers.length)
      for (const u of await this.db
        .selectFrom('app_user')
        .select(['id', 'display_name'])
        .where('id', 'in', newUsers)
        .execute())
        this.#users.set(u.id, u.display_name);
    const newAudits = [...new Set(audits)].filter((id): id is number => id !== null && !this.#audits.has(id));
    if (newAudits.length)
      for (const a of await this.db.selectFrom('audit').select(['id', 'title']).where('id', 'in', newAudits).execute())
        this.#audits.set(a.id, a.title);
  }
  user(id: number | null) {
    return id === null ? '' : (this.#users.get(id) ?? '');
  }
  audit(id: number | null) {
    return id === null ? '' : (this.#audits.get(id) ?? '');
  }
}

/** One page of the nonconformity register: the rows after `after` in id order. */
async function ncPage(
  db: Db,
  names: Names,
  orgIds: readonly number[],
  after: number,
  today: string,
  zone: string,
): Promise<Page<NcRegisterRow>> {
  const rows = await db
    .selectFrom('finding')
    .select([
      'id',
      'ref',
      'organization_id',
      'audit_id',
      'requirement_id',
      'clause_id',
      'grade',
      'status',
      'statement_nonconformity',
      'owner_user_id',
      'raised_on',
      'due_date',
      'closed_at',
    ])
    .where('kind', '=', 'nonconformity')
    .where('organization_id', 'in', [...orgIds])
    .where('id', '>', after)
    .orderBy('id')
    .limit(PAGE)
    .execute();
  if (rows.length === 0) return { rows: [], last: after };
  const ids = rows.map((r) => r.id);
  await names.add(
    rows.map((r) => r.owner_user_id),
    rows.map((r) => r.audit_id),
  );
  const counts = await db
    .selectFrom('action_item')
    .select(['finding_id', 'status', (eb) => eb.fn.countAll().as('n')])
    .where('finding_id', 'in', ids)
    .groupBy(['finding_id', 'status'])
    .execute();
  const lifecycle = await latestSteps(db, ids);
  const total = new Map<number, { all: number; open: number }>();
  for (const c of counts) {
    const t = total.get(c.finding_id!) ?? { all: 0, open: 0 };
    t.all += Number(c.n);
    if (c.status !== 'done' && c.status !== 'cancelled') t.open += Number(c.n);
    total.set(c.finding_id!, t);
  }
  const page = rows.map((r) => ({
    orgCode: names.org(r.organization_id).code,
    orgName: names.org(r.organization_id).name,
    ref: r.ref,
    audit: names.audit(r.audit_id),
    item: r.requirement_id ?? '',
    clause: r.clause_id ?? '',
    grade: r.grade,
    status: r.status,
    nonconformity: r.statement_nonconformity,
    ...(lifecycle.get(r.id) ?? NO_STEPS),
    owner: names.user(r.owner_user_id),
    raisedOn: r.raised_on,
    dueDate: r.due_date,
    closedOn: r.closed_at ? dateIn(r.closed_at, zone) : null,
    daysOpen: daysOpen(r.raised_on, r.closed_at, today),
    overdue: isOverdue(r.due_date, r.status, today),
    actions: total.get(r.id)?.all ?? 0,
    openActions: total.get(r.id)?.open ?? 0,
  }));
  return { rows: page, last: rows[rows.length - 1]!.id };
}

/** One page of the corrective-action register: the actions after `after` in id order. */
async function actionPage(
  db: Db,
  names: Names,
  orgIds: readonly number[],
  after: number,
  today: string,
  zone: string,
): Promise<Page<ActionRegisterRow>> {
  const rows = await db
    .selectFrom('action_item')
    .innerJoin('finding', 'finding.id', 'action_item.finding_id')
    .select([
      'action_item.id',
      'action_item.ref',
      'action_item.organization_id',
      'finding.ref as nc_ref',
      'action_item.description',
      'action_item.owner_user_id',
      'action_item.due_date',
      'action_item.status',
      'action_item.completed_at',
    ])
    .where('action_item.organization_id', 'in', [...orgIds])
    .where('action_item.id', '>', after)
    .orderBy('action_item.id')
    .limit(PAGE)
    .execute();
  if (rows.length === 0) return { rows: [], last: after };
  await names.add(rows.map((r) => r.owner_user_id));
  const page = rows.map((r) => ({
    orgCode: names.org(r.organization_id).code,
    ref: r.ref,
    ncRef: r.nc_ref,
    description: r.description,
    owner: names.user(r.owner_user_id),
    dueDate: r.due_date,
    status: r.status,
    completedOn: r.completed_at ? dateIn(r.completed_at, zone) : null,
    overdue: isOverdue(r.due_date, r.status, today),
  }));
  return { rows: page, last: rows[rows.length - 1]!.id };
}

/**
 * Pages of a register in id order (keyset: each page an index range scan). The generator keeps only the last id
 * between pages: nothing of a page stays referenced while the writer waits for the download to drain.
 */
async function* pages<R>(orgIds: readonly number[], read: (after: number) => Promise<Page<R>>): AsyncGenerator<R[]> {
  if (orgIds.length === 0) return;
  for (let after = 0; ; ) {
    const page = await read(after);
    if (page.rows.length === 0) return;
    const full = page.rows.length === PAGE;
    after = page.last;
    yield page.rows;
    if (!full) return;
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
  const names = new Names(db);
  Promise.all([import('../../reports/nc-register.js'), names.loadOrgs(orgIds)])
    .then(([{ writeNcRegister }]) =>
      writeNcRegister(
        out,
        {
          title,
          generatedAt,
          nonconformities: pages(orgIds, (after) => ncPage(db, names, orgIds, after, today, zone)),
          actions: pages(orgIds, (after) => actionPage(db, names, orgIds, after, today, zone)),
        },
        reportTexts,
        lang,
      ),
    )
    .catch((err: unknown) => out.destroy(err instanceof Error ? err : new Error(String(err))));
  return out;
}
