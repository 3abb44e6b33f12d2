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

type Status = (typeof AUDIT_STATUSES)[number];
type Action = (typeof AUDIT_TRANSITIONS)[number];

describe('audit transitions, every status × every action', () => {
  it('knows these statuses and actions, in this order', () => {
    expect([...AUDIT_STATUSES]).toEqual(Object.keys(EXPECTED));
    expect([...AUDIT_TRANSITIONS]).toEqual(['start', 'report', 'reopen', 'issue', 'revise', 'close']);
  });

  for (const [status, row] of Object.entries(EXPECTED))
    for (const [action, expected] of Object.entries(row))
      it(`${action} from ${status} → ${expected}`, () => {
        const r = decideAuditTransition(status as Status, action as Action);
        if (expected === '—') expect(r).toEqual({ ok: false, reason: 'notAllowed' });
        else
          expect(r).toEqual({
            ok: true,
            to: expected.replace('+revision', ''),
            newRevision: expected.endsWith('+revision'),
          });
        expect(availableTransitions(status as Status).includes(action as Action)).toBe(expected !== '—');
      });

  it('keeps answers editable only until the report is issued', () => {
    for (const [status, editable] of Object.entries(EDITABLE)) expect(isEditable(status as Status)).toBe(editable);
  });

  it('knows the five statuses and nothing else', () => {
    expect(Object.keys(EXPECTED).map(isAuditStatus)).toEqual([true, true, true, true, true]);
    expect(['draft', 'cancelled', '', 'ISSUED'].map(isAuditStatus)).toEqual([false, false, false, false]);
  });
});
