import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultReviewPeriod, previousPeriodOf, type ReviewInput } from '../../src/domain/management-review.js';
import { managementReviewInputs } from '../../src/reviews/inputs.js';
import { insertAudit, insertResponse, makeWorld, type World } from './fixture.js';

const T = (d: string) => `${d}T09:00:00.000Z`;

describe('review periods (pure)', () => {
  it('covers the time since the previous review, or the 12 months before the first', () => {
    expect(defaultReviewPeriod('2025-06-30', '2024-06-30')).toEqual({ from: '2024-07-01', to: '2025-06-30' });
    expect(defaultReviewPeriod('2025-06-30', null)).toEqual({ from: '2024-07-01', to: '2025-06-30' });
    expect(previousPeriodOf({ from: '2025-01-01', to: '2025-01-31' })).toEqual({
      from: '2024-12-01',
      to: '2024-12-31',
    });
  });
});

describe('management review input pack (9.3 a–l) of a seeded organisation', () => {
  let w: World;
  let reviewId: number;
  beforeAll(async () => {
    w = await makeWorld();
    const db = w.t.db;
    const org = w.orgA;
    const now = T('2025-01-01');
    const service = await db
      .insertInto('service')
      .values({ organization_id: org, name: 'Cloud hosting', description: '', in_scope: 1, created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('service')
      .values({ organization_id: org, name: 'Service desk', description: '', in_scope: 1, created_at: now })
      .execute();
    const party = await db
      .insertInto('other_party')
      .values({
        organization_id: org,
        name: 'DC Co',
        party_type: 'external_supplier',
        operates: 'service_component',
        description: '',
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();

    // An audit issued in the period (2 conforming, 1 minor NC, 1 OFI), one issued long before.
    const issued = await insertAudit(w.t, org, 'Internal audit H1', { status: 'issued', issued_at: T('2025-02-15') });
    await insertResponse(w.t, issued, '4.1-1', 'conforming');
    await insertResponse(w.t, issued, '5.1-1', 'conforming');
    await insertResponse(w.t, issued, '8.6.1-1', 'minor_nc');
    await insertResponse(w.t, issued, '7.5.4-1', 'ofi');
    const old = await insertAudit(w.t, org, 'Old audit', { status: 'closed', issued_at: T('2023-05-01') });
    await insertResponse(w.t, old, '4.1-1', 'major_nc');

    let seq = 100;
    const finding = async (f: {
      kind: string;
      grade?: string;
      source?: string;
      raised: string;
      closed?: string;
      due?: string;
      audit?: number;
      service?: number;
      party?: number;
    }) =>
      (
        await db
          .insertInto('finding')
          .values({
            organization_id: org,
            ref: `F-T-${++seq}`,
            seq,
            audit_id: f.audit ?? null,
            response_id: null,
            requirement_id: null,
            clause_id: '8.6.1',
            source: f.source ?? (f.audit ? 'audit' : 'incident'),
            source_reference: '',
            kind: f.kind,
            grade: f.grade ?? null,
            statement_requirement: 'r',
            statement_evidence: 'e',
            statement_nonconformity: 'n',
            owner_user_id: null,
            process_id: null,
            service_id: f.service ?? null,
            other_party_id: f.party ?? null,
            due_date: f.due ?? null,
            status: f.kind !== 'nonconformity' ? 'recorded' : f.closed ? 'closed' : 'open',
            round: 1,
            raised_by: null,
            raised_on: f.raised,
            closed_at: f.closed ? T(f.closed) : null,
            created_at: T(f.raised),
            updated_at: T(f.raised),
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    const n1 = await finding({
      kind: 'nonconformity',
      grade: 'major',
      raised: '2024-08-01',
      closed: '2024-12-01',
      service: service.id,
    });
    const n2 = await finding({
      kind: 'nonconformity',
      grade: 'minor',
      raised: '2025-03-01',
      due: '2025-05-01',
      audit: issued,
      party: party.id,
    });
    await finding({ kind: 'nonconformity', grade: 'minor', raised: '2024-01-15', closed: '2024-03-01' }); // previous period
    await finding({ kind: 'nonconformity', grade: 'minor', raised: '2025-07-15' }); // after the period
    await finding({ kind: 'ofi', raised: '2025-02-16', audit: issued });
    await finding({ kind: 'observation', source: 'monitoring', raised: '2025-01-10' });
    await finding({ kind: 'observation', source: 'external_audit', raised: '2024-09-01' });
    await finding({ kind: 'observation', source: 'complaint', raised: '2025-02-01' });

    const action = async (a: {
      ref: string;
      finding?: number;
      review?: number;
      created: string;
      completed?: string;
      status: string;
      due?: string;
      sms?: boolean;
    }) =>
      db
        .insertInto('action_item')
        .values({
          organization_id: org,
          ref: a.ref,
          finding_id: a.finding ?? null,
          review_id: a.review ?? null,
          output_type: a.review ? 'improvement' : null,
          description: `Action ${a.ref}`,
          owner_user_id: w.users.owner,
          due_date: a.due ?? null,
          status: a.status,
          sms_change: a.sms ? 1 : 0,
          round: 1,
          created_by: null,
          created_at: T(a.created),
          updated_at: T(a.created),
          completed_at: a.completed ? T(a.completed) : null,
        })
        .execute();
    await action({
      ref: 'CA-1',
      finding: n1,
      created: '2024-08-10',
      completed: '2024-11-20',
      status: 'done',
      sms: true,
    });
    await action({ ref: 'CA-2', finding: n2, created: '2025-03-10', status: 'in_progress', due: '2025-04-01' });

    // The previous review and its outputs (input a).
    const api = async (body: object) =>
      (await w.api('lead', 'POST', `/api/v1/organizations/${org}/reviews`, body)).json();
    const previous = await api({ title: 'MR 2024', heldOn: '2024-06-30' });
    await action({
      review: previous.id,
      ref: 'MR-1/A1',
      created: '2024-06-30',
      completed: '2024-09-01',
      status: 'done',
    });
    await action({
      review: previous.id,
      ref: 'MR-1/A2',
      created: '2024-06-30',
      status: 'in_progress',
      due: '2025-01-01',
    });
    await action({ review: previous.id, ref: 'MR-1/A3', created: '2024-06-30', status: 'planned' });

    const improvement = (
      i: { created: string; decision: string; status: string; met: string; sms: boolean },
      n: number,
    ) =>
      db
        .insertInto('improvement')
        .values({
          organization_id: org,
          ref: `IMP-${n}`,
          seq: n,
          title: `Improvement ${n}`,
          description: '',
          source: 'suggestion',
          finding_id: null,
          review_id: null,
          evaluation_criteria: 'c',
          decision: i.decision,
          decision_notes: '',
          targets_json: '["quality"]',
          target: 't',
          priority: 'medium',
          plan: '',
          owner_user_id: null,
          due_date: null,
          status: i.status,
          measured_result: '',
          target_met: i.met,
          sms_change: i.sms ? 1 : 0,
          created_by: null,
          created_at: T(i.created),
          updated_at: T(i.created),
        })
        .execute();
    await improvement({ created: '2024-10-01', decision: 'approved', status: 'implemented', met: 'no', sms: true }, 1);
    await improvement({ created: '2025-04-01', decision: 'pending', status: 'proposed', met: '', sms: false }, 2);

    const feedback = (received: string, kind: string) =>
      db
        .insertInto('feedback')
        .values({
          organization_id: org,
          received_on: received,
          party: 'customer',
          party_name: '',
          kind,
          summary: 's',
          service_id: null,
          created_by: null,
          created_at: T(received),
        })
        .execute();
    await feedback('2024-09-10', 'complaint');
    await feedback('2025-05-10', 'complaint');
    await feedback('2025-05-11', 'compliment');
    await feedback('2024-02-01', 'complaint'); // previous period
    await feedback('2025-08-01', 'complaint'); // after

    const review = await api({ title: 'MR 2025', heldOn: '2025-06-30', attendees: 'CEO; service manager' });
    reviewId = review.id;
    const patched = await w.api('lead', 'PATCH', `/api/v1/reviews/${reviewId}`, {
      narratives: { b: 'New data-residency law', j: 'One vacancy on the service desk' },
    });
    expect(patched.statusCode).toBe(200);
  });
  afterAll(async () => {
    await w.t.close();
  });

  const figures = (item: ReviewInput) =>
    Object.fromEntries(item.figures.map((f) => [f.key, f.previous === undefined ? f.value : [f.value, f.previous]]));

  it('defaults the period to the time since the previous review and covers a–l in order', async () => {
    const inputs = (await managementReviewInputs(w.t.db, reviewId))!;
    expect(inputs.review).toMatchObject({ ref: 'MR-2', heldOn: '2025-06-30', organization: { code: 'ALPHA' } });
    expect(inputs.pack.period).toEqual({ from: '2024-07-01', to: '2025-06-30' });
    expect(inputs.pack.previousPeriod).toEqual({ from: '2023-07-02', to: '2024-06-30' });
    expect(inputs.pack.items.map((i) => i.id)).toEqual([
      'a',
      'b',
      'c1',
      'c2',
      'c3',
      'd',
      'e',
      'f',
      'g',
      'h',
      'i',
      'j',
      'k',
      'l',
    ]);
    for (const i of inputs.pack.items) expect(i.period === null).toBe(i.source === 'narrative');
  });

  it('contains the expected counts for each input', async () => {
    const { pack } = (await managementReviewInputs(w.t.db, reviewId))!;
    const item = (id: string) => pack.items.find((i) => i.id === id)!;
    expect(figures(item('a'))).toEqual({
      actionsTotal: 3,
      actions_planned: 1,
      actions_in_progress: 1,
      actions_done: 1,
      actions_cancelled: 0,
      actionsOverdue: 1,
    });
    expect(item('a').entries.map((e) => [e.ref, e.overdue])).toEqual([
      ['MR-1/A1', false],
      ['MR-1/A2', true],
      ['MR-1/A3', false],
    ]);
    expect(item('b')).toMatchObject({ source: 'narrative', figures: [], narrative: 'New data-residency law' });
    expect(figures(item('c1'))).toEqual({
      ncRaised: [2, 1],
      ncRaisedMajor: [1, 0],
      ncRaisedMinor: [1, 1],
      ncClosed: [1, 1],
      ncOpenAtEnd: 1,
      ncOverdueAtEnd: 1,
      caCreated: [2, 0],
      caCompleted: [1, 0],
      caOpenAtEnd: 1,
      caOverdueAtEnd: 1,
    });
    expect(figures(item('c2'))).toEqual({ monitoringFindings: [1, 0] });
    expect(figures(item('c3'))).toEqual({
      auditsIssued: 1,
      verdict_not_assessed: 0,
      verdict_conforming: 2,
      verdict_minor_nc: 1,
      verdict_major_nc: 0,
      verdict_observation: 0,
      verdict_ofi: 1,
      verdict_not_audited: 0,
      findings_nonconformity: 1,
      findings_observation: 0,
      findings_ofi: 1,
      externalAuditFindings: [1, 0],
    });
    expect(item('c3').breakdown).toEqual([{ label: 'Internal audit H1', value: 2 }]);
    expect(figures(item('d'))).toEqual({
      ofiFindings: [1, 0],
      improvementsProposed: 2,
      improvementsApproved: 1,
      improvementsOpen: 1,
      improvementsTargetNotMet: 1,
    });
    expect(figures(item('e'))).toEqual({
      feedbackTotal: [3, 1],
      feedback_complaint: 2,
      feedback_compliment: 1,
      feedback_suggestion: 0,
      feedback_other: 0,
      complaintFindings: [1, 0],
    });
    for (const id of ['f', 'g', 'k'])
      expect(item(id)).toMatchObject({ source: 'narrative', figures: [], narrative: '' });
    expect(item('j').narrative).toBe('One vacancy on the service desk');
    expect(figures(item('h'))).toEqual({ ncForServices: 1 });
    expect(item('h').breakdown).toEqual([
      { label: 'Cloud hosting', value: 1 },
      { label: 'Service desk', value: 0 },
    ]);
    expect(figures(item('i'))).toEqual({ ncForOtherParties: 1 });
    expect(item('i').breakdown).toEqual([{ label: 'DC Co', value: 1 }]);
    expect(figures(item('l'))).toEqual({ smsChangeActions: 1, smsChangeImprovements: 1 });
  });

  it('serves the same pack through the API, and 404 to another organisation', async () => {
    const r = await w.api('viewer', 'GET', `/api/v1/reviews/${reviewId}/inputs`);
    expect(r.statusCode).toBe(200);
    expect(r.json().pack.items).toHaveLength(14);
    expect((await w.api('bert', 'GET', `/api/v1/reviews/${reviewId}/inputs`)).statusCode).toBe(404);
    expect((await w.api('viewer', 'PATCH', `/api/v1/reviews/${reviewId}`, { minutes: 'x' })).statusCode).toBe(403);
  });

  it('turns outputs into tracked actions that become input a) of the next review', async () => {
    const out = await w.api('lead', 'POST', `/api/v1/reviews/${reviewId}/outputs`, {
      outputType: 'sms_change',
      description: 'Add data residency to the SMS scope',
      ownerUserId: w.users.owner,
      dueDate: '2025-09-30',
    });
    expect(out.statusCode).toBe(201);
    expect(out.json().outputs).toEqual([
      expect.objectContaining({ ref: 'MR-2/A1', status: 'planned', smsChange: true, outputType: 'sms_change' }),
    ]);
    const next = (
      await w.api('lead', 'POST', `/api/v1/organizations/${w.orgA}/reviews`, { title: 'MR 2026', heldOn: '2026-06-30' })
    ).json();
    expect(next.period).toEqual({ from: '2025-07-01', to: '2026-06-30' });
    const { pack } = (await managementReviewInputs(w.t.db, next.id))!;
    const a = pack.items.find((i) => i.id === 'a')!;
    expect(a.entries.map((e) => e.ref)).toEqual(['MR-1/A1', 'MR-1/A2', 'MR-1/A3', 'MR-2/A1']);
    expect(a.entries.at(-1)).toMatchObject({ status: 'planned', dueDate: '2025-09-30', overdue: true });
    const trail = await w.t.db
      .selectFrom('audit_trail')
      .select('entity')
      .where('organization_id', '=', w.orgA)
      .where('entity', 'in', ['management_review', 'action'])
      .execute();
    expect(trail.length).toBeGreaterThanOrEqual(4);
  });
});
