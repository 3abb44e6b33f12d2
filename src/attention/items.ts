import type { Db } from '../db/connect.js';
import { nowIso } from '../db/time.js';
import { type AttentionItem, byUrgency, managementReviewDue, pastDue, withinHorizon } from '../domain/attention.js';
import { dateOf } from '../domain/due-dates.js';
import { can, type Permission } from '../domain/permissions.js';
import { dateIn } from '../domain/time-zone.js';
import type { Translate } from '../web/i18n.js';
import { evidenceRequestEntries } from './evidence-requests.js';
import {
  type AttentionScope,
  auditProgress,
  auditsUnderWay,
  awaitingEffectiveness,
  evidencePastReview,
  openActions,
  openNonconformities,
  pendingProposals,
  reviewDates,
  type ScopeOrg,
  scopeOrgs,
  upcomingAudits,
} from './queries.js';

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

const excerpt = (s: string, n = 80) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/**
 * Everything that needs attention in a scope, most urgent first. "Today" is each organisation's own date; a person
 * sees the organisation-wide kinds (upcoming audits, reviews, evidence) only where their role lets them act on them.
 */
export async function attentionItems(db: Db, scope: AttentionScope, t: Translate, now = nowIso()) {
  const orgs = await scopeOrgs(db, scope);
  const byId = new Map(orgs.map((o) => [o.id, o]));
  const todayOf = new Map(orgs.map((o) => [o.id, dateIn(now, o.timeZone)]));
  const may = (o: ScopeOrg | undefined, p: Permission) => o !== undefined && (o.role === null || can(o.role, p));
  const orgsWhere = (p: Permission) => orgs.filter((o) => may(o, p)).map((o) => o.id);
  const utcToday = dateOf(now);

  const [ncs, reviews, actions, audits, upcoming, reviewRows, evidence, proposals] = await Promise.all([
    openNonconformities(db, scope),
    awaitingEffectiveness(db, scope),
    openActions(db, scope),
    auditsUnderWay(db, scope),
    upcomingAudits(db, orgsWhere('audit.manage'), utcToday),
    reviewDates(db, orgsWhere('review.manage')),
    evidencePastReview(db, orgsWhere('evidence.manage'), utcToday),
    pendingProposals(db, scope),
  ]);
  const progress = await auditProgress(
    db,
    audits.map((a) => a.id),
  );

  const out: AttentionEntry[] = [];
  const push = (orgId: number, e: Omit<AttentionEntry, 'organizationId' | 'organizationName' | 'overdue'>) => {
    const org = byId.get(orgId);
    if (!org) return;
    out.push({ ...e, organizationId: orgId, organizationName: org.name, overdue: pastDue(e.due, todayOf.get(orgId)!) });
  };

  for (const f of ncs)
    push(f.organization_id, {
      kind: 'nonconformity',
      title: `${f.ref} ${excerpt(f.statement_nonconformity)}`,
      due: f.due_date,
      url: `/findings/${f.id}`,
      note: [f.grade && t(`findings.grade.${f.grade}`), t(`findings.status.${f.status}`)].filter(Boolean).join(' · '),
    });
  for (const f of reviews)
    if (may(byId.get(f.organization_id), 'finding.manage'))
      push(f.organization_id, {
        kind: 'effectiveness_review',
        title: `${f.ref} ${excerpt(f.statement_nonconformity)}`,
        due: f.due_date,
        url: `/findings/${f.id}`,
        note: t('attention.notes.effectiveness'),
      });
  for (const p of proposals)
    if (may(byId.get(p.organization_id), 'finding.manage'))
      push(p.organization_id, {
        kind: 'proposal',
        title: `${p.ref} ${t(`proposals.step.${p.step}`)}`,
        due: p.due_date,
        url: `/findings/${p.finding_id}#proposal-${p.id}`,
        note: t('attention.notes.proposal', { date: p.proposed_at.slice(0, 10) }),
      });
  for (const a of actions)
    push(a.organization_id, {
      kind: 'action',
      title: `${a.ref} ${excerpt(a.description)}`,
      due: a.due_date,
      url: a.finding_id ? `/findings/${a.finding_id}#action-${a.id}` : `/reviews/${a.review_id}`,
      note: t(`findings.actionStatus.${a.status}`),
    });

  const mine = new Set(audits.map((a) => a.id));
  for (const a of audits) {
    const p = progress.get(a.id) ?? { items: 0, examined: 0, levelled: 0, ncWithoutFinding: 0 };
    const done = a.type === 'self_assessment' ? p.levelled : p.examined;
    const percent = p.items === 0 ? 0 : Math.floor((done / p.items) * 100);
    const blockers: Blocker[] = [];
    if (p.items - p.examined > 0) blockers.push({ reason: 'unassessed', count: p.items - p.examined });
    if (p.ncWithoutFinding > 0) blockers.push({ reason: 'ncWithoutFinding', count: p.ncWithoutFinding });
    push(a.organization_id, {
      kind: 'audit',
      title: a.title,
      due: a.status === 'planned' ? (a.planned_start ?? a.planned_end) : a.planned_end,
      url: `/audits/${a.id}`,
      note: [
        t(`audits.status.${a.status}`),
        t('attention.notes.progress', { percent }),
        ...blockers.map((b) => t(`attention.blockers.${b.reason}`, { count: b.count })),
      ].join(' · '),
      progress: percent,
      blockers,
    });
  }
  for (const a of upcoming) {
    const today = todayOf.get(a.organization_id)!;
    if (mine.has(a.id) || !withinHorizon(a.planned_start, today)) continue;
    push(a.organization_id, {
      kind: 'planned_audit',
      title: a.title,
      due: a.planned_start,
      url: `/audits/${a.id}`,
      note: t(pastDue(a.planned_start, today) ? 'attention.notes.notStarted' : 'attention.notes.startsSoon'),
    });
  }

  for (const orgId of orgsWhere('review.manage')) {
    const today = todayOf.get(orgId)!;
    const held = reviewRows.filter((r) => r.organization_id === orgId);
    const last = held.filter((r) => r.held_on <= today).at(-1);
    const next = held.find((r) => r.held_on > today);
    const d = managementReviewDue(last?.held_on ?? null, next?.held_on ?? null, today);
    if (!d) continue;
    push(orgId, {
      kind: 'management_review',
      title: t(`attention.review.${d.state}`),
      due: d.due,
      url: d.state === 'scheduled' && next ? `/reviews/${next.id}` : `/orgs/${orgId}/reviews`,
      note: last ? t('attention.notes.lastReview', { date: last.held_on }) : t('attention.notes.noReview'),
    });
  }

  const evidenceByOrg = new Map<number, { n: number; oldest: string }>();
  for (const e of evidence) {
    if (e.date >= todayOf.get(e.orgId)!) continue; // due today is not yet past
    const cur = evidenceByOrg.get(e.orgId);
    evidenceByOrg.set(e.orgId, { n: (cur?.n ?? 0) + e.n, oldest: cur && cur.oldest < e.date ? cur.oldest : e.date });
  }
  for (const [orgId, e] of evidenceByOrg)
    push(orgId, {
      kind: 'evidence_review',
      title: t('attention.evidence', { count: e.n }),
      due: e.oldest,
      url: `/orgs/${orgId}/evidence?overdue=1`,
      note: t('attention.notes.evidence'),
    });

  out.push(...(await evidenceRequestEntries(db, scope, orgs, t, now)));
  return out.sort(byUrgency);
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
