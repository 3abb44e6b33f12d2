import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../helpers.js';
import { makeWorld, STATEMENT, type World } from './fixture.js';

describe('the auditee’s part on the nonconformity page (zh)', () => {
  let w: World;
  let nc: number;
  let owner: Browser;
  let lead: Browser;
  beforeAll(async () => {
    w = await makeWorld();
    const r = await w.api('lead', 'POST', `/api/v1/audits/${w.auditA}/findings`, {
      requirementId: '8.5.1.3-1',
      kind: 'nonconformity',
      grade: 'major',
      statement: STATEMENT,
      ownerUserId: w.users.owner,
    });
    nc = r.json().id;
    owner = new Browser(w.t.app, 'zh-CN');
    await owner.login('owner@a.example');
    lead = new Browser(w.t.app, 'zh-CN');
    await lead.login('lead@a.example');
  });
  afterAll(async () => {
    await w.t.close();
  });

  it('tells the owner what she can do, and the viewer whom it waits for', async () => {
    const page = await owner.get(`/findings/${nc}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h2 id="next-step-h">下一步</h2>');
    expect(page.body).toContain('<li>确认此不符合（您是负责人）</li>');
    expect(page.body).toContain('提议纠正（10.1.1 a）');
    expect(page.body).toContain('负责人尚未确认。');
    const viewer = new Browser(w.t.app, 'zh-CN');
    await viewer.login('viewer@a.example');
    expect((await viewer.get(`/findings/${nc}`)).body).toContain('等待负责人 owner 提议纠正、原因分析和纠正措施。');
  });

  it('acknowledges, then a proposal with a gap comes back 422 keeping what she typed', async () => {
    await owner.get(`/findings/${nc}`);
    const ack = await owner.post(`/findings/${nc}/acknowledge`, {});
    expect(ack.statusCode).toBe(303);
    await owner.get(`/findings/${nc}`);
    const bad = await owner.post(`/findings/${nc}/proposals`, { step: 'reaction', correction: '已停止未登记的变更' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('已停止未登记的变更');
    expect(bad.body).toMatch(/role="alert">[^<]*尚缺/);
    const ok = await owner.post(`/findings/${nc}/proposals`, {
      step: 'reaction',
      correction: '已停止未登记的变更',
      consequences: '无',
    });
    expect(ok.statusCode).toBe(303);
    expect((await owner.get(`/findings/${nc}`)).body).toContain('<span class="badge">待评审</span>');
  });

  it('the lead returns it with a comment; the owner reads the comment on her page', async () => {
    const page = await lead.get(`/findings/${nc}`);
    const id = Number(/action="\/proposals\/(\d+)\/decision"/.exec(page.body)![1]);
    const noComment = await lead.post(`/proposals/${id}/decision`, { decision: 'return', comment: '' });
    expect(noComment.statusCode).toBe(422);
    expect(noComment.body).toContain('请说明退回提议的原因。');
    await lead.get(`/findings/${nc}`);
    const back = await lead.post(`/proposals/${id}/decision`, {
      decision: 'return',
      comment: '请列出停止的变更编号。',
    });
    expect(back.statusCode).toBe(303);
    const mine = await owner.get(`/findings/${nc}`);
    expect(mine.body).toContain('<span class="badge">已退回</span>');
    expect(mine.body).toContain('请列出停止的变更编号。');
  });
});
