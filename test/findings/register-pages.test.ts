import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nowIso } from '../../src/db/time.js';
import { Browser } from '../helpers.js';
import { makeWorld, type World } from './fixture.js';

// The registers page through large data sets (a consultant's 200 clients hold tens of thousands of nonconformities).
describe('register pages, one page at a time', () => {
  let w: World;
  let lead: Browser;
  beforeAll(async () => {
    w = await makeWorld();
    const now = nowIso();
    const rows = Array.from({ length: 230 }, (_, i) => ({
      organization_id: w.orgA,
      ref: `F-BULK-${i + 1}`,
      seq: i + 1,
      audit_id: null,
      source: 'incident',
      source_reference: '',
      kind: 'nonconformity',
      round: 1,
      grade: i % 10 === 0 ? 'major' : 'minor',
      status: i % 3 === 0 ? 'closed' : 'open',
      raised_on: `2025-01-${String((i % 28) + 1).padStart(2, '0')}`,
      due_date: i % 2 === 0 ? '2025-03-01' : null,
      statement_requirement: '',
      statement_evidence: '',
      statement_nonconformity: `Bulk nonconformity ${i + 1}`,
      created_at: now,
      updated_at: now,
    }));
    for (let i = 0; i < rows.length; i += 50)
      await w.t.db
        .insertInto('finding')
        .values(rows.slice(i, i + 50))
        .execute();
    lead = new Browser(w.t.app, 'en');
    await lead.login('lead@a.example');
  });
  afterAll(async () => {
    await w.t.close();
  });

  const refs = (html: string) => [...html.matchAll(/>(F-BULK-\d+)</g)].map((m) => m[1]);

  it('shows 100 rows a page, the whole count, and links to the neighbouring pages that keep the filters', async () => {
    const first = await lead.get(`/orgs/${w.orgA}/nonconformities`);
    expect(first.statusCode).toBe(200);
    expect(first.body).toContain('230 items');
    expect(first.body).toContain('showing 1–100');
    expect(refs(first.body)).toHaveLength(100);
    // The next page continues after the last row shown (its day and id: keyset pages, issue 20).
    expect(first.body).toMatch(
      new RegExp(`href="/orgs/${w.orgA}/nonconformities\\?after=2025-01-\\d\\d\\.\\d+&amp;page=2" rel="next"`),
    );
    const last = await lead.get(`/orgs/${w.orgA}/nonconformities?page=3`);
    expect(refs(last.body)).toHaveLength(30);
    expect(last.body).toContain('page 3 of 3');
    expect(last.body).not.toContain('rel="next"');
    const all = new Set([
      ...refs(first.body),
      ...refs((await lead.get(`/orgs/${w.orgA}/nonconformities?page=2`)).body),
      ...refs(last.body),
    ]);
    expect(all.size).toBe(230);
    const filtered = await lead.get(`/orgs/${w.orgA}/nonconformities?grade=minor&status=active`);
    const minorActive = 230 - [...Array(230).keys()].filter((i) => i % 10 === 0 || i % 3 === 0).length;
    expect(filtered.body).toContain(`${minorActive} items`);
    expect(filtered.body).toMatch(
      new RegExp(
        `href="/orgs/${w.orgA}/nonconformities\\?grade=minor&amp;status=active&amp;after=[0-9.-]+&amp;page=2"`,
      ),
    );
  });

  it('pages the overdue filter in the database, across organisations too', async () => {
    const overdue = await lead.get(`/orgs/${w.orgA}/nonconformities?overdue=1`);
    const count = [...Array(230).keys()].filter((i) => i % 2 === 0 && i % 3 !== 0).length;
    expect(overdue.body).toContain(`${count} items`);
    const cross = await lead.get('/nonconformities?overdue=1');
    expect(cross.statusCode).toBe(200);
    expect(cross.body).toContain(`${count} items`);
    expect(refs(cross.body)).toHaveLength(count);
    const pageTwo = await lead.get('/nonconformities?page=2');
    expect(refs(pageTwo.body)).toHaveLength(100);
    expect(pageTwo.body).toContain('rel="prev"');
    expect((await lead.get('/nonconformities?page=999')).statusCode).toBe(200);
    expect((await lead.get('/nonconformities?page=nonsense')).body).toContain('showing 1–100');
  });
});

// A consultant's register: counts stop at 1,000 ("more than"), and thousands of clients are picked by code.
describe('register pages of a consultant with many clients', () => {
  let w: World;
  let lead: Browser;
  const ncRow = (orgId: number, ref: string, i: number, now: string) => ({
    organization_id: orgId,
    ref,
    seq: i + 1,
    audit_id: null,
    source: 'incident',
    source_reference: '',
    kind: 'nonconformity',
    round: 1,
    grade: 'minor',
    status: 'open',
    raised_on: `2024-${String((i % 12) + 1).padStart(2, '0')}-01`,
    due_date: null,
    statement_requirement: '',
    statement_evidence: '',
    statement_nonconformity: `Many ${ref}`,
    created_at: now,
    updated_at: now,
  });
  beforeAll(async () => {
    w = await makeWorld();
    const now = nowIso();
    const rows = Array.from({ length: 1050 }, (_, i) => ncRow(w.orgA, `F-MANY-${i + 1}`, i, now));
    for (let i = 0; i < rows.length; i += 50)
      await w.t.db
        .insertInto('finding')
        .values(rows.slice(i, i + 50))
        .execute();
    const leadUser = await w.t.db
      .selectFrom('app_user')
      .select('id')
      .where('email', '=', 'lead@a.example')
      .executeTakeFirstOrThrow();
    // 260 more client organisations the lead consultant belongs to, one nonconformity in the last one.
    for (let i = 0; i < 260; i += 50) {
      const orgs = await w.t.db
        .insertInto('organization')
        .values(
          Array.from({ length: Math.min(50, 260 - i) }, (_, k) => ({
            name: `Client ${i + k + 1}`,
            code: `K${String(i + k + 1).padStart(4, '0')}`,
            default_locale: 'en',
            scope_statement: '',
            scope_managing_org: '',
            created_at: now,
          })),
        )
        .returning('id')
        .execute();
      await w.t.db
        .insertInto('membership')
        .values(
          orgs.map((o) => ({ organization_id: o.id, user_id: leadUser.id, role: 'lead_auditor', created_at: now })),
        )
        .execute();
    }
    const last = await w.t.db
      .selectFrom('organization')
      .select('id')
      .where('code', '=', 'K0260')
      .executeTakeFirstOrThrow();
    await w.t.db
      .insertInto('finding')
      .values(ncRow(last.id, 'F-K260-1', 0, now))
      .execute();
    lead = new Browser(w.t.app, 'en');
    await lead.login('lead@a.example');
  }, 60_000);
  afterAll(async () => {
    await w.t.close();
  });

  const refs = (html: string) => [...html.matchAll(/>(F-[A-Z0-9]+-\d+)</g)].map((m) => m[1]);

  it('says "more than 1000" past a thousand rows and pages on while pages come full', async () => {
    const first = await lead.get(`/orgs/${w.orgA}/nonconformities`);
    expect(first.body).toContain('more than 1000 items');
    expect(first.body).toContain('showing 1–100');
    expect(first.body).toContain('page 1<');
    expect(first.body).toMatch(
      new RegExp(`href="/orgs/${w.orgA}/nonconformities\\?after=2024-\\d\\d-01\\.\\d+&amp;page=2" rel="next"`),
    );
    const eleventh = await lead.get(`/orgs/${w.orgA}/nonconformities?page=11`);
    expect(refs(eleventh.body)).toHaveLength(50);
    expect(eleventh.body).toContain('showing 1001–1050');
    expect(eleventh.body).toContain('rel="prev"');
    expect(eleventh.body).not.toContain('rel="next"');
    const zh = new Browser(w.t.app, 'zh-CN');
    await zh.login('lead@a.example');
    const zhPage = (await zh.get(`/orgs/${w.orgA}/nonconformities`)).body;
    expect(zhPage).toContain('超过 1000 项');
    // At phone width the register is a list of cards (table.register): every cell carries its column's name.
    expect(zhPage).toContain('<table class="register">');
    const row = /<tbody>\s*(<tr[\s\S]*?<\/tr>)/.exec(zhPage)![1]!;
    expect(row.match(/<td /g)).toHaveLength(row.match(/<td data-label="[^"]+"[ >]/g)!.length);
    expect(row).toContain('data-label="编号"');
    // Under the cap the count stays exact.
    expect((await lead.get(`/orgs/${w.orgA}/nonconformities?status=closed`)).body).toContain('0 items');
  });

  it('across more than 250 organisations, filters by short code instead of listing them', async () => {
    const page = await lead.get('/nonconformities');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('name="orgCode"');
    expect(page.body).not.toMatch(/<select[^>]*name="org"/);
    expect(page.body).not.toContain('Client 137');
    const one = await lead.get('/nonconformities?orgCode=K0260');
    expect(refs(one.body)).toEqual(['F-K260-1']);
    expect(one.body).toContain('value="K0260"');
    expect(one.body).toContain('1 item');
    expect(refs((await lead.get('/nonconformities?orgCode=NOPE')).body)).toEqual([]);
    // The audit filter offers the picked organisation's audits, and only if the user is its member.
    expect((await lead.get('/nonconformities?orgCode=ALPHA')).body).toContain('>Internal audit 2025<');
    const notMine = await lead.get(`/nonconformities?org=${w.orgB}`);
    expect(refs(notMine.body)).toEqual([]);
    expect(notMine.body).not.toContain('Beta audit');
  });
});
