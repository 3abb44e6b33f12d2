import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorld, STATEMENT, type World } from './fixture.js';

// On PostgreSQL two transactions could read the same "max + 1"; creators of one organisation now take turns.
describe('concurrent creation keeps references unique', () => {
  let w: World;
  beforeAll(async () => {
    w = await makeWorld();
  });
  afterAll(async () => {
    await w.t.close();
  });

  it('gives six simultaneous findings six distinct refs, all 201', async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        w.api('lead', 'POST', `/api/v1/audits/${w.auditA}/findings`, {
          requirementId: '8.6.1-1',
          kind: 'observation',
          statement: STATEMENT,
        }),
      ),
    );
    expect(results.map((r) => r.statusCode)).toEqual([201, 201, 201, 201, 201, 201]);
    // An audit's findings are numbered F-<audit id>-1, -2 … with no gap and no repeat, whatever the arrival order.
    const refs = results.map((r) => (r.json() as { ref: string }).ref).sort();
    expect(refs).toEqual([1, 2, 3, 4, 5, 6].map((n) => `F-${w.auditA}-${n}`));
    const listed = (await w.api('lead', 'GET', `/api/v1/audits/${w.auditA}/findings`)).json() as { ref: string }[];
    expect(listed.map((f) => f.ref).sort()).toEqual(refs);
  });

  it('gives simultaneous improvements and reviews distinct refs', async () => {
    const imps = await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        w.api('lead', 'POST', `/api/v1/organizations/${w.orgA}/improvements`, {
          title: `Idea ${i}`,
          source: 'suggestion',
        }),
      ),
    );
    expect(imps.map((r) => r.statusCode)).toEqual([201, 201, 201, 201]);
    expect(imps.map((r) => (r.json() as { ref: string }).ref).sort()).toEqual(['IMP-1', 'IMP-2', 'IMP-3', 'IMP-4']);
    const reviews = await Promise.all(
      Array.from({ length: 3 }, (_, i) =>
        w.api('lead', 'POST', `/api/v1/organizations/${w.orgA}/reviews`, {
          title: `MR ${i}`,
          heldOn: `2026-11-0${i + 1}`,
        }),
      ),
    );
    expect(reviews.map((r) => r.statusCode)).toEqual([201, 201, 201]);
    expect(reviews.map((r) => (r.json() as { ref: string }).ref).sort()).toEqual(['MR-1', 'MR-2', 'MR-3']);
  });
});
