// 9.2.2 c: auditors are selected so that the audit is objective and impartial — nobody audits a process they own.
export interface OwnedProcess {
  id: number;
  name: string;
  ownerUserId: number | null;
  ownerName: string;
}

export type ImpartialityResult = { ok: true } | { ok: false; process: string; owner: string };

export function checkImpartiality(auditorId: number, process: OwnedProcess): ImpartialityResult {
  if (process.ownerUserId !== null && process.ownerUserId === auditorId) {
    return { ok: false, process: process.name, owner: process.ownerName };
  }
  return { ok: true };
}

export interface ImpartialityConcern {
  process: string;
  owner: string;
  /** `assigned`: the auditor assigned to the process owns it now; `unassigned`: a team member owns a process in scope
   * that nobody independent has been assigned to yet. */
  kind: 'assigned' | 'unassigned';
}

/**
 * What 9.2.2 c asks of the audit as it stands now: from the current team, assignments and process owners. An audit
 * no longer open (issued, closed) has nothing left to assign, so it has no concern to show.
 */
export function impartialityConcerns(input: {
  open: boolean;
  team: readonly number[];
  processes: readonly OwnedProcess[];
  /** Processes in the audit's scope; empty means every process of the organisation. */
  scopeProcessIds: readonly number[];
  assignments: readonly { processId: number; auditorId: number }[];
}): ImpartialityConcern[] {
  if (!input.open) return [];
  const team = new Set(input.team);
  const inScope = (p: OwnedProcess) => input.scopeProcessIds.length === 0 || input.scopeProcessIds.includes(p.id);
  const out: ImpartialityConcern[] = [];
  for (const p of input.processes) {
    if (p.ownerUserId === null) continue;
    const assigned = input.assignments.filter((a) => a.processId === p.id);
    if (assigned.some((a) => a.auditorId === p.ownerUserId))
      out.push({ process: p.name, owner: p.ownerName, kind: 'assigned' });
    else if (inScope(p) && team.has(p.ownerUserId) && assigned.length === 0)
      out.push({ process: p.name, owner: p.ownerName, kind: 'unassigned' });
  }
  return out;
}
