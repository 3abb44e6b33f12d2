import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorld, type World } from '../findings/fixture.js';

type Json = ReturnType<typeof JSON.parse>; // a JSON body, read field by field

// Readiness figures through the app (issue 22), worked out by hand from docs/readiness.md: a self-assessment scores
// the implementation level (level ÷ 5), never the verdict; the organisation's readiness takes each item's latest answer.
describe('readiness figures through the API', () => {
  let w: World;
  let orgC: number;
  beforeAll(async () => {
    w = await makeWorld();
    orgC = (await ok(w.api('root', 'POST', '/api/v1/organizations', { name: 'Gamma', code: 'GAMMA' }), 201)).id;
  });
  afterAll(async () => {
    await w.t.close();
  });
  const ok = async (p: Promise<LightMyRequestResponse>, code = 200): Promise<Json> => {
    const r = await p;
    expect(r.statusCode, r.body).toBe(code);
    return r.json();
  };
  const audit = async (type: string, clauses: string[]) =>
    (
      await ok(
        w.api('root', 'POST', `/api/v1/organizations/${orgC}/audits`, {
          title: `${type} audit`,
          type,
          scope: { clauses },
        }),
        201,
      )
    ).id as number;
  const answer = (auditId: number, requirementId: string, body: object) =>
    ok(w.api('root', 'PUT', `/api/v1/audits/${auditId}/responses/${requirementId}`, { version: 0, ...body }));

  it('scores a self-assessment by level ÷ 5: clause 4 70 %, clause 9 35 %, overall 46.7 %', async () => {
    const id = await audit('self_assessment', ['4.1', '4.2', '9.1']);
    // Every answer says "conforming": scored by verdict, all would be 100 %.
    await answer(id, '4.1-1', { verdict: 'conforming', level: 5 }); // 1
    await answer(id, '4.2-1', { verdict: 'conforming', level: 2 }); // 0.4
    await answer(id, '9.1-1', { verdict: 'conforming', level: 3 }); // 0.6
    await answer(id, '9.1-2', { verdict: 'conforming', level: 0 }); // 0
    await answer(id, '9.1-4', { verdict: 'conforming', level: 4 }); // 0.8; 9.1-3 not assessed: 0
    const a = await ok(w.api('root', 'GET', `/api/v1/audits/${id}`));
    // Clause 4: (1 + 0.4) / 2 = 70 %; clause 9: (0.6 + 0 + 0 + 0.8) / 4 = 35 %; overall 2.8 / 6 = 46.7 %.
    expect(a.readiness.byClause.map((c: Json) => [c.clause, c.readiness])).toEqual([
      ['4', 70],
      ['9', 35],
    ]);
    expect(a.readiness.overall).toBe(46.7);
  });

  it('scores an internal audit by verdict: 1, 1, 0.75, 0.25, 0 and a major caps the figure at 59.9 %', async () => {
    const id = await audit('internal', ['4.1', '4.2', '9.1']);
    await answer(id, '4.1-1', { verdict: 'conforming' }); // 1
    await answer(id, '4.2-1', { verdict: 'ofi' }); // 1
    await answer(id, '9.1-1', { verdict: 'observation' }); // 0.75
    await answer(id, '9.1-2', { verdict: 'minor_nc' }); // 0.25
    await answer(id, '9.1-4', { verdict: 'conforming' }); // 1; 9.1-3 not assessed: 0
    let a = await ok(w.api('root', 'GET', `/api/v1/audits/${id}`));
    // Clause 4: 2 / 2 = 100 %; clause 9: 2 / 4 = 50 %; overall 4 / 6 = 66.7 %.
    expect(a.readiness.byClause.map((c: Json) => [c.clause, c.readiness])).toEqual([
      ['4', 100],
      ['9', 50],
    ]);
    expect(a.readiness.overall).toBe(66.7);
    await ok(w.api('root', 'PUT', `/api/v1/audits/${id}/responses/4.2-1`, { verdict: 'major_nc', version: 1 }));
    a = await ok(w.api('root', 'GET', `/api/v1/audits/${id}`));
    // Clause 4: 1 / 2 = 50 % (below the cap); overall 3 / 6 = 50 % (below the cap too).
    expect(a.readiness.byClause.map((c: Json) => [c.clause, c.readiness])).toEqual([
      ['4', 50],
      ['9', 50],
    ]);
    await ok(w.api('root', 'PUT', `/api/v1/audits/${id}/responses/9.1-3`, { verdict: 'conforming', version: 0 }));
    await ok(w.api('root', 'PUT', `/api/v1/audits/${id}/responses/4.2-1`, { verdict: 'conforming', version: 2 }));
    await ok(w.api('root', 'PUT', `/api/v1/audits/${id}/responses/9.1-4`, { verdict: 'major_nc', version: 1 }));
    a = await ok(w.api('root', 'GET', `/api/v1/audits/${id}`));
    // Clause 9: (0.75 + 0.25 + 1 + 0) / 4 = 50 %; overall (1 + 1 + 0.75 + 0.25 + 1 + 0) / 6 = 66.7 % → capped 59.9 %.
    expect(a.readiness.overall).toBe(59.9);
  });

  it("takes each item's latest answer for the organisation, not the oldest", async () => {
    // 4.3-1 has no earlier answer in Gamma, so its oldest answer is the major nonconformity below.
    const older = await audit('internal', ['4.3']);
    await answer(older, '4.3-1', { verdict: 'major_nc' });
    const newer = await audit('internal', ['4.3']);
    await answer(newer, '4.3-1', { verdict: 'conforming' });
    const clause4 = await w.t.db
      .selectFrom('requirement')
      .select('id')
      .where('top_clause', '=', '4')
      .where(
        'version_id',
        '=',
        w.t.db.selectFrom('checklist_version').select((eb) => eb.fn.max('id').as('v')),
      )
      .execute();
    const r = await ok(w.api('root', 'GET', `/api/v1/organizations/${orgC}/readiness`));
    const c4 = r.byClause.find((c: Json) => c.clause === '4');
    // Latest answers in Gamma: 4.1-1 and 4.2-1 conforming (the audits above), 4.3-1 conforming (the newer audit, not
    // the older major); every other item of clause 4 unassessed: 3 ÷ clause 4's items.
    expect(c4.readiness).toBe(Math.round((3 / clause4.length) * 1000) / 10);
  });
});
