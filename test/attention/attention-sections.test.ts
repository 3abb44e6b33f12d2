import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nowIso } from '../../src/db/time.js';
import { Browser } from '../helpers.js';
import { makeWorld, type World } from '../findings/fixture.js';

// Needs attention at scale (issue 20): the home page and the summary list the most urgent items of each kind with the
// exact count of the kind; the full list of one kind is a link away; the original list answers as before.
describe('needs attention by kind: most urgent first, exact counts, the rest one link away', () => {
  let w: World;
  const due = Array.from({ length: 12 }, (_, i) => `2000-01-${String(i + 1).padStart(2, '0')}`);
  beforeAll(async () => {
    w = await makeWorld();
    const now = nowIso();
    const review = await w.t.db
      .insertInto('management_review')
      .values({
        organization_id: w.orgA,
        ref: 'MR-1',
        seq: 1,
        title: 'Review',
        held_on: '2000-01-01',
        period_start: '1999-01-01',
        period_end: '1999-12-31',
        attendees: '',
        narratives_json: '{}',
        minutes: '',
        created_by: null,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    // Twelve actions of the owner (outputs of a review), overdue for decades; and one due in 2999.
    for (const [i, d] of [...due, '2999-01-01'].entries())
      await w.t.db
        .insertInto('action_item')
        .values({
          organization_id: w.orgA,
          ref: `A-${i + 1}`,
          finding_id: null,
          review_id: review.id,
          output_type: null,
          description: `Action due ${d}`,
          owner_user_id: w.users.owner,
          due_date: d,
          status: i % 2 ? 'planned' : 'in_progress',
          sms_change: 0,
          round: 1,
          created_by: null,
          created_at: now,
          updated_at: now,
          completed_at: null,
        })
        .execute();
    // One done: never listed, never counted.
    await w.t.db
      .insertInto('action_item')
      .values({
        organization_id: w.orgA,
        ref: 'A-done',
        finding_id: null,
        review_id: review.id,
        output_type: null,
        description: 'Done long ago',
        owner_user_id: w.users.owner,
        due_date: '1999-01-01',
        status: 'done',
        sms_change: 0,
        round: 1,
        created_by: null,
        created_at: now,
        updated_at: now,
        completed_at: now,
      })
      .execute();
  });
  afterAll(async () => {
    await w.t.close();
  });

  const titles = (items: Array<{ title: string }>) => items.map((i) => i.title);

  it('the summary: each kind with its exact count and its most urgent items', async () => {
    const r = await w.api('owner', 'GET', '/api/v1/me/attention/summary?limit=3');
    expect(r.statusCode).toBe(200);
    const nonEmpty = r.json().filter((s: { count: number }) => s.count > 0);
    expect(nonEmpty.map((s: { kind: string; count: number }) => [s.kind, s.count])).toEqual([['action', 13]]);
    expect(titles(nonEmpty[0].items)).toEqual([
      'A-1 Action due 2000-01-01',
      'A-2 Action due 2000-01-02',
      'A-3 Action due 2000-01-03',
    ]);
    expect(nonEmpty[0].items.every((i: { overdue: boolean }) => i.overdue)).toBe(true);
  });

  it('the list keeps its answer without parameters, and takes a kind and a limit per kind', async () => {
    const all = await w.api('owner', 'GET', '/api/v1/me/attention');
    expect(all.json()).toHaveLength(13);
    expect(all.json()[12]).toMatchObject({ title: 'A-13 Action due 2999-01-01', overdue: false, due: '2999-01-01' });
    const two = await w.api('owner', 'GET', '/api/v1/me/attention?kind=action&limit=2');
    expect(titles(two.json())).toEqual(['A-1 Action due 2000-01-01', 'A-2 Action due 2000-01-02']);
    const none = await w.api('owner', 'GET', '/api/v1/me/attention?kind=audit');
    expect(none.json()).toEqual([]);
    const bad = await w.api('owner', 'GET', '/api/v1/me/attention?kind=everything');
    expect(bad.statusCode).toBe(422);
  });

  it('the home page in Chinese shows ten, says how many more and links to the full list of that kind', async () => {
    const b = new Browser(w.t.app, 'zh-CN');
    await b.login('owner@a.example');
    const home = await b.get('/');
    expect(home.body).toContain('<h2>需关注 (13)</h2>');
    expect(home.body).toContain('措施 (13)');
    expect(home.body).toContain('A-10 Action due 2000-01-10');
    expect(home.body).not.toContain('A-11 Action due');
    expect(home.body).toContain('<a href="/attention?kind=action">还有 3 项（措施），查看全部</a>');
    const full = await b.get('/attention?kind=action');
    expect(full.statusCode).toBe(200);
    expect(full.body).toContain('措施：全部事项 (13)');
    expect([...full.body.matchAll(/A-(\d+) Action due/g)].map((m) => Number(m[1]))).toEqual(
      Array.from({ length: 13 }, (_, i) => i + 1),
    );
  });
});
