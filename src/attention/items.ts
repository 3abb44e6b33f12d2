import { sql } from 'kysely';
import type { Db } from '../db/connect.js';
import { nowIso } from '../db/time.js';
import {
  ATTENTION_KINDS,
  type AttentionItem,
  type AttentionKind,
  byUrgency,
  HORIZON_DAYS,
  managementReviewDue,
  pastDue,
  withinHorizon,
} from '../domain/attention.js';
import { addDays, dateOf } from '../domain/due-dates.js';
import { dateIn } from '../domain/time-zone.js';
import type { Translate } from '../web/i18n.js';
import { evidenceRequestEntries } from './evidence-requests.js';
import { type AttentionScope, auditProgress, type ScopeOrg, scopeOrgs } from './queries.js';
import { evidenceCounts, oldestEvidenceReview, reviewFacts, reviewOn, scoped, section, windowOf } from './sections.js';

/** What keeps an audit from being issued. */
export type Blocker = { reason: 'unassessed' | 'ncWithoutFinding'; count: number };

/** One line of "needs attention": the API's item plus what a reader needs beside the title. */
export interface AttentionEntry extends AttentionItem {
  organizationName: string;
  /** One line in the reader's language: grade and status, progress, what blocks, and so on. */
  note: string;
  /** Audits only: percent of the items in scope examined, and what blocks the issue of the report. */
  progress?: number;
  blockers?: Blocker[];
}

/** One kind of item: how many there are in all (exact), and the most urgent of them (all of them without a limit). */
export interface AttentionSection {
  kind: AttentionKind;
  count: number;
  items: AttentionEntry[];
}

const excerpt = (s: string, n = 80) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

interface Options {
  /** Most urgent items kept per section; every item when absent. */
  limit?: number;
  /** Only these kinds. */
  kinds?: readonly AttentionKind[];
  now?: string;
}

/**
 * What needs attention in a scope, section by section, each most urgent first with its exact count. "Today" is each
 * organisation's own date; a person sees the organisation-wide kinds (upcoming audits, reviews, evidence) only where
 * their role lets them act on them (the membership's role is part of each query).
 */
export async function attentionSections(
  db: Db,
  scope: AttentionScope,
  t: Translate,
  opts: Options = {},
): Promise<AttentionSection[]> {
  return (await attentionIn(db, scope, t, opts)).sections;
}

/** The sections, with the organisations of the scope they were read over and the date in each of their zones. */
export async function attentionIn(
  db: Db,
  scope: AttentionScope,
  t: Translate,
  opts: Options = {},
): Promise<{ sections: AttentionSection[]; orgs: ScopeOrg[]; zoneToday: Map<string, string> }> {
  const now = opts.now ?? nowIso();
  const want = new Set(opts.kinds ?? ATTENTION_KINDS);
  const orgs = await scopeOrgs(db, scope);
  const byId = new Map(orgs.map((o) => [o.id, o]));
  const todayOf = new Map<number, string>();
  const zoneToday = new Map<string, string>();
  for (const o of orgs) {
    let d = zoneToday.get(o.timeZone);
    if (d === undefined) {
      d = dateIn(now, o.timeZone);
      zoneToday.set(o.timeZone, d);
    }
    todayOf.set(o.id, d);
  }
  const w = windowOf(dateOf(now), opts.limit);
  const me = scope.kind === 'user' ? scope.userId : null;

  const entry = (
    orgId: number,
    e: Omit<AttentionEntry, 'organizationId' | 'organizationName' | 'overdue'>,
  ): AttentionEntry | null => {
    const org = byId.get(orgId);
    if (!org) return null;
    return { ...e, organizationId: orgId, organizationName: org.name, overdue: pastDue(e.due, todayOf.get(orgId)!) };
  };
  /** The section's entries, most urgent first, cut to the limit. */
  const finish = (kind: AttentionKind, count: number, entries: (AttentionEntry | null)[]): AttentionSection => {
    const items = entries.filter((e): e is AttentionEntry => e !== null).sort(byUrgency);
    return { kind, count, items: opts.limit === undefined ? items : items.slice(0, opts.limit) };
  };

  const tasks: Promise<AttentionSection>[] = [];
  const run = (kind: AttentionKind, f: () => Promise<AttentionSection>) => {
    if (want.has(kind)) tasks.push(f());
  };

  run('nonconformity', async () => {
    const s = await section<{
      id: number;
      organization_id: number;
      ref: string;
      grade: string | null;
      status: string;
      due_date: string | null;
      statement_nonconformity: string;
    }>(
      db,
      () => {
        let q = db
          .selectFrom('finding')
          .where('finding.kind', '=', 'nonconformity')
          .where('finding.status', '!=', 'closed')
          .where((eb) => scoped(eb, 'finding.organization_id', scope));
        if (me !== null) q = q.where('finding.owner_user_id', '=', me);
        return q;
      },
      (q) =>
        q.select([
          'finding.id',
          'finding.organization_id',
          'finding.ref',
          'finding.grade',
          'finding.status',
          'finding.due_date',
          'finding.statement_nonconformity',
        ]),
      sql`finding.due_date`,
      w,
    );
    return finish(
      'nonconformity',
      s.count,
      s.rows.map((f) =>
        entry(f.organization_id, {
          kind: 'nonconformity',
          title: `${f.ref} ${excerpt(f.statement_nonconformity)}`,
          due: f.due_date,
          url: `/findings/${f.id}`,
          note: [f.grade && t(`findings.grade.${f.grade}`), t(`findings.status.${f.status}`)]
            .filter(Boolean)
            .join(' · '),
        }),
      ),
    );
  });

  run('effectiveness_review', async () => {
    const s = await section<{
      id: number;
      organization_id: number;
      ref: string;
      due_date: string | null;
      statement_nonconformity: string;
    }>(
      db,
      () => {
        let q = db
          .selectFrom('finding')
          .leftJoin('audit', 'audit.id', 'finding.audit_id')
          .where('finding.kind', '=', 'nonconformity')
          .where('finding.status', '=', 'actions_implemented')
          .where((eb) => scoped(eb, 'finding.organization_id', scope, 'finding.manage'));
        if (me !== null)
          q = q.where((eb) => eb.or([eb('finding.raised_by', '=', me), eb('audit.lead_auditor_id', '=', me)]));
        return q;
      },
      (q) =>
        q.select([
          'finding.id',
          'finding.organization_id',
          'finding.ref',
          'finding.due_date',
          'finding.statement_nonconformity',
        ]),
      sql`finding.due_date`,
      w,
    );
    return finish(
      'effectiveness_review',
      s.count,
      s.rows.map((f) =>
        entry(f.organization_id, {
          kind: 'effectiveness_review',
          title: `${f.ref} ${excerpt(f.statement_nonconformity)}`,
          due: f.due_date,
          url: `/findings/${f.id}`,
          note: t('attention.notes.effectiveness'),
        }),
      ),
    );
  });

  run('proposal', async () => {
    const s = await section<{
      id: number;
      step: string;
      proposed_at: string;
      finding_id: number;
      organization_id: number;
      ref: string;
      due_date: string | null;
    }>(
      db,
      () => {
        let q = db
          .selectFrom('nc_proposal')
          .innerJoin('finding', 'finding.id', 'nc_proposal.finding_id')
          .leftJoin('audit', 'audit.id', 'finding.audit_id')
          .where('nc_proposal.status', '=', 'pending')
          .where((eb) => scoped(eb, 'finding.organization_id', scope, 'finding.manage'));
        if (me !== null)
          q = q.where((eb) => eb.or([eb('finding.raised_by', '=', me), eb('audit.lead_auditor_id', '=', me)]));
        return q;
      },
      (q) =>
        q.select([
          'nc_proposal.id',
          'nc_proposal.step',
          'nc_proposal.proposed_at',
          'finding.id as finding_id',
          'finding.organization_id',
          'finding.ref',
          'finding.due_date',
        ]),
      sql`finding.due_date`,
      w,
    );
    return finish(
      'proposal',
      s.count,
      s.rows.map((p) =>
        entry(p.organization_id, {
          kind: 'proposal',
          title: `${p.ref} ${t(`proposals.step.${p.step}`)}`,
          due: p.due_date,
          url: `/findings/${p.finding_id}#proposal-${p.id}`,
          note: t('attention.notes.proposal', { date: p.proposed_at.slice(0, 10) }),
        }),
      ),
    );
  });

  run('action', async () => {
    const s = await section<{
      id: number;
      organization_id: number;
      ref: string;
      description: string;
      status: string;
      due_date: string | null;
      finding_id: number | null;
      review_id: number | null;
    }>(
      db,
      () => {
        let q = db
          .selectFrom('action_item')
          .where('action_item.status', 'in', ['planned', 'in_progress'])
          .where((eb) => scoped(eb, 'action_item.organization_id', scope));
        if (me !== null) q = q.where('action_item.owner_user_id', '=', me);
        return q;
      },
      (q) =>
        q.select([
          'action_item.id',
          'action_item.organization_id',
          'action_item.ref',
          'action_item.description',
          'action_item.status',
          'action_item.due_date',
          'action_item.finding_id',
          'action_item.review_id',
        ]),
      sql`action_item.due_date`,
      w,
    );
    return finish(
      'action',
      s.count,
      s.rows.map((a) =>
        entry(a.organization_id, {
          kind: 'action',
          title: `${a.ref} ${excerpt(a.description)}`,
          due: a.due_date,
          url: a.finding_id ? `/findings/${a.finding_id}#action-${a.id}` : `/reviews/${a.review_id}`,
          note: t(`findings.actionStatus.${a.status}`),
        }),
      ),
    );
  });

  run('audit', async () => {
    const s = await section<{
      id: number;
      organization_id: number;
      title: string;
      type: string;
      status: string;
      planned_start: string | null;
      planned_end: string | null;
    }>(
      db,
      () => {
        let q = db
          .selectFrom('audit')
          .where(
            'audit.status',
            'in',
            me !== null ? ['planned', 'in_progress', 'reporting'] : ['in_progress', 'reporting'],
          )
          .where((eb) => scoped(eb, 'audit.organization_id', scope));
        if (me !== null)
          q = q.where((eb) =>
            eb.or([
              eb('audit.lead_auditor_id', '=', me),
              eb.exists(
                eb
                  .selectFrom('audit_team')
                  .select('audit_team.user_id')
                  .whereRef('audit_team.audit_id', '=', 'audit.id')
                  .where('audit_team.user_id', '=', me),
              ),
            ]),
          );
        return q;
      },
      (q) =>
        q.select([
          'audit.id',
          'audit.organization_id',
          'audit.title',
          'audit.type',
          'audit.status',
          'audit.planned_start',
          'audit.planned_end',
        ]),
      sql`case when audit.status = 'planned' then coalesce(audit.planned_start, audit.planned_end) else audit.planned_end end`,
      w,
    );
    const dueOf = (a: (typeof s.rows)[number]) =>
      a.status === 'planned' ? (a.planned_start ?? a.planned_end) : a.planned_end;
    // Progress is read only for the audits shown: the most urgent first, cut to the limit.
    const shown = [...s.rows]
      .map((a) => ({
        a,
        e: { overdue: pastDue(dueOf(a), todayOf.get(a.organization_id) ?? ''), due: dueOf(a), title: a.title },
      }))
      .sort((x, y) => byUrgency(x.e, y.e))
      .slice(0, opts.limit ?? s.rows.length)
      .map((x) => x.a);
    const progress = await auditProgress(
      db,
      shown.map((a) => a.id),
    );
    return finish(
      'audit',
      s.count,
      shown.map((a) => {
        const p = progress.get(a.id) ?? { items: 0, examined: 0, levelled: 0, ncWithoutFinding: 0 };
        const done = a.type === 'self_assessment' ? p.levelled : p.examined;
        const percent = p.items === 0 ? 0 : Math.floor((done / p.items) * 100);
        const blockers: Blocker[] = [];
        if (p.items - p.examined > 0) blockers.push({ reason: 'unassessed', count: p.items - p.examined });
        if (p.ncWithoutFinding > 0) blockers.push({ reason: 'ncWithoutFinding', count: p.ncWithoutFinding });
        return entry(a.organization_id, {
          kind: 'audit',
          title: a.title,
          due: dueOf(a),
          url: `/audits/${a.id}`,
          note: [
            t(`audits.status.${a.status}`),
            t('attention.notes.progress', { percent }),
            ...blockers.map((b) => t(`attention.blockers.${b.reason}`, { count: b.count })),
          ].join(' · '),
          progress: percent,
          blockers,
        });
      }),
    );
  });

  run('planned_audit', async () => {
    // Within the horizon of every organisation: planned to start by UTC's yesterday + HORIZON_DAYS; the two days
    // after are decided by each organisation's own today.
    const sure = addDays(w.lo, HORIZON_DAYS);
    const base = () => {
      let q = db
        .selectFrom('audit')
        .where('audit.status', '=', 'planned')
        .where('audit.planned_start', 'is not', null)
        .where((eb) => scoped(eb, 'audit.organization_id', scope, 'audit.manage'));
      if (me !== null)
        // Audits the person is on are listed under "audit" already.
        q = q
          .where((eb) => eb.or([eb('audit.lead_auditor_id', 'is', null), eb('audit.lead_auditor_id', '!=', me)]))
          .where((eb) =>
            eb.not(
              eb.exists(
                eb
                  .selectFrom('audit_team')
                  .select('audit_team.user_id')
                  .whereRef('audit_team.audit_id', '=', 'audit.id')
                  .where('audit_team.user_id', '=', me),
              ),
            ),
          );
      return q;
    };
    const cols = ['audit.id', 'audit.organization_id', 'audit.title', 'audit.planned_start'] as const;
    type Row = { id: number; organization_id: number; title: string; planned_start: string };
    const [s, later] = await Promise.all([
      section<Row>(
        db,
        () => base().where('audit.planned_start', '<=', sure),
        (q) => q.select([...cols]),
        sql`audit.planned_start`,
        w,
      ),
      base()
        .where('audit.planned_start', '>', sure)
        .where('audit.planned_start', '<=', addDays(w.hi, HORIZON_DAYS))
        .select([...cols])
        .execute() as Promise<Row[]>,
    ]);
    const extra = later.filter((a) => withinHorizon(a.planned_start, todayOf.get(a.organization_id) ?? ''));
    return finish(
      'planned_audit',
      s.count + extra.length,
      [...s.rows, ...extra].map((a) =>
        entry(a.organization_id, {
          kind: 'planned_audit',
          title: a.title,
          due: a.planned_start,
          url: `/audits/${a.id}`,
          note: t(
            pastDue(a.planned_start, todayOf.get(a.organization_id) ?? '')
              ? 'attention.notes.notStarted'
              : 'attention.notes.startsSoon',
          ),
        }),
      ),
    );
  });

  run('management_review', async () => {
    const f = await reviewFacts(db, scope, w);
    const edge = new Map<number, { id: number; held_on: string }[]>();
    for (const r of f.edge) edge.set(r.organization_id, [...(edge.get(r.organization_id) ?? []), r]);
    const due: {
      orgId: number;
      last: string | null;
      next: { id: number | null; on: string } | null;
      d: NonNullable<ReturnType<typeof managementReviewDue>>;
    }[] = [];
    for (const o of f.rows) {
      const today = todayOf.get(o.id);
      if (today === undefined) continue;
      const near = edge.get(o.id) ?? [];
      const last =
        [o.before, ...near.filter((r) => r.held_on <= today).map((r) => r.held_on)]
          .filter((x): x is string => x !== null)
          .sort()
          .at(-1) ?? null;
      const nearNext = near.find((r) => r.held_on > today);
      const next = nearNext ? { id: nearNext.id, on: nearNext.held_on } : o.after ? { id: null, on: o.after } : null;
      const d = managementReviewDue(last, next?.on ?? null, today);
      if (d) due.push({ orgId: o.id, last, next, d });
    }
    const pseudo = due.map((x) => ({ x, overdue: pastDue(x.d.due, todayOf.get(x.orgId)!), due: x.d.due, title: '' }));
    pseudo.sort(byUrgency);
    const shown = pseudo.slice(0, opts.limit ?? pseudo.length).map((p) => p.x);
    const entries = await Promise.all(
      shown.map(async ({ orgId, last, next, d }) => {
        const nextId = d.state === 'scheduled' && next ? (next.id ?? (await reviewOn(db, orgId, next.on))) : null;
        return entry(orgId, {
          kind: 'management_review',
          title: t(`attention.review.${d.state}`),
          due: d.due,
          url: nextId !== null ? `/reviews/${nextId}` : `/orgs/${orgId}/reviews`,
          note: last ? t('attention.notes.lastReview', { date: last }) : t('attention.notes.noReview'),
        });
      }),
    );
    return finish('management_review', due.length, entries);
  });

  run('evidence_review', async () => {
    const oldest = (await oldestEvidenceReview(db, scope)).filter(
      (o) => o.oldest !== null && todayOf.has(o.id) && o.oldest < todayOf.get(o.id)!,
    );
    oldest.sort((a, b) => (a.oldest! < b.oldest! ? -1 : a.oldest! > b.oldest! ? 1 : a.id - b.id));
    const shown = oldest.slice(0, opts.limit ?? oldest.length);
    const n = new Map<number, number>();
    for (const c of await evidenceCounts(
      db,
      shown.map((o) => o.id),
      w,
    ))
      if (c.date < todayOf.get(c.orgId)!) n.set(c.orgId, (n.get(c.orgId) ?? 0) + c.n);
    return finish(
      'evidence_review',
      oldest.length,
      shown.map((o) =>
        entry(o.id, {
          kind: 'evidence_review',
          title: t('attention.evidence', { count: n.get(o.id) ?? 0 }),
          due: o.oldest,
          url: `/orgs/${o.id}/evidence?overdue=1`,
          note: t('attention.notes.evidence'),
        }),
      ),
    );
  });

  if (want.has('evidence_request') || want.has('evidence_request_review')) {
    const requests = await evidenceRequestEntries(db, scope, orgs, t, now);
    for (const kind of ['evidence_request', 'evidence_request_review'] as const)
      if (want.has(kind)) {
        const mine = requests.filter((r) => r.kind === kind);
        tasks.push(Promise.resolve(finish(kind, mine.length, mine)));
      }
  }

  const sections = await Promise.all(tasks);
  const order = new Map(ATTENTION_KINDS.map((k, i) => [k, i]));
  return { sections: sections.sort((a, b) => order.get(a.kind)! - order.get(b.kind)!), orgs, zoneToday };
}

/** Everything that needs attention in a scope, most urgent first (every item of every section). */
export async function attentionItems(db: Db, scope: AttentionScope, t: Translate, now = nowIso()) {
  const sections = await attentionSections(db, scope, t, { now });
  return sections.flatMap((s) => s.items).sort(byUrgency);
}

/** The API's shape: the issue's fields, then the extras in a stable order. */
export function attentionDto(e: AttentionEntry) {
  return {
    kind: e.kind,
    organizationId: e.organizationId,
    organizationName: e.organizationName,
    title: e.title,
    due: e.due,
    overdue: e.overdue,
    url: e.url,
    note: e.note,
    ...(e.progress !== undefined && { progress: e.progress, blockers: e.blockers }),
  };
}
