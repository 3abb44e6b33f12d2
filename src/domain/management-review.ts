// 9.3 management review: the input pack a)–l), assembled from what the system holds (pure; no I/O).
// What the system can count is counted for the review period (with the previous period of the same length for
// trends, 9.3 c); what it cannot know (issues, policies, objectives, resources, risks…) is a narrative the user writes.
import { isOverdue } from './due-dates.js';
import { VERDICTS, type Verdict } from './verdicts.js';

export const REVIEW_INPUTS = ['a', 'b', 'c1', 'c2', 'c3', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l'] as const;
export type ReviewInputId = (typeof REVIEW_INPUTS)[number];

/** Whether the system fills an input, the user writes it, or both. */
export type InputSource = 'data' | 'narrative' | 'mixed';
const SOURCE: Record<ReviewInputId, InputSource> = {
  a: 'data',
  b: 'narrative',
  c1: 'data',
  c2: 'mixed',
  c3: 'data',
  d: 'mixed',
  e: 'mixed',
  f: 'narrative',
  g: 'narrative',
  h: 'mixed',
  i: 'mixed',
  j: 'narrative',
  k: 'narrative',
  l: 'mixed',
};
const CLAUSE: Record<ReviewInputId, string> = {
  a: '9.3 a)',
  b: '9.3 b)',
  c1: '9.3 c) 1)',
  c2: '9.3 c) 2)',
  c3: '9.3 c) 3)',
  d: '9.3 d)',
  e: '9.3 e)',
  f: '9.3 f)',
  g: '9.3 g)',
  h: '9.3 h)',
  i: '9.3 i)',
  j: '9.3 j)',
  k: '9.3 k)',
  l: '9.3 l)',
};

/** Inclusive calendar dates. */
export interface Period {
  from: string;
  to: string;
}

export interface NcFact {
  raisedOn: string;
  closedOn: string | null;
  grade: string | null;
  dueDate: string | null;
  serviceId: number | null;
  otherPartyId: number | null;
}
export interface ActionFact {
  ref: string;
  description: string;
  createdOn: string;
  completedOn: string | null;
  status: string;
  dueDate: string | null;
  smsChange: boolean;
}
export interface AuditFact {
  id: number;
  title: string;
  issuedOn: string;
  verdicts: Partial<Record<Verdict, number>>;
  findings: Partial<Record<FindingKind, number>>;
}
export type FindingKind = 'nonconformity' | 'observation' | 'ofi';
export interface FindingFact {
  kind: FindingKind;
  source: string;
  raisedOn: string;
}
export interface ImprovementFact {
  createdOn: string;
  decision: string;
  status: string;
  targetMet: string;
  smsChange: boolean;
}
export interface FeedbackFact {
  receivedOn: string;
  kind: string;
}
export interface Named {
  id: number;
  name: string;
}

/** Everything the pack is assembled from; the query module gathers it for one review. */
export interface ReviewFacts {
  period: Period;
  previousPeriod: Period;
  previousReviewActions: ActionFact[];
  nonconformities: NcFact[];
  correctiveActions: ActionFact[];
  issuedAudits: AuditFact[];
  findings: FindingFact[];
  improvements: ImprovementFact[];
  feedback: FeedbackFact[];
  services: Named[];
  otherParties: Named[];
  narratives: Partial<Record<ReviewInputId, string>>;
}

export interface Figure {
  key: string;
  value: number;
  previous?: number;
}
export interface BreakdownRow {
  label: string;
  value: number;
}
export interface ActionEntry {
  ref: string;
  label: string;
  status: string;
  dueDate: string | null;
  overdue: boolean;
}

export interface ReviewInput {
  id: ReviewInputId;
  clause: string;
  source: InputSource;
  /** The period the figures cover; null for a narrative-only input. */
  period: Period | null;
  figures: Figure[];
  breakdown: BreakdownRow[];
  entries: ActionEntry[];
  narrative: string;
}

export interface ReviewInputPack {
  period: Period;
  previousPeriod: Period;
  items: ReviewInput[];
}

const within = (d: string | null, p: Period): boolean =>
  d !== null && d.slice(0, 10) >= p.from && d.slice(0, 10) <= p.to;
const count = <T>(xs: readonly T[], pred: (x: T) => boolean): number => xs.reduce((n, x) => n + (pred(x) ? 1 : 0), 0);
const trend = (key: string, xs: readonly { at: string | null }[], cur: Period, prev: Period): Figure => ({
  key,
  value: count(xs, (x) => within(x.at, cur)),
  previous: count(xs, (x) => within(x.at, prev)),
});

/** Open at the end of the period: raised by then and not closed by then. */
const openAt = (raised: string, closed: string | null, end: string): boolean =>
  raised.slice(0, 10) <= end && (closed === null || closed.slice(0, 10) > end);

function statusFigures(actions: readonly ActionFact[], asOf: string): Figure[] {
  return [
    { key: 'actionsTotal', value: actions.length },
    ...['planned', 'in_progress', 'done', 'cancelled'].map((s) => ({
      key: `actions_${s}`,
      value: count(actions, (a) => a.status === s),
    })),
    { key: 'actionsOverdue', value: count(actions, (a) => isOverdue(a.dueDate, a.status, asOf)) },
  ];
}

function perNamed(
  ncs: readonly NcFact[],
  named: readonly Named[],
  pick: (n: NcFact) => number | null,
  p: Period,
): BreakdownRow[] {
  return named.map((x) => ({ label: x.name, value: count(ncs, (n) => pick(n) === x.id && within(n.raisedOn, p)) }));
}

export function assembleReviewInputs(f: ReviewFacts): ReviewInputPack {
  const { period: p, previousPeriod: pp } = f;
  const end = p.to;
  const item = (
    id: ReviewInputId,
    parts: Partial<Pick<ReviewInput, 'figures' | 'breakdown' | 'entries'>> = {},
  ): ReviewInput => ({
    id,
    clause: CLAUSE[id],
    source: SOURCE[id],
    period: SOURCE[id] === 'narrative' ? null : p,
    figures: parts.figures ?? [],
    breakdown: parts.breakdown ?? [],
    entries: parts.entries ?? [],
    narrative: f.narratives[id] ?? '',
  });
  const ncs = f.nonconformities;
  const cas = f.correctiveActions;
  const ofFindings = (source: string) => f.findings.filter((x) => x.source === source).map((x) => ({ at: x.raisedOn }));
  const sumVerdicts = (v: Verdict) => f.issuedAudits.reduce((n, a) => n + (a.verdicts[v] ?? 0), 0);
  const sumFindings = (k: FindingKind) => f.issuedAudits.reduce((n, a) => n + (a.findings[k] ?? 0), 0);
  const feedbackIn = f.feedback.filter((x) => within(x.receivedOn, p));

  return {
    period: p,
    previousPeriod: pp,
    items: [
      item('a', {
        figures: statusFigures(f.previousReviewActions, end),
        entries: f.previousReviewActions.map((a) => ({
          ref: a.ref,
          label: a.description,
          status: a.status,
          dueDate: a.dueDate,
          overdue: isOverdue(a.dueDate, a.status, end),
        })),
      }),
      item('b'),
      item('c1', {
        figures: [
          trend(
            'ncRaised',
            ncs.map((n) => ({ at: n.raisedOn })),
            p,
            pp,
          ),
          trend(
            'ncRaisedMajor',
            ncs.filter((n) => n.grade === 'major').map((n) => ({ at: n.raisedOn })),
            p,
            pp,
          ),
          trend(
            'ncRaisedMinor',
            ncs.filter((n) => n.grade === 'minor').map((n) => ({ at: n.raisedOn })),
            p,
            pp,
          ),
          trend(
            'ncClosed',
            ncs.map((n) => ({ at: n.closedOn })),
            p,
            pp,
          ),
          { key: 'ncOpenAtEnd', value: count(ncs, (n) => openAt(n.raisedOn, n.closedOn, end)) },
          {
            key: 'ncOverdueAtEnd',
            value: count(ncs, (n) => openAt(n.raisedOn, n.closedOn, end) && isOverdue(n.dueDate, 'open', end)),
          },
          trend(
            'caCreated',
            cas.map((a) => ({ at: a.createdOn })),
            p,
            pp,
          ),
          trend(
            'caCompleted',
            cas.map((a) => ({ at: a.completedOn })),
            p,
            pp,
          ),
          {
            key: 'caOpenAtEnd',
            value: count(cas, (a) => a.status !== 'cancelled' && openAt(a.createdOn, a.completedOn, end)),
          },
          {
            key: 'caOverdueAtEnd',
            value: count(
              cas,
              (a) =>
                a.status !== 'cancelled' &&
                openAt(a.createdOn, a.completedOn, end) &&
                isOverdue(a.dueDate, 'open', end),
            ),
          },
        ],
      }),
      item('c2', { figures: [trend('monitoringFindings', ofFindings('monitoring'), p, pp)] }),
      item('c3', {
        figures: [
          { key: 'auditsIssued', value: f.issuedAudits.length },
          ...VERDICTS.map((v) => ({ key: `verdict_${v}`, value: sumVerdicts(v) })),
          ...(['nonconformity', 'observation', 'ofi'] as const).map((k) => ({
            key: `findings_${k}`,
            value: sumFindings(k),
          })),
          trend('externalAuditFindings', ofFindings('external_audit'), p, pp),
        ],
        breakdown: f.issuedAudits.map((a) => ({
          label: a.title,
          value: Object.values(a.findings).reduce((n, v) => n + (v ?? 0), 0),
        })),
      }),
      item('d', {
        figures: [
          trend(
            'ofiFindings',
            f.findings.filter((x) => x.kind === 'ofi').map((x) => ({ at: x.raisedOn })),
            p,
            pp,
          ),
          { key: 'improvementsProposed', value: count(f.improvements, (i) => within(i.createdOn, p)) },
          {
            key: 'improvementsApproved',
            value: count(f.improvements, (i) => within(i.createdOn, p) && i.decision === 'approved'),
          },
          {
            key: 'improvementsOpen',
            value: count(
              f.improvements,
              (i) => i.decision !== 'rejected' && i.status !== 'closed' && i.status !== 'implemented',
            ),
          },
          { key: 'improvementsTargetNotMet', value: count(f.improvements, (i) => i.targetMet === 'no') },
        ],
      }),
      item('e', {
        figures: [
          trend(
            'feedbackTotal',
            f.feedback.map((x) => ({ at: x.receivedOn })),
            p,
            pp,
          ),
          ...['complaint', 'compliment', 'suggestion', 'other'].map((k) => ({
            key: `feedback_${k}`,
            value: count(feedbackIn, (x) => x.kind === k),
          })),
          trend('complaintFindings', ofFindings('complaint'), p, pp),
        ],
      }),
      item('f'),
      item('g'),
      item('h', {
        figures: [{ key: 'ncForServices', value: count(ncs, (n) => n.serviceId !== null && within(n.raisedOn, p)) }],
        breakdown: perNamed(ncs, f.services, (n) => n.serviceId, p),
      }),
      item('i', {
        figures: [
          { key: 'ncForOtherParties', value: count(ncs, (n) => n.otherPartyId !== null && within(n.raisedOn, p)) },
        ],
        breakdown: perNamed(ncs, f.otherParties, (n) => n.otherPartyId, p),
      }),
      item('j'),
      item('k'),
      item('l', {
        figures: [
          { key: 'smsChangeActions', value: count(cas, (a) => a.smsChange && within(a.createdOn, p)) },
          { key: 'smsChangeImprovements', value: count(f.improvements, (i) => i.smsChange && within(i.createdOn, p)) },
        ],
      }),
    ],
  };
}

/** The period a review covers by default: from the day after the previous review, else the 12 months before. */
export function defaultReviewPeriod(heldOn: string, previousHeldOn: string | null): Period {
  const d = new Date(`${heldOn}T00:00:00Z`);
  const from = previousHeldOn
    ? new Date(Date.parse(`${previousHeldOn}T00:00:00Z`) + 86_400_000)
    : new Date(Date.UTC(d.getUTCFullYear() - 1, d.getUTCMonth(), d.getUTCDate() + 1));
  return { from: from.toISOString().slice(0, 10), to: heldOn };
}

/** The period of the same length just before, for trends. */
export function previousPeriodOf(p: Period): Period {
  const from = Date.parse(`${p.from}T00:00:00Z`);
  const to = Date.parse(`${p.to}T00:00:00Z`);
  const len = to - from;
  const prevTo = from - 86_400_000;
  return { from: new Date(prevTo - len).toISOString().slice(0, 10), to: new Date(prevTo).toISOString().slice(0, 10) };
}
