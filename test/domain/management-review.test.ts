import { describe, expect, it } from 'vitest';
import {
  assembleReviewInputs,
  defaultReviewPeriod,
  previousPeriodOf,
  REVIEW_INPUTS,
  type ReviewFacts,
} from '../../src/domain/management-review.js';

// 9.3 management review inputs a)–l) for a hand-made organisation. Review period 2026-01-01 … 2026-06-30, previous
// period 2025-07-01 … 2025-12-31; the figures below were counted by hand from the facts (boundary days included).
const P = { from: '2026-01-01', to: '2026-06-30' };
const PP = { from: '2025-07-01', to: '2025-12-31' };

const action = (
  ref: string,
  createdOn: string,
  completedOn: string | null,
  status: string,
  dueDate: string | null,
  smsChange = false,
) => ({ ref, description: `Action ${ref}`, createdOn, completedOn, status, dueDate, smsChange });
const nc = (
  raisedOn: string,
  closedOn: string | null,
  grade: string | null,
  dueDate: string | null,
  serviceId: number | null,
  otherPartyId: number | null,
) => ({ raisedOn, closedOn, grade, dueDate, serviceId, otherPartyId });

const FACTS: ReviewFacts = {
  period: P,
  previousPeriod: PP,
  previousReviewActions: [
    action('MR-1', '2025-06-01', null, 'planned', '2026-06-01'), // overdue at the period's end
    action('MR-2', '2025-06-01', '2026-04-01', 'done', '2026-05-01'),
    action('MR-3', '2025-06-01', null, 'in_progress', '2026-06-30'), // due on the last day: not overdue
    action('MR-4', '2025-06-01', null, 'cancelled', '2026-01-01'),
    action('MR-5', '2025-06-01', null, 'in_progress', null),
  ],
  nonconformities: [
    nc('2026-02-10T08:00:00Z', '2026-03-01', 'major', '2026-03-12', 1, null), // N1
    nc('2026-05-01', null, 'minor', '2026-06-15', 2, 10), // N2: open and overdue at the end
    nc('2025-08-01', '2026-01-15', 'minor', '2025-10-01', 1, 10), // N3: raised before, closed within
    nc('2025-12-31', '2026-07-01T00:10:00Z', null, '2026-08-01', null, 11), // N4: open at the end, not overdue
    nc('2026-06-30T23:59:59Z', null, 'major', null, 1, null), // N5: raised on the last day
    nc('2026-07-01', null, 'major', '2026-07-02', 2, null), // N6: after the period
    nc('2025-06-30', '2025-12-31', 'minor', null, null, null), // N7: before both periods, closed in the previous
    nc('2026-03-03', '2026-06-30T18:00:00Z', 'minor', '2026-04-01', 3, 11), // N8: closed on the last day
  ],
  correctiveActions: [
    action('CA-1', '2026-01-10', '2026-02-01', 'done', '2026-02-15', true),
    action('CA-2', '2026-03-01', null, 'in_progress', '2026-04-01'), // open, overdue
    action('CA-3', '2025-11-01', null, 'cancelled', '2025-12-01', true), // cancelled: never open nor overdue
    action('CA-4', '2025-09-01', '2026-07-05T09:00:00Z', 'done', '2026-06-30'), // open at the end, due that day
    action('CA-5', '2026-06-30', null, 'planned', '2026-06-29', true), // open, overdue
    action('CA-6', '2025-12-01', '2025-12-20', 'done', null),
  ],
  issuedAudits: [
    {
      id: 1,
      title: 'IA 2026-1',
      issuedOn: '2026-02-01',
      verdicts: { conforming: 50, minor_nc: 2, observation: 1 },
      findings: { nonconformity: 2, observation: 1 },
    },
    {
      id: 2,
      title: 'IA 2026-2',
      issuedOn: '2026-05-01',
      verdicts: { conforming: 30, major_nc: 1, ofi: 3, not_audited: 4 },
      findings: { nonconformity: 1, ofi: 3 },
    },
  ],
  findings: [
    { kind: 'nonconformity', source: 'monitoring', raisedOn: '2026-02-01' },
    { kind: 'ofi', source: 'monitoring', raisedOn: '2025-10-01' },
    { kind: 'observation', source: 'external_audit', raisedOn: '2026-04-01' },
    { kind: 'ofi', source: 'complaint', raisedOn: '2026-05-05' },
    { kind: 'ofi', source: 'audit', raisedOn: '2026-01-01' },
    { kind: 'nonconformity', source: 'complaint', raisedOn: '2025-07-01' },
  ],
  improvements: [
    { createdOn: '2026-02-01', decision: 'approved', status: 'implemented', targetMet: 'yes', smsChange: true },
    { createdOn: '2026-03-01', decision: 'pending', status: 'proposed', targetMet: '', smsChange: false },
    { createdOn: '2025-10-01', decision: 'approved', status: 'in_progress', targetMet: 'no', smsChange: true },
    { createdOn: '2026-04-01', decision: 'rejected', status: 'proposed', targetMet: '', smsChange: true },
    { createdOn: '2026-05-01', decision: 'approved', status: 'closed', targetMet: 'no', smsChange: false },
  ],
  feedback: [
    { receivedOn: '2026-01-01', kind: 'complaint' },
    { receivedOn: '2026-03-03', kind: 'compliment' },
    { receivedOn: '2026-06-30', kind: 'complaint' },
    { receivedOn: '2025-12-31', kind: 'suggestion' },
    { receivedOn: '2026-02-02', kind: 'other' },
    { receivedOn: '2026-07-01', kind: 'complaint' },
  ],
  services: [
    { id: 1, name: 'IT service desk' },
    { id: 2, name: 'Hosting' },
    { id: 3, name: 'Backup' },
  ],
  otherParties: [
    { id: 10, name: 'Supplier A' },
    { id: 11, name: 'Supplier B' },
  ],
  narratives: { b: 'Changes in issues', c2: 'Monitoring: availability 99.95 %', h: 'Desk staffing' },
};

const none = { figures: [], breakdown: [], entries: [] };

describe('9.3 management review inputs a)–l), counted from the facts', () => {
  const pack = assembleReviewInputs(FACTS);
  const item = (id: string) => pack.items.find((i) => i.id === id)!;

  it('lists the fourteen inputs in the order of 9.3, each with its clause, source and period', () => {
    expect([...REVIEW_INPUTS]).toEqual(['a', 'b', 'c1', 'c2', 'c3', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l']);
    expect(pack.period).toEqual(P);
    expect(pack.previousPeriod).toEqual(PP);
    expect(pack.items.map((i) => [i.id, i.clause, i.source, i.period])).toEqual([
      ['a', '9.3 a)', 'data', P],
      ['b', '9.3 b)', 'narrative', null],
      ['c1', '9.3 c) 1)', 'data', P],
      ['c2', '9.3 c) 2)', 'mixed', P],
      ['c3', '9.3 c) 3)', 'data', P],
      ['d', '9.3 d)', 'mixed', P],
      ['e', '9.3 e)', 'mixed', P],
      ['f', '9.3 f)', 'narrative', null],
      ['g', '9.3 g)', 'narrative', null],
      ['h', '9.3 h)', 'mixed', P],
      ['i', '9.3 i)', 'mixed', P],
      ['j', '9.3 j)', 'narrative', null],
      ['k', '9.3 k)', 'narrative', null],
      ['l', '9.3 l)', 'mixed', P],
    ]);
  });

  it('carries what the user wrote, empty where nothing was written', () => {
    expect(pack.items.map((i) => i.narrative)).toEqual([
      '',
      'Changes in issues',
      '',
      'Monitoring: availability 99.95 %',
      '',
      '',
      '',
      '',
      '',
      'Desk staffing',
      '',
      '',
      '',
      '',
    ]);
    for (const id of ['b', 'f', 'g', 'j', 'k']) expect({ ...item(id), narrative: '' }).toMatchObject(none);
  });

  it('a) the actions of previous reviews: by status, overdue at the period end', () => {
    expect(item('a').figures).toEqual([
      { key: 'actionsTotal', value: 5 },
      { key: 'actions_planned', value: 1 },
      { key: 'actions_in_progress', value: 2 },
      { key: 'actions_done', value: 1 },
      { key: 'actions_cancelled', value: 1 },
      { key: 'actionsOverdue', value: 1 },
    ]);
    expect(item('a').entries).toEqual([
      { ref: 'MR-1', label: 'Action MR-1', status: 'planned', dueDate: '2026-06-01', overdue: true },
      { ref: 'MR-2', label: 'Action MR-2', status: 'done', dueDate: '2026-05-01', overdue: false },
      { ref: 'MR-3', label: 'Action MR-3', status: 'in_progress', dueDate: '2026-06-30', overdue: false },
      { ref: 'MR-4', label: 'Action MR-4', status: 'cancelled', dueDate: '2026-01-01', overdue: false },
      { ref: 'MR-5', label: 'Action MR-5', status: 'in_progress', dueDate: null, overdue: false },
    ]);
  });

  it('c) 1) nonconformities and corrective actions, with the previous period for trends', () => {
    expect(item('c1').figures).toEqual([
      { key: 'ncRaised', value: 4, previous: 2 },
      { key: 'ncRaisedMajor', value: 2, previous: 0 },
      { key: 'ncRaisedMinor', value: 2, previous: 1 },
      { key: 'ncClosed', value: 3, previous: 1 },
      { key: 'ncOpenAtEnd', value: 3 },
      { key: 'ncOverdueAtEnd', value: 1 },
      { key: 'caCreated', value: 3, previous: 3 },
      { key: 'caCompleted', value: 1, previous: 1 },
      { key: 'caOpenAtEnd', value: 3 },
      { key: 'caOverdueAtEnd', value: 2 },
    ]);
    expect(item('c1').breakdown).toEqual([]);
  });

  it('c) 2) findings of monitoring and measurement', () => {
    expect(item('c2').figures).toEqual([{ key: 'monitoringFindings', value: 1, previous: 1 }]);
  });

  it('c) 3) audits issued in the period: verdicts, findings, and findings per audit', () => {
    expect(item('c3').figures).toEqual([
      { key: 'auditsIssued', value: 2 },
      { key: 'verdict_not_assessed', value: 0 },
      { key: 'verdict_conforming', value: 80 },
      { key: 'verdict_minor_nc', value: 2 },
      { key: 'verdict_major_nc', value: 1 },
      { key: 'verdict_observation', value: 1 },
      { key: 'verdict_ofi', value: 3 },
      { key: 'verdict_not_audited', value: 4 },
      { key: 'findings_nonconformity', value: 3 },
      { key: 'findings_observation', value: 1 },
      { key: 'findings_ofi', value: 3 },
      { key: 'externalAuditFindings', value: 1, previous: 0 },
    ]);
    expect(item('c3').breakdown).toEqual([
      { label: 'IA 2026-1', value: 3 },
      { label: 'IA 2026-2', value: 4 },
    ]);
  });

  it('d) opportunities for improvement and improvements', () => {
    expect(item('d').figures).toEqual([
      { key: 'ofiFindings', value: 2, previous: 1 },
      { key: 'improvementsProposed', value: 4 },
      { key: 'improvementsApproved', value: 2 },
      { key: 'improvementsOpen', value: 2 },
      { key: 'improvementsTargetNotMet', value: 2 },
    ]);
  });

  it('e) customer feedback by kind, and findings from complaints', () => {
    expect(item('e').figures).toEqual([
      { key: 'feedbackTotal', value: 4, previous: 1 },
      { key: 'feedback_complaint', value: 2 },
      { key: 'feedback_compliment', value: 1 },
      { key: 'feedback_suggestion', value: 0 },
      { key: 'feedback_other', value: 1 },
      { key: 'complaintFindings', value: 1, previous: 1 },
    ]);
  });

  it('h) nonconformities per service, i) per other party, raised in the period', () => {
    expect([item('h').figures, item('h').breakdown]).toEqual([
      [{ key: 'ncForServices', value: 4 }],
      [
        { label: 'IT service desk', value: 2 },
        { label: 'Hosting', value: 1 },
        { label: 'Backup', value: 1 },
      ],
    ]);
    expect([item('i').figures, item('i').breakdown]).toEqual([
      [{ key: 'ncForOtherParties', value: 2 }],
      [
        { label: 'Supplier A', value: 1 },
        { label: 'Supplier B', value: 1 },
      ],
    ]);
  });

  it('l) changes to the SMS from actions and improvements of the period', () => {
    expect(item('l').figures).toEqual([
      { key: 'smsChangeActions', value: 2 },
      { key: 'smsChangeImprovements', value: 2 },
    ]);
  });

  it('gives empty lists for an organisation with nothing recorded', () => {
    const empty = assembleReviewInputs({
      ...FACTS,
      previousReviewActions: [],
      nonconformities: [],
      correctiveActions: [],
      issuedAudits: [],
      findings: [],
      improvements: [],
      feedback: [],
      services: [],
      otherParties: [],
      narratives: {},
    });
    expect(empty.items.find((i) => i.id === 'c3')?.breakdown).toEqual([]);
    expect(empty.items.find((i) => i.id === 'h')?.figures).toEqual([{ key: 'ncForServices', value: 0 }]);
    expect(empty.items.flatMap((i) => i.figures).every((f) => f.value === 0 && (f.previous ?? 0) === 0)).toBe(true);
  });
});

describe('the review period', () => {
  it.each([
    ['2026-06-30', null, { from: '2025-07-01', to: '2026-06-30' }],
    ['2026-01-01', null, { from: '2025-01-02', to: '2026-01-01' }],
    ['2026-03-31', null, { from: '2025-04-01', to: '2026-03-31' }],
    ['2026-06-30', '2025-12-15', { from: '2025-12-16', to: '2026-06-30' }],
    ['2026-03-01', '2026-02-28', { from: '2026-03-01', to: '2026-03-01' }],
  ])('held %s, previous review %s → %j', (heldOn, previous, period) => {
    expect(defaultReviewPeriod(heldOn, previous)).toEqual(period);
  });

  it.each([
    // 181 days (2026-01-01 … 2026-06-30) → the 181 days before
    [
      { from: '2026-01-01', to: '2026-06-30' },
      { from: '2025-07-04', to: '2025-12-31' },
    ],
    [
      { from: '2025-07-01', to: '2026-06-30' },
      { from: '2024-07-01', to: '2025-06-30' },
    ],
    [
      { from: '2026-03-10', to: '2026-03-10' },
      { from: '2026-03-09', to: '2026-03-09' },
    ],
  ])('%j comes after %j', (period, previous) => {
    expect(previousPeriodOf(period)).toEqual(previous);
  });
});
