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

  it('the management review page links its input pack as PDF and Excel, never raw JSON; the audit page its documents', async () => {
    const review = await w.api('POST', `/api/v1/organizations/${w.orgId}/reviews`, w.lead, {
      title: '2026 管理评审',
      heldOn: '2026-06-30',
    });
    expect(review.statusCode, review.body).toBe(201);
    const id = review.json().id;
    const page = await b.get(`/reviews/${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`href="/reports/management-reviews/${id}/inputs.pdf?lang=zh"`);
    expect(page.body).toContain(`href="/reports/management-reviews/${id}/inputs.xlsx?lang=zh"`);
    expect(page.body).toContain('下载 PDF');
    expect(page.body).not.toContain('/api/v1/');
    expect(page.body).not.toContain('JSON');
    const pdf = await b.get(`/reports/management-reviews/${id}/inputs.pdf?lang=zh`);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const audit = await b.get(`/audits/${auditId}`);
    for (const doc of ['report.pdf?lang=zh', 'gap-register.xlsx', 'questionnaire.xlsx'])
      expect(audit.body).toContain(`href="/reports/audits/${auditId}/${doc}"`);
    expect(audit.body).not.toContain('href="/api/v1/');
  });

  it('processes are listed by the clause they implement, then name; the clause is picked from 8.x with its title', async () => {
    for (const [name, clauseId] of [
      ['信息安全管理', '8.7.3'],
      ['事件管理', '8.6.1'],
      ['供应商管理', '8.3.4'],
      ['变更管理', '8.5.1'],
      ['服务请求管理', '8.6.2'],
      ['内部沟通', ''],
    ]) {
      const r = await w.api('POST', `/api/v1/organizations/${w.orgId}/processes`, w.root, {
        name,
        ownerName: '王敏',
        ...(clauseId && { clauseId }),
      });
      expect(r.statusCode, r.body).toBe(201);
    }
    const page = await b.get(`/orgs/${w.orgId}/processes`);
    expect(page.statusCode).toBe(200);
    const tbody = /<tbody>[\s\S]*?<\/tbody>/.exec(page.body)![0];
    const names = [...tbody.matchAll(/<tr><td data-label="[^"]*">([^<]+)<\/td>/g)].map((m) => m[1]);
    expect(names).toEqual(['供应商管理', '变更管理', '事件管理', '服务请求管理', '信息安全管理', '内部沟通']);
    expect(tbody).toContain('8.6.1 事件管理');
    const select = /<select id="f-clauseId" name="clauseId"[\s\S]*?<\/select>/.exec(page.body)![0];
    expect(select).toContain('<option value="8.6.1">8.6.1 事件管理</option>');
    expect(select).toContain('<option value="8.2.6">8.2.6 配置管理</option>');
    expect(select).not.toContain('value="9.1"');
    expect(select).not.toContain('value="7.5"');
  });

  it('the readiness chart on the audit page fills its card with text at screen size', async () => {
    const page = await b.get(`/audits/${auditId}`);
    const svg = /<section class="card chart"[^>]*>(<svg[\s\S]*?<\/svg>)/.exec(page.body)![1]!;
    expect(svg).toContain('viewBox="0 0 960 ');
    expect(svg).toMatch(/<text [^>]*font-size="15"[^>]*>4 组织环境<\/text>/);
    expect(svg).toMatch(/<title>[^<]+<\/title>/);
    const css = readFileSync(projectPath('static', 'app.css'), 'utf8');
    expect(css).toMatch(/\.chart svg \{[^}]*width: 100%;/);
  });

  it('the programme has a read view, and one audit gives one coverage column, not two identical ones', async () => {
    const p = await w.api('POST', `/api/v1/organizations/${w.orgId}/programmes`, w.lead, {
      title: '2026–2028 审核方案',
      periodStart: '2026-01-01',
      periodEnd: '2028-12-31',
      objectives: '三年内覆盖全部条款',
      criteria: 'ISO/IEC 20000-1:2018 与 SMS 手册',
      frequency: '每年两次',
      methods: '访谈、抽样、现场观察',
    });
    expect(p.statusCode, p.body).toBe(201);
    const pid = p.json().id;
    await newAudit(w, { title: '方案内审核', type: 'internal', scope: { clauses: ['4'] }, programmeId: pid });
    const page = await b.get(`/programmes/${pid}`);
    expect(page.statusCode).toBe(200);
    const read = /<dl class="read">[\s\S]*?<\/dl>/.exec(page.body)![0];
    for (const s of ['三年内覆盖全部条款', 'ISO/IEC 20000-1:2018 与 SMS 手册', '每年两次', '访谈、抽样、现场观察'])
      expect(read).toContain(s);
    const head = /<table class="matrix">\s*<thead>[\s\S]*?<\/thead>/.exec(page.body)![0];
    expect(head).not.toContain('是否覆盖');
    const firstRow = /<tbody>\s*<tr[^>]*>[\s\S]*?<\/tr>/.exec(
      page.body.slice(page.body.indexOf('<table class="matrix">')),
    )![0];
    expect(firstRow.match(/<td/g)).toHaveLength(1);
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
      minor_nc: '#a4500a', // dark enough for white text (WCAG AA contrast, checked by axe in the browser tests)
      major_nc: '#b3261e',
      observation: '#5b3fd9',
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
