import { describe, expect, it } from 'vitest';
import {
  AUDIT_STATUSES,
  AUDIT_TRANSITIONS,
  availableTransitions,
  decideAuditTransition,
  isAuditStatus,
  isEditable,
} from '../../src/domain/audit-status.js';

// The audit's life (docs/architecture.md, issue 15 "frozen means frozen"), written out cell by cell: the status an
// action leads to from each status, or '—' where it is refused. Only `revise` leaves an issued audit, and it makes a
// new revision; nothing else reopens what was issued.
const EXPECTED: Record<string, Record<string, string>> = {
  //            start          report       reopen         issue     revise         close
  planned: { start: 'in_progress', report: '—', reopen: '—', issue: '—', revise: '—', close: '—' },
  in_progress: { start: '—', report: 'reporting', reopen: '—', issue: '—', revise: '—', close: '—' },
  reporting: { start: '—', report: '—', reopen: 'in_progress', issue: 'issued', revise: '—', close: '—' },
  issued: { start: '—', report: '—', reopen: '—', issue: '—', revise: 'in_progress+revision', close: 'closed' },
  closed: { start: '—', report: '—', reopen: '—', issue: '—', revise: '—', close: '—' },
};
const EDITABLE = { planned: true, in_progress: true, reporting: true, issued: false, closed: false };

describe('audit transitions, every status × every action', () => {
  for (const status of AUDIT_STATUSES)
    for (const action of AUDIT_TRANSITIONS)
      it(`${action} from ${status} → ${EXPECTED[status]![action]}`, () => {
        const r = decideAuditTransition(status, action);
        const got = r.ok ? `${r.to}${r.newRevision ? '+revision' : ''}` : '—';
        expect(got).toBe(EXPECTED[status]![action]);
        expect(availableTransitions(status).includes(action)).toBe(got !== '—');
      });

  it('keeps answers editable only until the report is issued', () => {
    for (const status of AUDIT_STATUSES) expect(isEditable(status)).toBe(EDITABLE[status]);
  });

  it('knows the five statuses and nothing else', () => {
    expect(AUDIT_STATUSES.map(isAuditStatus)).toEqual([true, true, true, true, true]);
    expect(['draft', 'cancelled', '', 'ISSUED'].map(isAuditStatus)).toEqual([false, false, false, false]);
  });
});
