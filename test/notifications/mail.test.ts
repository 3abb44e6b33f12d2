import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertAudit, insertResponse, STATEMENT } from '../findings/fixture.js';
import { bearerFor, Browser, makeApp, seedUser, type TestApp } from '../helpers.js';
import { type Received, startSmtp } from '../support/smtp.js';

// Notification e-mail (issue 18) through a real SMTP server started here: one message per event in the reader's
// language with a link from PUBLIC_URL, exactly once; a daily digest for those who choose it; unsubscribing per kind.
describe('notification e-mail through SMTP', () => {
  let inbox: Received[] = [];
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let t: TestApp;
  let auditId: number;
  let lead: string;
  let ownerId: number;

  beforeAll(async () => {
    smtp = await startSmtp();
    inbox = smtp.inbox;
    t = await makeApp({
      mail: { smtpUrl: smtp.url, from: 'Audit workbench <audit@example.com>' },
      publicUrl: 'https://audit.example.com',
    });
    await seedUser(t.db, 'root@example.com', { admin: true });
    await seedUser(t.db, 'lead@example.com');
    ownerId = await seedUser(t.db, 'owner@example.com');
    await t.db.updateTable('app_user').set({ locale: 'zh-CN' }).where('id', '=', ownerId).execute();
    const root = await bearerFor(t.app, 'root@example.com');
    const call = (method: 'POST', url: string, payload: object) =>
      t.app.inject({ method, url, payload, headers: { authorization: `Bearer ${root}` } });
    const orgId = (await call('POST', '/api/v1/organizations', { name: 'Alpha', code: 'ALPHA' })).json().id;
    await call('POST', `/api/v1/organizations/${orgId}/members`, { email: 'lead@example.com', role: 'lead_auditor' });
    await call('POST', `/api/v1/organizations/${orgId}/members`, { email: 'owner@example.com', role: 'auditee' });
    auditId = await insertAudit(t, orgId, 'Internal audit 2026');
    for (const r of ['8.5.1.3-1', '8.6.1-1', '7.5.4-1']) await insertResponse(t, auditId, r, 'major_nc', 'Seen.');
    lead = await bearerFor(t.app, 'lead@example.com');
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  const raise = (requirementId: string) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/audits/${auditId}/findings`,
      headers: { authorization: `Bearer ${lead}` },
      payload: { requirementId, kind: 'nonconformity', grade: 'major', statement: STATEMENT, ownerUserId: ownerId },
    });
  /** Runs the job as two overlapping runs would, and waits for the server to have the messages. */
  const run = async (at?: Date) => {
    await Promise.all([t.app.jobs.runOnce(at), t.app.jobs.runOnce(at)]);
  };

  it('says on the administrators’ page that mail is on, and from whom', async () => {
    const b = new Browser(t.app);
    await b.login('root@example.com');
    expect((await b.get('/admin/users')).body).toContain(
      'Notification e-mail is on: sent through the configured SMTP server from Audit workbench &lt;audit@example.com&gt;.',
    );
  });

  it('mails the new owner once, in Chinese, with a link built from PUBLIC_URL', async () => {
    const r = await raise('8.5.1.3-1');
    expect(r.statusCode).toBe(201);
    await run();
    await run();
    expect(inbox).toHaveLength(1);
    const m = inbox[0]!;
    expect(m.to).toBe('owner@example.com');
    expect(m.from).toBe('Audit workbench <audit@example.com>');
    expect(m.subject).toContain(`您是不符合 ${r.json().ref} 的负责人。`);
    expect(m.text).toContain(`打开： https://audit.example.com/findings/${r.json().id}`);
    expect(m.text).toContain('https://audit.example.com/account/notifications');
  });

  it('sends a daily digest instead when the owner chooses it, once, from 08:00 her time; unsubscribed kinds stay out', async () => {
    const b = new Browser(t.app, 'zh-CN');
    await b.login('owner@example.com');
    const page = await b.get('/account/notifications');
    expect(page.body).toContain('每日汇总一封');
    // Digest; every kind ticked except "due soon".
    const kinds = ['audit_assigned', 'nc_assigned', 'action_assigned', 'proposal_accepted', 'proposal_returned'];
    const saved = await b.post('/account/notifications', {
      mode: 'digest',
      ...Object.fromEntries(kinds.map((k) => [`kind_${k}`, 'on'])),
    });
    expect(saved.statusCode).toBe(303);
    const bad = await b.post('/account/notifications', { mode: 'weekly' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('请选择每条一封、每日汇总或不发送。');

    const second = (await raise('8.6.1-1')).json().ref;
    const third = (await raise('7.5.4-1')).json().ref;
    const today = new Date().toISOString().slice(0, 10);
    const day = new Date(`${today}T00:00:00Z`);
    await run(new Date(day.getTime() - 60 * 60_000)); // 07:00 in Shanghai: not yet
    expect(inbox).toHaveLength(1);
    await run(new Date(day.getTime() + 30 * 60_000)); // 08:30 in Shanghai
    await run(new Date(day.getTime() + 90 * 60_000));
    expect(inbox).toHaveLength(2);
    const digest = inbox[1]!;
    expect(digest.to).toBe('owner@example.com');
    expect(digest.subject).toMatch(/2 条通知/);
    expect(digest.text).toContain(`您是不符合 ${second} 的负责人。`);
    expect(digest.text).toContain(`您是不符合 ${third} 的负责人。`);
  });

  it('sends nothing for a kind the owner unsubscribed from, while the bell still shows it', async () => {
    const b = new Browser(t.app, 'zh-CN');
    await b.login('owner@example.com');
    await b.get('/account/notifications');
    await b.post('/account/notifications', { mode: 'each', kind_audit_assigned: 'on' }); // nc_assigned unticked
    await t.db.updateTable('finding').set({ owner_user_id: null }).where('audit_id', '=', auditId).execute();
    const again = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/findings/${(await t.db.selectFrom('finding').select('id').executeTakeFirstOrThrow()).id}`,
      headers: { authorization: `Bearer ${lead}` },
      payload: { ownerUserId: ownerId },
    });
    expect(again.statusCode).toBeLessThan(300);
    await run();
    expect(inbox).toHaveLength(2);
    const bell = await t.app.inject({
      method: 'GET',
      url: '/api/v1/me/notifications',
      headers: { authorization: `Bearer ${await bearerFor(t.app, 'owner@example.com')}` },
    });
    expect(bell.json().items).toHaveLength(4);
  });

  it('sends a message whose sender died after claiming it, once the claim is 15 minutes old, and only once', async () => {
    const now = new Date();
    const claimedAt = new Date(now.getTime() - 60_000); // claimed a minute ago by an instance that then died
    await t.db
      .insertInto('notification')
      .values({
        user_id: ownerId,
        organization_id: null,
        kind: 'audit_assigned',
        params_json: JSON.stringify({ title: '2027 年度内部审核' }),
        url: `/audits/${auditId}`,
        dedupe_key: null,
        created_at: claimedAt.toISOString(),
        read_at: null,
        mail_state: 'sending',
        mail_claimed_at: claimedAt.toISOString(),
      })
      .execute();
    const before = inbox.length;
    await run(now); // the claim may still be in flight elsewhere: left alone
    expect(inbox).toHaveLength(before);
    await run(new Date(now.getTime() + 15 * 60_000));
    await run(new Date(now.getTime() + 16 * 60_000));
    expect(inbox).toHaveLength(before + 1);
    expect(inbox.at(-1)!.subject).toContain('您已加入审核“2027 年度内部审核”的审核组。');
  });
});
