import { describe, expect, it } from 'vitest';
import { checkImpartiality, impartialityConcerns, type OwnedProcess } from '../../src/domain/impartiality.js';

// 9.2.2 c: auditors are selected so that the audit is objective and impartial — nobody audits a process they own.
const change: OwnedProcess = { id: 1, name: 'Change management', ownerUserId: 7, ownerName: 'Li Qiang' };
const incident: OwnedProcess = { id: 2, name: 'Incident management', ownerUserId: 8, ownerName: 'Wang Fang' };
const orphan: OwnedProcess = { id: 3, name: 'Capacity management', ownerUserId: null, ownerName: '' };

describe('impartiality of the audit team (9.2.2 c)', () => {
  it('refuses an auditor for their own process only', () => {
    expect(checkImpartiality(7, change)).toEqual({ ok: false, process: 'Change management', owner: 'Li Qiang' });
    expect(checkImpartiality(8, change)).toEqual({ ok: true });
    expect(checkImpartiality(7, orphan)).toEqual({ ok: true });
  });

  const base = {
    open: true,
    team: [7, 9],
    processes: [change, incident, orphan],
    scopeProcessIds: [],
    assignments: [],
  };

  it('flags a team member who owns a process in scope that no independent auditor is assigned to yet', () => {
    expect(impartialityConcerns(base)).toEqual([
      { process: 'Change management', owner: 'Li Qiang', kind: 'unassigned' },
    ]);
  });

  it('clears the concern once someone independent is assigned, and flags the owner assigned to their own process', () => {
    expect(impartialityConcerns({ ...base, assignments: [{ processId: 1, auditorId: 9 }] })).toEqual([]);
    expect(
      impartialityConcerns({
        ...base,
        assignments: [
          { processId: 1, auditorId: 7 },
          { processId: 2, auditorId: 8 },
        ],
      }),
    ).toEqual([
      { process: 'Change management', owner: 'Li Qiang', kind: 'assigned' },
      { process: 'Incident management', owner: 'Wang Fang', kind: 'assigned' },
    ]);
  });

  it('looks only at processes in the audit’s scope for unassigned concerns (an empty scope means every process)', () => {
    expect(impartialityConcerns({ ...base, scopeProcessIds: [2] })).toEqual([]);
    expect(impartialityConcerns({ ...base, scopeProcessIds: [1, 2] })).toHaveLength(1);
  });

  it('ignores owners who are not on the team, and shows nothing once the audit is no longer open', () => {
    expect(impartialityConcerns({ ...base, team: [9] })).toEqual([]);
    expect(impartialityConcerns({ ...base, open: false, assignments: [{ processId: 1, auditorId: 7 }] })).toEqual([]);
  });
});
