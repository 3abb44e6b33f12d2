import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nowIso } from '../../src/db/time.js';
import { Browser } from '../helpers.js';
import { makeWorld, type World } from './fixture.js';

// The nonconformity register's page links carry the sort key of the row a page continues from (`after=` / `before=`
// `<raised on>.<id>`), so page 400 is a seek in the index, not a walk past 39,900 rows (issue 20). Following them must
// show the same rows as numbered pages, in the same order, with nothing repeated or skipped — also where a page ends in
// the middle of many nonconformities raised on the same day — and never a row of an organisation the user cannot see.
describe('nonconformity register pages by cursor', () => {
  let w: World;
  let lead: Browser;
  let orgC: number;
  /** Every inserted nonconformity, in insertion (id) order. */
  const made: { ref: string; org: 'A' | 'B' | 'C'; raisedOn: string; grade: string; status: string }[] = [];
  // 630 nonconformities, in turn of organisations A, B and C (A and C are the lead's), raised on only four days: about
  // 52 a day per organisation, so pages of 100 end inside a day.
  for (let i = 0; i < 630; i++) {
    const org = (['A', 'B', 'C'] as const)[i % 3]!;
    made.push({
      ref: `F-${org}-${i}`,
      org,
      raisedOn: `2025-03-${10 + (i % 4)}`,
      grade: i % 5 === 0 ? 'major' : 'minor',
      status: i % 7 === 3 ? 'closed' : 'open',
    });
  }
  /** The register's order, worked out here: newest day first, then the later-made first. */
  const expected = (keep: (m: (typeof made)[number]) => boolean) =>
    made
      .map((m, i) => ({ ...m, i }))
      .filter(keep)
      .sort((x, y) => (x.raisedOn === y.raisedOn ? y.i - x.i : x.raisedOn < y.raisedOn ? 1 : -1))
      .map((m) => m.ref);

  beforeAll(async () => {
    w = await makeWorld();
    const now = nowIso();
    const { id } = await w.t.db
      .insertInto('organization')
      .values({
        name: 'Gamma Cloud',
        code: 'GAMMA',
        default_locale: 'en',
        scope_statement: '',
        scope_managing_org: '',
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    orgC = id;
    const lead = await w.t.db
      .selectFrom('app_user')
      .select('id')
      .where('email', '=', 'lead@a.example')
      .executeTakeFirstOrThrow();
    await w.t.db
      .insertInto('membership')
      .values({ organization_id: orgC, user_id: lead.id, role: 'lead_auditor', created_at: now })
      .execute();
    const orgId = { A: w.orgA, B: w.orgB, C: orgC };
    // One at a time, so ids follow the list.
    for (const [i, m] of made.entries())
      await w.t.db
        .insertInto('finding')
        .values({
          organization_id: orgId[m.org],
          ref: m.ref,
          seq: i + 1,
          audit_id: null,
          source: 'incident',
          source_reference: '',
          kind: 'nonconformity',
          round: 1,
          grade: m.grade,
          status: m.status,
          raised_on: m.raisedOn,
          due_date: '2025-04-01',
          statement_requirement: '',
          statement_evidence: '',
          statement_nonconformity: `Nonconformity ${m.ref}`,
          created_at: now,
          updated_at: now,
        })
        .execute();
    await leadLogin();
  }, 120_000);
  const leadLogin = async () => {
    lead = new Browser(w.t.app, 'en');
    await lead.login('lead@a.example');
  };
  afterAll(async () => {
    await w.t.close();
  });

  const refs = (html: string) => [...html.matchAll(/>(F-[ABC]-\d+)</g)].map((m) => m[1]!);
  const link = (html: string, rel: 'next' | 'prev') =>
    new RegExp(`<a href="([^"]+)" rel="${rel}">`).exec(html)?.[1]?.replaceAll('&amp;', '&') ?? null;
  /** Follows the register's links from `url` until there is none; every page's rows and URL. */
  async function walk(url: string, rel: 'next' | 'prev' = 'next') {
    const pages: { url: string; rows: string[]; body: string }[] = [];
    for (let u: string | null = url; u; ) {
      const res = await lead.get(u);
      expect(res.statusCode, u).toBe(200);
      pages.push({ url: u, rows: refs(res.body), body: res.body });
      u = link(res.body, rel);
      expect(pages.length).toBeLessThan(12);
    }
    return pages;
  }
  const idOf = async (ref: string) =>
    (await w.t.db.selectFrom('finding').select('id').where('ref', '=', ref).executeTakeFirstOrThrow()).id;

  it('one organisation: following "next" shows every row once, in order, the same pages as ?page=', async () => {
    const pages = await walk(`/orgs/${w.orgA}/nonconformities`);
    const all = expected((m) => m.org === 'A');
    expect(all).toHaveLength(210);
    expect(pages.map((p) => p.rows.length)).toEqual([100, 100, 10]);
    expect(pages.flatMap((p) => p.rows)).toEqual(all);
    // The links after the first page carry the last row's sort key, and the pages say where they are.
    const lastOfFirst = all[99]!;
    expect(pages[1]!.url).toBe(
      `/orgs/${w.orgA}/nonconformities?after=${made.find((m) => m.ref === lastOfFirst)!.raisedOn}.${await idOf(lastOfFirst)}&page=2`,
    );
    expect(pages[1]!.body).toContain('showing 101–200');
    expect(pages[2]!.body).toContain('page 3 of 3');
    expect(pages[2]!.body).toContain('showing 201–210');
    // Numbered pages (older links) still work and agree.
    for (const n of [1, 2, 3]) {
      const numbered = await lead.get(`/orgs/${w.orgA}/nonconformities?page=${n}`);
      expect(refs(numbered.body)).toEqual(pages[n - 1]!.rows);
    }
    // Back from the last page by "previous": the same pages in reverse, the first one without a cursor.
    const back = await walk(pages[2]!.url, 'prev');
    expect(back.map((p) => p.rows)).toEqual([pages[2]!.rows, pages[1]!.rows, pages[0]!.rows]);
    expect(back[1]!.url).toContain('before=');
    expect(back[2]!.url).toBe(`/orgs/${w.orgA}/nonconformities`);
    expect(back[1]!.body).toContain('showing 101–200');
  });

  it('keeps the filters on every page and pages within them', async () => {
    const pages = await walk(`/orgs/${w.orgA}/nonconformities?status=active&grade=minor`);
    const all = expected((m) => m.org === 'A' && m.status !== 'closed' && m.grade === 'minor');
    expect(all).toHaveLength(144);
    expect(pages.map((p) => p.rows.length)).toEqual([100, 44]);
    expect(pages.flatMap((p) => p.rows)).toEqual(all);
    expect(pages[1]!.url).toMatch(
      /^\/orgs\/\d+\/nonconformities\?status=active&grade=minor&after=2025-03-1\d\.\d+&page=2$/,
    );
    expect(pages[1]!.body).toContain('144 items');
  });

  it("across organisations: the rows of the user's organisations only, whatever the cursor", async () => {
    const pages = await walk('/nonconformities');
    const mine = expected((m) => m.org !== 'B');
    expect(pages.map((p) => p.rows.length)).toEqual([100, 100, 100, 100, 20]);
    expect(pages.flatMap((p) => p.rows)).toEqual(mine);
    const majors = await walk('/nonconformities?status=active&overdue=1&grade=major');
    expect(majors.flatMap((p) => p.rows)).toEqual(
      expected((m) => m.org !== 'B' && m.status !== 'closed' && m.grade === 'major'),
    );
    const onlyC = await walk(`/nonconformities?org=${orgC}`);
    expect(onlyC.flatMap((p) => p.rows)).toEqual(expected((m) => m.org === 'C'));
    expect(onlyC.map((p) => p.rows.length)).toEqual([100, 100, 10]);
  });

  it("a cursor taken from another organisation's row shows none of its rows", async () => {
    // The 60th of B's rows in display order: a place in the order, nothing more.
    const b = expected((m) => m.org === 'B');
    const key = `${made.find((m) => m.ref === b[60])!.raisedOn}.${await idOf(b[60]!)}`;
    const a = expected((m) => m.org === 'A');
    // A's rows after that place: those on later-sorted days, or the same day and made before it.
    const at = made.findIndex((m) => m.ref === b[60]);
    const older = a.filter((ref) => {
      const i = made.findIndex((m) => m.ref === ref);
      return made[i]!.raisedOn < made[at]!.raisedOn || (made[i]!.raisedOn === made[at]!.raisedOn && i < at);
    });
    const after = await lead.get(`/orgs/${w.orgA}/nonconformities?after=${key}&page=2`);
    expect(refs(after.body)).toEqual(older.slice(0, 100));
    const across = await lead.get(`/nonconformities?after=${key}&page=2`);
    expect(refs(across.body).every((r) => !r.startsWith('F-B-'))).toBe(true);
    expect(refs(across.body)).toHaveLength(100);
    // B's own register stays closed to the lead, cursor or not.
    expect((await lead.get(`/orgs/${w.orgB}/nonconformities?after=${key}&page=2`)).statusCode).toBe(404);
  });

  it('nonsense cursors show the first page; "previous" from near the start shows the first page', async () => {
    const first = expected((m) => m.org === 'A').slice(0, 100);
    for (const q of ['after=x.y', 'after=2025-03-10', 'before=1.0', "after=2025-03-10.1' OR 1=1"]) {
      const res = await lead.get(`/orgs/${w.orgA}/nonconformities?${q.replaceAll(' ', '%20')}`);
      expect(res.statusCode, q).toBe(200);
      expect(refs(res.body), q).toEqual(first);
    }
    // "before" the 30th row, labelled page 3: fewer than a page lies before it, so the register starts over.
    const thirtieth = expected((m) => m.org === 'A')[29]!;
    const key = `${made.find((m) => m.ref === thirtieth)!.raisedOn}.${await idOf(thirtieth)}`;
    const res = await lead.get(`/orgs/${w.orgA}/nonconformities?before=${key}&page=3`);
    expect(refs(res.body)).toEqual(first);
    expect(res.body).toContain('showing 1–100');
    expect(res.body).not.toContain('rel="prev"');
  });
});
