import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMonths, certificationReadiness } from '../../src/domain/certification.js';
import { Browser } from '../helpers.js';
import { insertAudit, makeWorld, type World } from '../findings/fixture.js';

describe('certification readiness (China): the rule', () => {
  it.each([
    ['2026-01-31', 3, '2026-04-30'],
    ['2025-11-15', 3, '2026-02-15'],
    ['2024-11-30', 3, '2025-02-28'],
  ])('%s + %i months = %s', (d, m, want) => expect(addMonths(d, m)).toBe(want));

  const audit = (over: object) => ({
    id: 1,
    title: 'IA 2026',
    type: 'internal',
    status: 'issued',
    issuedOn: '2026-03-10',
    scopeClauses: ['4', '5', '6', '7', '8', '9', '10'],
    ...over,
  });
  it('is ready when all three hold; the date to apply from is the latest of the three', () => {
    const r = certificationReadiness({
      smsStartedOn: '2026-01-01',
      audits: [audit({})],
      reviews: [{ id: 2, title: 'MR 1', heldOn: '2026-03-20' }],
      today: '2026-06-01',
    });
    expect(r.ready).toBe(true);
    expect(r.canApplyFrom).toBe('2026-04-01');
    expect(r.conditions.map((c) => c.met)).toEqual([true, true, true]);
  });
  it('says what is missing: the start date, the clauses the audit left out, the review', () => {
    const r = certificationReadiness({
      smsStartedOn: null,
      audits: [audit({ scopeClauses: ['4', '5', '6', '7', '8.6', '9'] }), audit({ id: 3, status: 'reporting' })],
      reviews: [{ id: 2, title: 'MR planned', heldOn: '2026-09-01' }],
      today: '2026-06-01',
    });
    expect(r).toEqual({
      ready: false,
      canApplyFrom: null,
      conditions: [
        { code: 'smsOperated', met: false, since: null, from: null },
        { code: 'internalAudit', met: false, audit: expect.objectContaining({ id: 1 }), missingClauses: ['8', '10'] },
        { code: 'managementReview', met: false, review: null },
      ],
    });
  });
});

describe('certification readiness on the organisation page and the API', () => {
  let w: World;
  beforeAll(async () => {
    w = await makeWorld();
  });
  afterAll(async () => {
    await w.t.close();
  });

  it('starts with everything missing, then follows the SMS start date, an issued audit and a review', async () => {
    const url = `/api/v1/organizations/${w.orgA}/certification-readiness`;
    expect((await w.api('viewer', 'GET', url)).json()).toMatchObject({
      smsStartedOn: null,
      ready: false,
      canApplyFrom: null,
    });
    expect(
      (await w.api('lead', 'PUT', `/api/v1/organizations/${w.orgA}/sms-start`, { smsStartedOn: '2025-01-10' }))
        .statusCode,
    ).toBe(403);
    const set = await w.api('root', 'PUT', `/api/v1/organizations/${w.orgA}/sms-start`, { smsStartedOn: '2025-01-10' });
    expect(set.statusCode).toBe(200);
    expect(set.json().conditions[0]).toEqual({
      code: 'smsOperated',
      met: true,
      since: '2025-01-10',
      from: '2025-04-10',
    });
    const ia = await insertAudit(w.t, w.orgA, 'Internal audit 2025 (all clauses)', {
      status: 'issued',
      issued_at: '2025-05-02T03:00:00.000Z',
    });
    await w.api('root', 'POST', `/api/v1/organizations/${w.orgA}/reviews`, { title: 'MR 2025', heldOn: '2025-06-01' });
    const r = (await w.api('viewer', 'GET', url)).json();
    expect(r).toMatchObject({ ready: true, canApplyFrom: '2025-06-01' });
    expect(r.conditions[1].audit).toMatchObject({ id: ia, issuedOn: '2025-05-02' });
    const b = new Browser(w.t.app, 'zh-CN');
    await b.login('viewer@a.example');
    const page = await b.get(`/orgs/${w.orgA}`);
    expect(page.body).toContain('认证准备情况（中国）');
    expect(page.body).toContain('已具备申请认证的条件。');
    expect(page.body).toContain('可自 2025-06-01 起申请');
    expect(page.body).toContain('自 2025-01-10 起运行；2025-04-10 满三个月');
  });
});
