import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../helpers.js';
import { makeWorld, STATEMENT, type World } from '../findings/fixture.js';

describe('needs attention on the home page and the organisation overview', () => {
  let w: World;
  let nc: number;
  beforeAll(async () => {
    w = await makeWorld();
    const r = await w.api('lead', 'POST', `/api/v1/audits/${w.auditA}/findings`, {
      requirementId: '8.6.1-1',
      kind: 'nonconformity',
      grade: 'major',
      statement: STATEMENT,
      ownerUserId: w.users.owner,
      dueDate: '2000-01-10',
    });
    nc = r.json().id;
  });
  afterAll(async () => {
    await w.t.close();
  });

  it('the owner sees 需关注 on her home page with her overdue nonconformity, in Chinese', async () => {
    const b = new Browser(w.t.app, 'zh-CN');
    await b.login('owner@a.example');
    const home = await b.get('/');
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('<h2>需关注 (1)</h2>');
    expect(home.body).toContain(`<a href="/findings/${nc}">F-${w.auditA}-1 Incidents are not classified</a>`);
    expect(home.body).toContain(
      '<span class="nowrap">2000-01-10</span> <strong class="overdue-flag nowrap">⚠ 已逾期</strong>',
    );
    expect(home.body).toContain('严重不符合 · 待处理');
    expect(home.body).not.toMatch(/nonconformity<\/td>|evidence_review|major_nc/);
  });

  it("the organisation's overview lists the same item; the full list is one click away", async () => {
    const b = new Browser(w.t.app, 'en');
    await b.login('viewer@a.example');
    const page = await b.get(`/orgs/${w.orgA}`);
    expect(page.body).toContain('<h2>Needs attention (3)</h2>');
    expect(page.body).toContain(`<a href="/findings/${nc}">`);
    const all = await b.get(`/orgs/${w.orgA}/attention`);
    expect(all.statusCode).toBe(200);
    expect(all.body).toContain('Internal audit 2025');
    expect(all.body).toContain('In progress · 100% assessed · 1 nonconforming verdict without a finding');
    const mine = await b.get('/attention');
    expect(mine.body).toContain('Nothing needs your attention.');
  });
});
