import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectPath } from '../../src/paths.js';
import { Browser } from '../helpers.js';
import { answer, newAudit, transition, type World, world } from '../reports/setup.js';

// Issue 23, read in Chinese: what a new user trips over in the first hour.
describe('the first day, in Chinese', () => {
  let w: World;
  let auditId: number;
  let b: Browser;
  beforeAll(async () => {
    w = await world();
    auditId = await newAudit(w, { title: '2026 年度内部审核', type: 'internal', scope: { clauses: ['4', '8.6'] } });
    await transition(w, auditId, 'start');
    await answer(w, auditId, {
      '4.1-1': { verdict: 'major_nc', notes: '未识别事项' },
      '4.2-1': { verdict: 'conforming', notes: '已确定' },
    });
    b = new Browser(w.t.app, 'zh-CN');
    await b.login('chen@example.com');
  });
  afterAll(async () => {
    await w.t.close();
  });

  it('404: says what was not found, where the request went, and links home and back', async () => {
    const r = await b.request({
      method: 'GET',
      url: '/audits/99999',
      headers: { referer: `http://localhost/orgs/${w.orgId}/audits` },
    });
    expect(r.statusCode).toBe(404);
    expect(r.body).toContain('未找到此审核：它可能已被删除、地址有误，或您没有访问它的权限。');
    expect(r.body).toContain('<code>/audits/99999</code>');
    expect(r.body).toContain('<a href="/">返回工作台</a>');
    expect(r.body).toContain(`<a href="/orgs/${w.orgId}/audits">返回上一页</a>`);
    expect(r.body).not.toContain('未找到。');
    // Without a referer, back goes one level up.
    const page = await b.get('/no/such/page');
    expect(page.body).toContain('未找到此页面');
    expect(page.body).toContain('<a href="/no/such">返回上一页</a>');
  });

  it('verdict badges take the colour of the card border, with a sign besides the colour', () => {
    const css = readFileSync(projectPath('static', 'app.css'), 'utf8');
    const rule = (selector: string) => {
      const m = new RegExp(`${selector.replace(/[.[\]]/g, '\\$&')} \\{([^}]*)\\}`).exec(css);
      return m?.[1] ?? '';
    };
    const colours: Record<string, string> = {
      conforming: '#1e7b3c',
      minor_nc: '#e8710a',
      major_nc: '#b3261e',
      observation: '#7b61ff',
      ofi: '#1a73e8',
    };
    for (const [v, colour] of Object.entries(colours)) {
      expect(rule(`.req.v-${v}`), v).toContain(`border-left-color: ${colour}`);
      expect(rule(`.req.v-${v} .badge.verdict`), v).toContain(`background: ${colour}`);
      expect(rule(`.req.v-${v} .badge.verdict::before`), v).toMatch(/content: "\S+" \/ ""/);
    }
  });

  it('the checklist: the badge sits in a card of its verdict, aria-current is not escaped twice, one link is the page', async () => {
    const r = await b.get(`/audits/${auditId}/checklist?clause=4`);
    expect(r.statusCode).toBe(200);
    expect(r.body).toMatch(
      /class="card req v-major_nc"[\s\S]*?<span class="badge verdict" data-verdict-label>严重不符合<\/span>/,
    );
    expect(r.body).not.toContain('&quot;page&quot;');
    expect(r.body).not.toContain('&quot;true&quot;');
    expect(r.body.match(/aria-current="page"/g)).toHaveLength(1);
    const filters = /<nav class="filters"[\s\S]*?<\/nav>/.exec(r.body)![0];
    expect(filters.match(/aria-current=/g)).toHaveLength(1);
    expect(filters).toMatch(/aria-current="true">全部/);
  });
});
