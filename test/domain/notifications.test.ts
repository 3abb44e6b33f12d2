import { describe, expect, it } from 'vitest';
import {
  isNotificationKind,
  NOTIFICATION_KINDS,
  OVERDUE_REPEAT_DAYS,
  REMINDER_DAYS_AHEAD,
  reminderKey,
  reminderStep,
} from '../../src/domain/notifications.js';

describe('notification kinds (issue 18)', () => {
  it('are the thirteen events and reminders a person can receive', () => {
    expect([...NOTIFICATION_KINDS]).toEqual([
      'audit_assigned',
      'nc_assigned',
      'action_assigned',
      'proposal_accepted',
      'proposal_returned',
      'evidence_requested',
      'evidence_answered',
      'evidence_returned',
      'evidence_accepted',
      'due_soon',
      'overdue',
      'audit_issued',
      'review_scheduled',
    ]);
  });

  it('recognises exactly those kinds', () => {
    expect(['due_soon', 'review_scheduled', 'audit_assigned'].map(isNotificationKind)).toEqual([true, true, true]);
    expect(['', 'Due_soon', 'due-soon', 'reminder'].map(isNotificationKind)).toEqual([false, false, false, false]);
  });
});

describe('the reminder step that applies on a day: 7 days ahead, 1 day ahead, then weekly once overdue', () => {
  it('reminds 7 and 1 days ahead, and repeats every 7 days', () => {
    expect([...REMINDER_DAYS_AHEAD]).toEqual([7, 1]);
    expect(OVERDUE_REPEAT_DAYS).toBe(7);
  });

  // due 2026-03-10 (March has 31 days; the dates cross no month end except where said)
  it.each([
    ['2026-02-20', null],
    ['2026-03-02', null],
    ['2026-03-03', { kind: 'due_soon', key: 'd7', days: 7 }],
    ['2026-03-08', { kind: 'due_soon', key: 'd7', days: 2 }],
    ['2026-03-09', { kind: 'due_soon', key: 'd1', days: 1 }],
    ['2026-03-10', { kind: 'due_soon', key: 'd1', days: 0 }],
    ['2026-03-11', { kind: 'overdue', key: 'o0', days: 1 }],
    ['2026-03-17', { kind: 'overdue', key: 'o0', days: 7 }],
    ['2026-03-18', { kind: 'overdue', key: 'o1', days: 8 }],
    ['2026-03-24', { kind: 'overdue', key: 'o1', days: 14 }],
    ['2026-03-25', { kind: 'overdue', key: 'o2', days: 15 }],
    ['2026-04-10', { kind: 'overdue', key: 'o4', days: 31 }],
  ])('on %s: %j', (today, step) => {
    expect(reminderStep('2026-03-10', today)).toEqual(step);
  });

  it('counts across a month end and a leap day', () => {
    expect(reminderStep('2028-03-01', '2028-02-23')).toEqual({ kind: 'due_soon', key: 'd7', days: 7 });
    expect(reminderStep('2028-03-01', '2028-02-22')).toBeNull();
    expect(reminderStep('2028-02-28', '2028-03-01')).toEqual({ kind: 'overdue', key: 'o0', days: 2 });
  });

  it('keys one reminder by subject, id, due date and step', () => {
    expect(reminderKey('nonconformity', 42, '2026-03-10', 'd7')).toBe('nonconformity:42:2026-03-10:d7');
    expect(reminderKey('action', 7, '2026-04-01', 'o2')).toBe('action:7:2026-04-01:o2');
  });
});
