// The nonconformity lifecycle of ISO/IEC 20000-1:2018 10.1 as a pure state machine (no I/O).
//
//   open ──reaction_recorded──▶ reaction_recorded      10.1.1 a) control and correct it; deal with the consequences
//        ──cause_analysed─────▶ cause_analysed         10.1.1 b) review it, determine its cause, whether similar ones exist or could occur
//        ──actions_planned────▶ actions_planned        10.1.1 c) one or more corrective actions (owner, due date, SMS change? — e)
//        ──actions_implemented▶ actions_implemented    every action done (cancelled ones aside), at least one done in this round
//        ──effectiveness_reviewed▶ effectiveness_reviewed  10.1.1 d) by someone who owns none of the actions;
//                                  effective: false ▶ actions_planned (a new round of actions)
//        ──closed─────────────▶ closed                 10.1.1 e) names the SMS change when an action required one
//   closed ──open (reopen, with a reason)──▶ open
//
// Reopening goes back to `open`, not to `actions_planned`: a closed nonconformity is reopened because it recurred or
// the closure was premature, and 10.1.1 asks to react to it and to review its cause again — the earlier cause evidently
// did not eliminate it. The whole cycle therefore runs again in a new round; earlier records stay in the timeline and
// earlier actions stay listed. Planning further actions while already in `actions_planned` is the same transition.

export const NC_STATUSES = [
  'open',
  'reaction_recorded',
  'cause_analysed',
  'actions_planned',
  'actions_implemented',
  'effectiveness_reviewed',
  'closed',
] as const;
export type NcStatus = (typeof NC_STATUSES)[number];

export const GRADES = ['major', 'minor'] as const;
export type Grade = (typeof GRADES)[number];

export const CAUSE_METHODS = ['five_whys', 'fishbone', 'other'] as const;
export type CauseMethod = (typeof CAUSE_METHODS)[number];

/** 10.1.1 b 3): do similar nonconformities exist, or could they occur? */
export const SIMILAR = ['none', 'exist', 'could_occur'] as const;
export type Similar = (typeof SIMILAR)[number];

export const ACTION_STATUSES = ['planned', 'in_progress', 'done', 'cancelled'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

/** Which transitions may start from which status. */
const FROM: Record<NcStatus, readonly NcStatus[]> = {
  open: ['closed'], // reopen
  reaction_recorded: ['open'],
  cause_analysed: ['reaction_recorded'],
  actions_planned: ['cause_analysed', 'actions_planned'], // planning further actions is allowed while planning
  actions_implemented: ['actions_planned'],
  effectiveness_reviewed: ['actions_implemented'],
  closed: ['effectiveness_reviewed'],
};

export interface NcAction {
  ownerUserId: number | null;
  status: ActionStatus;
  round: number;
  smsChange: boolean;
  ref?: string;
}

/** What the machine needs to know about a nonconformity. */
export interface NcSnapshot {
  status: NcStatus;
  round: number;
  actions: readonly NcAction[];
}

export interface PlannedAction {
  description?: string;
  ownerUserId?: number | null;
  dueDate?: string | null;
  smsChange?: boolean;
}

/** The fields a user may send with a transition; which are required depends on the target. */
export interface TransitionFields {
  correction?: string;
  consequences?: string;
  method?: string;
  cause?: string;
  similar?: string;
  similarWhere?: string;
  actions?: readonly PlannedAction[];
  note?: string;
  effective?: boolean;
  verification?: string;
  smsChangeReference?: string;
  reason?: string;
}

export type Refusal =
  | { reason: 'notAllowed'; from: NcStatus; to: NcStatus; allowedFrom: readonly NcStatus[] }
  | { reason: 'missingFields'; fields: string[] }
  | { reason: 'invalidFields'; fields: string[] }
  | { reason: 'actionsNotDone'; actions: string[] }
  | { reason: 'noActionThisRound' }
  | { reason: 'reviewerOwnsAction' };

export type TransitionDecision =
  | { ok: true; from: NcStatus; to: NcStatus; round: number; recorded: Record<string, unknown> }
  | ({ ok: false } & Refusal);

const filled = (v: string | undefined): v is string => typeof v === 'string' && v.trim().length > 0;
const isDate = (v: string | null | undefined): v is string =>
  typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`));
const oneOf = <T extends string>(list: readonly T[], v: string | undefined): v is T =>
  v !== undefined && (list as readonly string[]).includes(v);

export function isNcStatus(v: string): v is NcStatus {
  return (NC_STATUSES as readonly string[]).includes(v);
}

/** Targets reachable from a status (what the page offers). */
export function nextStatuses(status: NcStatus): NcStatus[] {
  return NC_STATUSES.filter((to) => FROM[to].includes(status));
}

/** Actions that still count: cancelled ones are kept on record but no longer block or qualify. */
const live = (actions: readonly NcAction[]) => actions.filter((a) => a.status !== 'cancelled');

/**
 * Decides a transition. `actorId` is who performs it (for the effectiveness review, the reviewer).
 * On success, `recorded` is what the timeline keeps (the fields that matter for the target, trimmed).
 */
export function decideTransition(
  nc: NcSnapshot,
  to: NcStatus,
  f: TransitionFields,
  actorId: number,
): TransitionDecision {
  if (!FROM[to].includes(nc.status))
    return { ok: false, reason: 'notAllowed', from: nc.status, to, allowedFrom: FROM[to] };
  const missing: string[] = [];
  const invalid: string[] = [];
  const need = (name: keyof TransitionFields & string) => {
    if (!filled(f[name] as string | undefined)) missing.push(name);
  };
  const refuse = (): TransitionDecision | null =>
    missing.length
      ? { ok: false, reason: 'missingFields', fields: missing }
      : invalid.length
        ? { ok: false, reason: 'invalidFields', fields: invalid }
        : null;
  const ok = (target: NcStatus, recorded: Record<string, unknown>, round = nc.round): TransitionDecision => ({
    ok: true,
    from: nc.status,
    to: target,
    round,
    recorded,
  });

  switch (to) {
    case 'reaction_recorded': {
      need('correction');
      need('consequences');
      return refuse() ?? ok(to, { correction: f.correction!.trim(), consequences: f.consequences!.trim() });
    }
    case 'cause_analysed': {
      if (!filled(f.method)) missing.push('method');
      else if (!oneOf(CAUSE_METHODS, f.method)) invalid.push('method');
      need('cause');
      if (!filled(f.similar)) missing.push('similar');
      else if (!oneOf(SIMILAR, f.similar)) invalid.push('similar');
      if (oneOf(SIMILAR, f.similar) && f.similar !== 'none') need('similarWhere');
      return (
        refuse() ??
        ok(to, {
          method: f.method,
          cause: f.cause!.trim(),
          similar: f.similar,
          similarWhere: f.similar === 'none' ? '' : (f.similarWhere ?? '').trim(),
        })
      );
    }
    case 'actions_planned': {
      const planned = f.actions ?? [];
      if (planned.length === 0) missing.push('actions');
      planned.forEach((a, i) => {
        if (!filled(a.description)) missing.push(`actions.${i}.description`);
        if (a.ownerUserId === undefined || a.ownerUserId === null) missing.push(`actions.${i}.ownerUserId`);
        if (!a.dueDate) missing.push(`actions.${i}.dueDate`);
        else if (!isDate(a.dueDate)) invalid.push(`actions.${i}.dueDate`);
      });
      return (
        refuse() ??
        ok(to, {
          actions: planned.map((a) => ({
            description: a.description!.trim(),
            ownerUserId: a.ownerUserId,
            dueDate: a.dueDate,
            smsChange: a.smsChange === true,
          })),
        })
      );
    }
    case 'actions_implemented': {
      const current = live(nc.actions);
      const pending = current.filter((a) => a.status !== 'done');
      if (pending.length) return { ok: false, reason: 'actionsNotDone', actions: pending.map((a) => a.ref ?? '?') };
      if (!current.some((a) => a.round === nc.round)) return { ok: false, reason: 'noActionThisRound' };
      return ok(to, { note: (f.note ?? '').trim() });
    }
    case 'effectiveness_reviewed': {
      if (typeof f.effective !== 'boolean') missing.push('effective');
      need('verification');
      const r = refuse();
      if (r) return r;
      if (live(nc.actions).some((a) => a.ownerUserId === actorId)) return { ok: false, reason: 'reviewerOwnsAction' };
      const recorded = { effective: f.effective, verification: f.verification!.trim(), reviewerId: actorId };
      // Not effective: plan further corrective actions in a new round.
      return f.effective ? ok(to, recorded) : ok('actions_planned', recorded, nc.round + 1);
    }
    case 'closed': {
      if (live(nc.actions).some((a) => a.smsChange)) need('smsChangeReference');
      return (
        refuse() ?? ok(to, { smsChangeReference: (f.smsChangeReference ?? '').trim(), note: (f.note ?? '').trim() })
      );
    }
    case 'open': {
      need('reason');
      return refuse() ?? ok(to, { reason: f.reason!.trim() }, nc.round + 1);
    }
  }
}
