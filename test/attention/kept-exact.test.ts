import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../helpers.js';
import { evidenceForm } from '../evidence/upload-helpers.js';
import { makeWorld, STATEMENT, type World } from '../findings/fixture.js';

// The home page's "needs attention", its summary API and the consultant's table are kept between requests and dropped
// when the audit trail records a write (issue 20). Exactness is the promise: each write below, made through its own
// route, shows on the very next request — the figures were read (and kept) just before it. Dates far in the past keep
// "overdue" independent of the day the test runs.
type Counts = Record<string, number>;

describe('needs attention and the consultant’s table change at once after every kind of write', () => {
  let w: World;
  let nc: number;
  let action: number;
  const home = new Map<string, Browser>();

  beforeAll(async () => {
    w = await makeWorld();
    for (const who of ['lead', 'owner'] as const) {
      const b = new Browser(w.t.app, 'en');
      await b.login(who === 'lead' ? 'lead@a.example' : 'owner@a.example');
      home.set(who, b);
    }
  });
  afterAll(async () => {
    await w.t.close();
  });

  /** Each kind's count as the home page shows it ("Nonconformities (2)"), kinds without items left out. */
  const homeCounts = async (who: 'lead' | 'owner'): Promise<Counts> => {
    const page = await home.get(who)!.get('/');
    expect(page.statusCode).toBe(200);
    return Object.fromEntries(
      [...page.body.matchAll(/id="attention-([a-z_]+)">[^<]*\((\d+)\)<\/th>/g)].map((m) => [m[1]!, Number(m[2])]),
    );
  };
  /** The same counts from GET /api/v1/me/attention/summary (every kind, zero included). */
  const summary = async (who: 'lead' | 'owner'): Promise<Counts> => {
    const r = await w.api(who, 'GET', '/api/v1/me/attention/summary?limit=5');
    expect(r.statusCode).toBe(200);
    return Object.fromEntries(
      (r.json() as { kind: string; count: number }[]).filter((s) => s.count > 0).map((s) => [s.kind, s.count]),
    );
  };
  const both = async (who: 'lead' | 'owner') => {
    const [a, b] = [await homeCounts(who), await summary(who)];
    expect(b).toEqual(a);
    return a;
  };
  /** The lead's row of organisation A in the consultant's table (API), with the figures the test follows. */
  const row = async (code = 'ALPHA') => {
    const r = await w.api('lead', 'GET', '/api/v1/me/clients');
    expect(r.statusCode).toBe(200);
    const body = r.json() as { total: number; items: Record<string, unknown>[] };
    const x = body.items.find((i) => i.code === code);
    return (
      x && {
        total: body.total,
        openMajors: x.openMajors,
        openMinors: x.openMinors,
        overdueActions: x.overdueActions,
        lastManagementReview: x.lastManagementReview,
        nextAudit: (x.nextAudit as { title: string } | null)?.title ?? null,
      }
    );
  };

  /** Open minors and overdue actions in organisation A's row of the lead's table page (/clients), as shown. */
  const pageRow = async () => {
    const page = await home.get('lead')!.get('/clients');
    expect(page.statusCode).toBe(200);
    const tr = /<tr data-org="ALPHA">([\s\S]*?)<\/tr>/.exec(page.body)![1]!;
    const cell = (cls: string) => new RegExp(`class="${cls}">([\\s\\S]*?)</td>`).exec(tr)![1]!.replace(/<[^>]+>/g, '');
    return { minors: cell('minors'), overdue: cell('overdue-actions') };
  };

  it('starts from the world as made: the lead asked for the review never held, nothing for the owner', async () => {
    expect(await both('lead')).toEqual({ management_review: 1 });
    expect(await both('owner')).toEqual({});
    expect(await row()).toEqual({
      total: 1,
      openMajors: 0,
      openMinors: 0,
      overdueActions: 0,
      lastManagementReview: null,
      nextAudit: null,
    });
    expect(await pageRow()).toEqual({ minors: '0', overdue: '0' });
  });

  it('a nonconformity raised: the owner has it, the table counts the open minor', async () => {
    const r = await w.api('lead', 'POST', `/api/v1/audits/${w.auditA}/findings`, {
      requirementId: '8.6.1-1',
      kind: 'nonconformity',
      grade: 'minor',
      statement: STATEMENT,
      ownerUserId: w.users.owner,
      dueDate: '2000-01-10',
    });
    expect(r.statusCode).toBe(201);
    nc = r.json().id;
    expect(await both('owner')).toEqual({ nonconformity: 1 });
    expect(await row()).toMatchObject({ openMajors: 0, openMinors: 1, overdueActions: 0 });
    expect(await pageRow()).toEqual({ minors: '1', overdue: '0' });
  });

  it('an action planned, overdue: the owner has it, the table counts it overdue; done, it leaves both', async () => {
    const move = (body: object) => w.api('lead', 'POST', `/api/v1/nonconformities/${nc}/transitions`, body);
    expect(
      (await move({ to: 'reaction_recorded', correction: 'Classified INC-77', consequences: 'None' })).statusCode,
    ).toBe(200);
    expect(
      (await move({ to: 'cause_analysed', method: 'five_whys', cause: 'No triage rota', similar: 'none' })).statusCode,
    ).toBe(200);
    expect(await both('owner')).toEqual({ nonconformity: 1 });
    const planned = await move({
      to: 'actions_planned',
      actions: [{ description: 'Classify every incident', ownerUserId: w.users.owner, dueDate: '2000-02-01' }],
    });
    expect(planned.statusCode).toBe(200);
    action = planned.json().actions[0].id;
    expect(await both('owner')).toEqual({ nonconformity: 1, action: 1 });
    expect(await row()).toMatchObject({ openMinors: 1, overdueActions: 1 });
    expect(await pageRow()).toEqual({ minors: '1', overdue: '1' });

    expect((await w.api('owner', 'PATCH', `/api/v1/actions/${action}`, { status: 'done' })).statusCode).toBe(200);
    expect(await both('owner')).toEqual({ nonconformity: 1 });
    expect(await row()).toMatchObject({ openMinors: 1, overdueActions: 0 });
    expect(await pageRow()).toEqual({ minors: '1', overdue: '0' });
  });

  it('actions implemented: the lead is asked for the effectiveness review', async () => {
    expect(await both('lead')).toEqual({ management_review: 1 });
    const r = await w.api('lead', 'POST', `/api/v1/nonconformities/${nc}/transitions`, { to: 'actions_implemented' });
    expect(r.statusCode).toBe(200);
    expect(await both('lead')).toEqual({ effectiveness_review: 1, management_review: 1 });
  });

  it('a management review held: the review item says so at once, and so does the table', async () => {
    const item = async () =>
      (
        (await w.api('lead', 'GET', '/api/v1/me/attention/summary?limit=5')).json() as {
          kind: string;
          items: { title: string; due: string | null }[];
        }[]
      ).find((s) => s.kind === 'management_review')!.items;
    expect(await item()).toEqual([expect.objectContaining({ title: 'No management review held yet', due: null })]);
    const r = await w.api('lead', 'POST', `/api/v1/organizations/${w.orgA}/reviews`, {
      title: 'MR 2000',
      heldOn: '2000-06-01',
    });
    expect(r.statusCode).toBe(201);
    expect(await item()).toEqual([expect.objectContaining({ title: 'Management review due', due: '2001-06-01' })]);
    expect(await row()).toMatchObject({ lastManagementReview: '2000-06-01' });
  });

  it('evidence past its review date: the lead sees it', async () => {
    expect(await both('lead')).toEqual({ effectiveness_review: 1, management_review: 1 });
    const r = await w.t.app.inject({
      method: 'POST',
      url: `/api/v1/organizations/${w.orgA}/evidence`,
      headers: { authorization: `Bearer ${w.tokens.lead}` },
      payload: evidenceForm({
        title: 'Incident procedure',
        kind: 'procedure',
        location: 'wiki',
        nextReviewOn: '2001-01-01',
      }),
    });
    expect(r.statusCode, r.body).toBe(201);
    expect(await both('lead')).toEqual({ effectiveness_review: 1, management_review: 1, evidence_review: 1 });
  });

  it('an evidence request: the addressee has it to answer', async () => {
    // The owner (auditee) manages evidence too: the evidence item past review is hers as well.
    expect(await both('owner')).toEqual({ nonconformity: 1, evidence_review: 1 });
    const r = await w.api('lead', 'POST', `/api/v1/audits/${w.auditA}/evidence-requests`, {
      requirementIds: ['4.1-1'],
      need: 'Scope statement',
      addresseeId: w.users.owner,
      dueDate: '2000-03-01',
    });
    expect(r.statusCode).toBe(201);
    expect(await both('owner')).toEqual({ nonconformity: 1, evidence_request: 1, evidence_review: 1 });
  });

  it('an audit planned with the lead leading it: her audits and the table’s next audit', async () => {
    const r = await w.api('lead', 'POST', `/api/v1/organizations/${w.orgA}/audits`, {
      title: 'Audit 2000',
      type: 'internal',
      scope: { clauses: ['4.1'] },
      leadAuditorId: w.users.lead,
      plannedStart: '2000-09-01',
      plannedEnd: '2000-09-02',
    });
    expect(r.statusCode, r.body).toBe(201);
    expect(await both('lead')).toEqual({ effectiveness_review: 1, audit: 1, management_review: 1, evidence_review: 1 });
    expect(await row()).toMatchObject({ nextAudit: 'Audit 2000' });
  });

  it('a membership added: the new organisation’s items and row appear at once', async () => {
    expect(await row('BETA')).toBeUndefined();
    const r = await w.api('root', 'POST', `/api/v1/organizations/${w.orgB}/members`, {
      email: 'lead@a.example',
      role: 'lead_auditor',
    });
    expect(r.statusCode).toBe(201);
    // Beta has held no management review either.
    expect(await both('lead')).toEqual({ effectiveness_review: 1, audit: 1, management_review: 2, evidence_review: 1 });
    expect(await row('BETA')).toMatchObject({ total: 2, openMajors: 0, lastManagementReview: null });
  });
});
