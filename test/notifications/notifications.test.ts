import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../helpers.js';
import { makeWorld, STATEMENT, type World } from '../findings/fixture.js';

// The bell (issue 18): a person is told when they are given an audit, a nonconformity or an action, and when their
// proposal is decided; the text is in the reader's language; nobody sees or marks anyone else's notifications.
describe('in-app notifications', () => {
  let w: World;
  let nc: number;
  const notes = async (who: 'owner' | 'lead' | 'bert' | 'reviewer', lang = 'en') =>
    (await w.api(who, 'GET', '/api/v1/me/notifications', undefined, lang)).json() as {
      unread: number;
      items: Array<{ id: number; kind: string; text: string; url: string; read: boolean; organizationId: number }>;
    };

  beforeAll(async () => {
    w = await makeWorld();
    const r = await w.api('lead', 'POST', `/api/v1/audits/${w.auditA}/findings`, {
      requirementId: '8.5.1.3-1',
      kind: 'nonconformity',
      grade: 'major',
      statement: STATEMENT,
      ownerUserId: w.users.owner,
    });
    expect(r.statusCode).toBe(201);
    nc = r.json().id;
  });
  afterAll(async () => {
    await w.t.close();
  });

  it('tells the owner of a new nonconformity, in her language, and not the auditor who raised it', async () => {
    const en = await notes('owner');
    expect(en.unread).toBe(1);
    expect(en.items).toEqual([
      expect.objectContaining({
        kind: 'nc_assigned',
        text: `You are the owner of Nonconformity F-${w.auditA}-1.`,
        url: `/findings/${nc}`,
        read: false,
        organizationId: w.orgA,
      }),
    ]);
    expect((await notes('owner', 'zh-CN')).items[0]!.text).toBe(`您是不符合 F-${w.auditA}-1 的负责人。`);
    expect((await notes('lead')).items).toEqual([]);
    expect((await notes('bert')).items).toEqual([]);
  });

  it('shows the count on the bell of every page and lists the notification (zh)', async () => {
    const b = new Browser(w.t.app, 'zh-CN');
    await b.login('owner@a.example');
    const home = await b.get('/');
    expect(home.body).toContain('aria-label="通知：1 条未读"');
    expect(home.body).toMatch(/class="count">1</);
    const list = await b.get('/notifications');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(`您是不符合 F-${w.auditA}-1 的负责人。`);
    // Opening it marks it read and leads to the nonconformity.
    const id = (await notes('owner')).items[0]!.id;
    const open = await b.post(`/notifications/${id}/read`, { open: '1' });
    expect(open.statusCode).toBe(303);
    expect(open.headers.location).toBe(`/findings/${nc}`);
    expect((await notes('owner')).unread).toBe(0);
    expect((await b.get('/')).body).toContain('aria-label="通知：没有未读"');
  });

  it('refuses to mark someone else’s notification (404) and a form without its CSRF token', async () => {
    const id = (await notes('owner')).items[0]!.id;
    expect((await w.api('bert', 'POST', `/api/v1/me/notifications/${id}/read`)).statusCode).toBe(404);
    const b = new Browser(w.t.app);
    await b.login('bert@b.example');
    expect((await b.post(`/notifications/${id}/read`, {})).statusCode).toBe(404);
    expect((await b.post('/notifications/read-all', {}, { csrf: false })).statusCode).toBe(403);
  });

  it('tells the owner when her proposal is returned (with the comment) or accepted, and action owners', async () => {
    const p = await w.api('owner', 'POST', `/api/v1/nonconformities/${nc}/proposals`, {
      step: 'reaction',
      correction: 'Stopped the change',
      consequences: 'None',
    });
    expect(p.statusCode).toBe(201);
    const id = p.json().id;
    await w.api('lead', 'POST', `/api/v1/proposals/${id}/decision`, { decision: 'return', comment: 'Which changes?' });
    const returned = await notes('owner');
    expect(returned.unread).toBe(1);
    expect(returned.items[0]!.text).toBe(
      `Your proposal “Correction and consequences” on F-${w.auditA}-1 was returned: Which changes?`,
    );
    expect((await notes('owner', 'zh-CN')).items[0]!.text).toBe(
      `您对 F-${w.auditA}-1 提出的“纠正及后果处理”提议已被退回：Which changes?`,
    );
  });

  it('tells administrators that mail is off when SMTP_URL is not set', async () => {
    const b = new Browser(w.t.app);
    await b.login('root@example.com');
    expect((await b.get('/admin/users')).body).toContain('Notification e-mail is off: SMTP_URL is not set');
  });

  it('marks all read with one request, only the caller’s', async () => {
    const before = (await notes('reviewer')).unread;
    const r = await w.api('owner', 'POST', '/api/v1/me/notifications/read-all');
    expect(r.json().updated).toBeGreaterThan(0);
    expect((await notes('owner')).unread).toBe(0);
    expect((await notes('reviewer')).unread).toBe(before);
  });
});
