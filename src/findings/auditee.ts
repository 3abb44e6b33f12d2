import type { Db } from '../db/connect.js';
import { addDays } from '../domain/due-dates.js';
import type { NcStatus } from '../domain/nonconformity.js';
import { can, isRole } from '../domain/permissions.js';
import { nextStep, type ProposalStep, proposableSteps } from '../domain/proposal.js';
import type { ActionRow } from './lifecycle.js';
import { listProposals, type ProposalRow } from './proposals.js';
import { dueSettings } from './queries.js';

/** Members who may run the lifecycle (accept or return proposals, record steps): named where a page says "who can". */
export async function lifecycleManagers(db: Db, orgId: number) {
  const rows = await db
    .selectFrom('membership')
    .innerJoin('app_user', 'app_user.id', 'membership.user_id')
    .select(['app_user.id', 'app_user.display_name', 'membership.role'])
    .where('membership.organization_id', '=', orgId)
    .where('app_user.disabled_at', 'is', null)
    .orderBy('app_user.display_name')
    .execute();
  return rows.filter((r) => isRole(r.role) && can(r.role, 'finding.manage'));
}

const BEFORE_PLAN: readonly string[] = ['open', 'reaction_recorded', 'cause_analysed'];

/**
 * The auditee's part of a nonconformity as one viewer sees it: proposals, what the viewer can do next, whom it waits
 * for (with names), and the deadlines — a proposal within N days of raising it, closure by its due date.
 */
export async function auditeeView(
  db: Db,
  orgId: number,
  viewer: { id: number; manages: boolean },
  f: {
    id: number;
    status: string;
    owner_user_id: number | null;
    owner_name?: string | null;
    acknowledged_at: string | null;
    raised_on: string;
    due_date: string | null;
    round: number;
  },
  actions: readonly ActionRow[],
  today: string,
) {
  const [proposals, managers, settings] = await Promise.all([
    listProposals(db, orgId, f.id),
    lifecycleManagers(db, orgId),
    dueSettings(db, orgId),
  ]);
  const status = f.status as NcStatus;
  const pending = proposals.filter((p) => p.status === 'pending');
  const live = actions.filter((a) => a.status === 'planned' || a.status === 'in_progress');
  const n = nextStep({
    status,
    ownerId: f.owner_user_id,
    acknowledged: f.acknowledged_at !== null,
    viewerId: viewer.id,
    viewerManages: viewer.manages,
    pendingSteps: pending.map((p) => p.step as ProposalStep),
    openActionOwners: live.map((a) => a.owner_user_id),
    viewerOwnsAction: live.some((a) => a.owner_user_id === viewer.id),
  });
  const names = (() => {
    switch (n.waitingFor) {
      case 'owner':
        return [f.owner_name ?? ''];
      case 'actionOwners':
        return [...new Set(live.map((a) => a.owner_name ?? '—'))];
      case 'auditors':
      case 'noOwner':
        return managers.map((m) => m.display_name);
      default:
        return [];
    }
  })();
  const proposalDue = addDays(f.raised_on, settings.proposalDueDays);
  const awaitingProposal = BEFORE_PLAN.includes(status) && pending.length === 0;
  return {
    proposals,
    pending,
    proposable: f.owner_user_id === viewer.id ? proposableSteps(status) : [],
    acceptable: (p: ProposalRow) => p.status === 'pending' && viewer.manages,
    next: { ...n, names },
    deadlines: {
      proposalDue: BEFORE_PLAN.includes(status) ? proposalDue : null,
      proposalOverdue: awaitingProposal && proposalDue < today,
      proposalDueDays: settings.proposalDueDays,
    },
  };
}
export type AuditeeView = Awaited<ReturnType<typeof auditeeView>>;

/** The proposal as the API gives it. */
export function proposalDto(p: ProposalRow) {
  return {
    id: p.id,
    step: p.step,
    round: p.round,
    status: p.status,
    fields: { ...p.fields }, // a plain object (not the interface) for the answer schema
    proposedBy: { id: p.proposed_by, name: p.proposer_name },
    proposedAt: p.proposed_at,
    decidedBy: p.decided_by === null ? null : { id: p.decided_by, name: p.decider_name },
    decidedAt: p.decided_at,
    comment: p.comment,
  };
}
