import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checklistPages, nextOpen, subClauseOf } from '../../src/domain/checklist-pages.js';
import { mergeNotes } from '../../src/audits/checklist-routes.js';
import { bearerFor, Browser, makeApp, seedUser, type TestApp } from '../helpers.js';

// The checklist at an auditor's pace (issue 17): a page per clause (clause 8 per sub-clause), the navigator with its
// counters, filters by process and auditor, save-and-next across pages, a failed save that keeps what was typed,
// and a conflict shown beside my answer with keep mine / take theirs / merge.

/** Items per page of a full audit of ISO/IEC 20000-1:2018 clauses 4–10 (counted from the checklist file). */
const FULL_PAGES = [
  ['4', 7],
  ['5', 5],
  ['6', 11],
  ['7', 12],
  ['8.1', 3],
  ['8.2', 29],
  ['8.3', 27],
  ['8.4', 9],
  ['8.5', 37],
  ['8.6', 19],
  ['8.7', 30],
  ['9', 15],
  ['10', 8],
];

describe('checklist pages (domain)', () => {
  const item = (id: string, verdict = 'not_assessed') => {
    const clause = id.split('-')[0]!;
    return { requirement_id: id, clause_id: clause, top_clause: clause.split('.')[0]!, verdict };
  };
  it('keeps a short clause on one page and splits a long one by sub-clause', () => {
    const many = Array.from({ length: 41 }, (_, i) =>
      item(`8.${1 + (i % 2)}-${i}`, i < 3 ? 'conforming' : 'not_assessed'),
    );
    const pages = checklistPages([item('4.1-1', 'ofi'), item('4.2-1'), ...many]);
    expect(pages).toEqual([
      { key: '4', total: 2, done: 1 },
      { key: '8.1', total: 21, done: 2 },
      { key: '8.2', total: 20, done: 1 },
    ]);
  });
  it('puts each item under the clause one level below its page', () => {
    expect(subClauseOf('4.2', '4')).toBe('4.2');
    expect(subClauseOf('5.2.1', '5')).toBe('5.2');
    expect(subClauseOf('8.5.1.3', '8.5')).toBe('8.5.1');
    expect(subClauseOf('8.1', '8.1')).toBe('8.1');
    expect(subClauseOf('8.5.1.3', 'all')).toBe('8.5');
  });
  it('finds the next item to assess after one, wrapping round, and none when all are done', () => {
    const order = [item('4.1-1', 'conforming'), item('4.2-1'), item('4.3-1', 'minor_nc'), item('5.1-1')];
    expect(nextOpen(order, '4.2-1')?.requirement_id).toBe('5.1-1');
    expect(nextOpen(order, '5.1-1')?.requirement_id).toBe('4.2-1');
    expect(nextOpen(order, undefined)?.requirement_id).toBe('4.2-1');
    expect(nextOpen([item('4.1-1', 'ofi')], '4.1-1')).toBeUndefined();
  });
  it('merges two notes, keeping one when it already holds the other', () => {
    expect(mergeNotes('CHG-101 unapproved', 'CAB minutes missing')).toBe('CHG-101 unapproved\n\nCAB minutes missing');
    expect(mergeNotes('CHG-101', 'CHG-101 and CHG-107')).toBe('CHG-101 and CHG-107');
    expect(mergeNotes('', 'mine')).toBe('mine');
    expect(mergeNotes('theirs', '  ')).toBe('theirs');
  });
});

describe('checklist pages (server)', () => {
  let t: TestApp;
  let orgId: number;
  let auditId: number;
  let lead: { authorization: string };
  let wang: Browser;
  let chen: Browser;
  let processId: number;
  let chenId: number;

  const api = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: lead, ...(payload && { payload }) });
  const articles = (html: string) =>
    [...html.matchAll(/<article class="card req[^"]*" id="req-([^"]+)"/g)].map((m) => m[1]);

  beforeAll(async () => {
    t = await makeApp();
    await seedUser(t.db, 'root@example.com', { admin: true });
    const wangId = await seedUser(t.db, 'wang@example.com');
    chenId = await seedUser(t.db, 'chen@example.com');
    const root = { authorization: `Bearer ${await bearerFor(t.app, 'root@example.com')}` };
    const post = (url: string, payload: object) => t.app.inject({ method: 'POST', url, headers: root, payload });
    orgId = (await post('/api/v1/organizations', { name: '客户甲', code: 'JIA' })).json().id;
    await post(`/api/v1/organizations/${orgId}/members`, { email: 'wang@example.com', role: 'auditor' });
    await post(`/api/v1/organizations/${orgId}/members`, { email: 'chen@example.com', role: 'lead_auditor' });
    processId = (
      await post(`/api/v1/organizations/${orgId}/processes`, {
        name: '事件管理',
        clauseId: '8.6.1',
        ownerUserId: wangId,
      })
    ).json().id;
    lead = { authorization: `Bearer ${await bearerFor(t.app, 'chen@example.com')}` };
    const r = await api('POST', `/api/v1/organizations/${orgId}/audits`, {
      title: '2026 内部审核',
      type: 'internal',
      scope: { clauses: ['4', '5', '6', '7', '8', '9', '10'] },
      leadAuditorId: chenId,
      team: [wangId],
    });
    expect(r.statusCode, r.body).toBe(201);
    auditId = r.json().id;
    expect(
      (await api('POST', `/api/v1/audits/${auditId}/assignments`, { processId, auditorId: chenId })).statusCode,
    ).toBe(201);
    wang = new Browser(t.app, 'zh-CN');
    await wang.login('wang@example.com');
    chen = new Browser(t.app, 'en');
    await chen.login('chen@example.com');
  });
  afterAll(async () => {
    await t.close();
  });

  it('opens on the first clause with work left, one clause per page, with every page and its counters in the navigator', async () => {
    const page = await wang.get(`/audits/${auditId}/checklist`);
    expect(page.statusCode).toBe(200);
    const shown = articles(page.body);
    expect(shown).toHaveLength(7);
    expect(shown.every((id) => id!.startsWith('4.'))).toBe(true);
    const nav = page.body.slice(
      page.body.indexOf('class="clause-nav"'),
      page.body.indexOf('</nav>', page.body.indexOf('class="clause-nav"')),
    );
    const links = [
      ...nav.matchAll(
        /data-page="([^"]+)"[^>]*>[^<]*<span class="nav-title">[^<]*<\/span> <span class="count[^"]*"><span data-done>(\d+)<\/span>\/(\d+)/g,
      ),
    ].map((m) => [m[1], Number(m[3])]);
    expect(links).toEqual(FULL_PAGES);
    expect(nav).toContain('全部检查项');
    // Sub-clause headings in the list.
    for (const c of ['4.1', '4.2', '4.3', '4.4']) expect(page.body).toContain(`id="sc-${c}"`);
  });

  it('keeps every page under 120 KB in both languages, and all items still one link away', async () => {
    for (const [key] of FULL_PAGES) {
      for (const b of [wang, chen]) {
        const page = await b.get(`/audits/${auditId}/checklist?clause=${key}`);
        expect(page.statusCode).toBe(200);
        expect(Buffer.byteLength(page.body), `page ${key}`).toBeLessThan(120 * 1024);
      }
    }
    const big = await chen.get(`/audits/${auditId}/checklist?clause=8.5`);
    expect(articles(big.body)).toHaveLength(37);
    for (const c of ['8.5.1', '8.5.2', '8.5.3']) expect(big.body).toContain(`id="sc-${c}"`);
    const all = await chen.get(`/audits/${auditId}/checklist?clause=all`);
    expect(articles(all.body)).toHaveLength(212);
  });

  it('filters by process and by the auditor assigned to it', async () => {
    const byProcess = await chen.get(`/audits/${auditId}/checklist?clause=all&process=${processId}`);
    const ids = articles(byProcess.body);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.every((id) => id!.startsWith('8.6.1-'))).toBe(true);
    const byAuditor = await chen.get(`/audits/${auditId}/checklist?clause=all&auditor=${chenId}`);
    expect(articles(byAuditor.body)).toEqual(ids);
    const other = await chen.get(`/audits/${auditId}/checklist?clause=8.5&process=${processId}`);
    expect(articles(other.body)).toEqual([]);
  });

  it('saves and goes on to the next item not yet assessed, crossing to the next page (no JavaScript)', async () => {
    const a = await wang.post(`/audits/${auditId}/responses/4.4-1`, {
      verdict: 'conforming',
      notes: 'SMS established',
      version: '0',
      filter: 'all',
      clause: '4',
      next: '1',
    });
    expect(a.statusCode).toBe(303);
    // 4.4-1 is the last item of clause 4; clause 4 still has open items before it, but the next one after it is 5.1-1.
    expect(a.headers.location).toBe(`/audits/${auditId}/checklist?clause=5#req-5.1-1`);
    const b = await wang.get(`/audits/${auditId}/checklist/next?after=8.1-3&clause=8.1`);
    expect(b.statusCode).toBe(303);
    expect(b.headers.location).toBe(`/audits/${auditId}/checklist?clause=8.2#req-8.2.1-1`);
    const c = await wang.get(`/audits/${auditId}/checklist/next?after=8.5.1.1-1&clause=all&filter=open`);
    expect(c.headers.location).toBe(`/audits/${auditId}/checklist?filter=open&clause=all#req-8.5.1.2-1`);
  });

  it('shows what was typed again when a save fails without JavaScript, the field at fault marked', async () => {
    const r = await wang.post(`/audits/${auditId}/responses/4.1-1`, {
      verdict: 'conforming',
      notes: '已查看组织环境分析报告（2026 版）',
      samples: 'x'.repeat(5001),
      version: '0',
      clause: '4',
    });
    expect(r.statusCode).toBe(422);
    const card = r.body.slice(
      r.body.indexOf('id="req-4.1-1"'),
      r.body.indexOf('</article>', r.body.indexOf('id="req-4.1-1"')),
    );
    expect(card).toContain('>已查看组织环境分析报告（2026 版）</textarea>');
    expect(card).toMatch(/name="samples" value="x{5001}" aria-invalid="true"/);
    expect(card).toContain('value="conforming" checked');
    expect(r.body).toContain('4.1-1 未保存');
  });

  it('shows the other answer beside mine on a conflict, localised with who and when, and resolves it each way', async () => {
    const ev = new FormData();
    ev.set('title', '变更记录 CHG-101');
    ev.set('kind', 'record');
    ev.set('location', 'OA 系统 / 变更库');
    const added = await t.app.inject({
      method: 'POST',
      url: `/api/v1/organizations/${orgId}/evidence`,
      headers: lead,
      payload: ev,
    });
    expect(added.statusCode, added.body).toBe(201);
    const evidenceId = added.json().id;
    const theirs = await api('PUT', `/api/v1/audits/${auditId}/responses/8.5.1.1-1`, {
      verdict: 'minor_nc',
      notes: 'CHG-101 未经批准',
      samples: 'CHG-101, CHG-107',
      interviewees: '变更经理',
      evidenceIds: [evidenceId],
      version: 0,
    });
    expect(theirs.statusCode, theirs.body).toBe(200);
    const mine = {
      verdict: 'major_nc',
      notes: '紧急变更无 CAB 记录',
      samples: 'CHG-110',
      interviewees: '',
      version: '0',
      clause: '8.5',
    };
    const refused = await wang.post(`/audits/${auditId}/responses/8.5.1.1-1`, mine);
    expect(refused.statusCode).toBe(409);
    const panel = refused.body.slice(
      refused.body.indexOf('id="conflict-8.5.1.1-1"'),
      refused.body.indexOf('</section>', refused.body.indexOf('id="conflict-8.5.1.1-1"')),
    );
    expect(panel).toContain('chen 于');
    expect(panel).toContain('<td>一般不符合</td><td>严重不符合</td>');
    expect(panel).toContain('CHG-101 未经批准');
    expect(panel).toContain('CHG-101, CHG-107');
    expect(panel).toContain('变更经理');
    expect(panel).toContain('变更记录 CHG-101');
    expect(panel).toContain('紧急变更无 CAB 记录');
    expect(panel).toContain('保留我的答案');
    expect(panel).toContain('采用对方的答案');
    expect(panel).not.toMatch(/minor_nc<|>major_nc/);
    // The merge offers both notes.
    expect(panel).toContain('CHG-101 未经批准\n\n紧急变更无 CAB 记录</textarea>');
    // The item's own form still holds what I typed.
    expect(refused.body).toContain('>紧急变更无 CAB 记录</textarea>');

    // Keep mine: saved on their version.
    const keep = await wang.post(`/audits/${auditId}/responses/8.5.1.1-1`, { ...mine, version: '1' });
    expect(keep.statusCode).toBe(303);
    let now = (await api('GET', `/api/v1/audits/${auditId}`))
      .json()
      .responses.find((x: { requirementId: string }) => x.requirementId === '8.5.1.1-1');
    expect(now).toMatchObject({ verdict: 'major_nc', notes: '紧急变更无 CAB 记录', version: 2 });

    // A second conflict, resolved by merging the notes.
    await api('PUT', `/api/v1/audits/${auditId}/responses/8.5.1.1-1`, {
      verdict: 'major_nc',
      notes: 'CAB 会议纪要缺失',
      version: 2,
    });
    const again = await chen.post(`/audits/${auditId}/responses/8.5.1.1-1`, {
      verdict: 'major_nc',
      notes: 'CHG-110 无回退计划',
      version: '2',
    });
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('Their answer (chen, ');
    expect(again.body).toContain('<td>Major nonconformity</td><td>Major nonconformity</td>');
    const merged = await chen.post(`/audits/${auditId}/responses/8.5.1.1-1`, {
      verdict: 'major_nc',
      notes: 'CAB 会议纪要缺失\n\nCHG-110 无回退计划',
      version: '3',
    });
    expect(merged.statusCode).toBe(303);
    now = (await api('GET', `/api/v1/audits/${auditId}`))
      .json()
      .responses.find((x: { requirementId: string }) => x.requirementId === '8.5.1.1-1');
    expect(now.notes).toBe('CAB 会议纪要缺失\n\nCHG-110 无回退计划');

    // Take theirs: a link back to the item, whose stored answer is theirs.
    await api('PUT', `/api/v1/audits/${auditId}/responses/8.5.1.1-1`, {
      verdict: 'ofi',
      notes: '可改进 CAB 记录',
      version: 4,
    });
    const third = await chen.post(`/audits/${auditId}/responses/8.5.1.1-1`, {
      verdict: 'conforming',
      notes: '',
      version: '4',
      clause: '8.5',
    });
    expect(third.body).toContain(`href="?clause=8.5#req-8.5.1.1-1" data-choice="theirs"`);
    const back = await chen.get(`/audits/${auditId}/checklist?clause=8.5`);
    expect(back.body).toContain('>可改进 CAB 记录</textarea>');
  });
});
