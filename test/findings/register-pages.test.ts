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
    expect(first.body).toContain(`href="/orgs/${w.orgA}/nonconformities?page=2" rel="next"`);
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
    expect(filtered.body).toContain(`href="/orgs/${w.orgA}/nonconformities?grade=minor&amp;status=active&amp;page=2"`);
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
