import { execFileSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertAudit, insertResponse, STATEMENT } from '../findings/fixture.js';
import { bearerFor, Browser, makeApp, seedUser, type TestApp } from '../helpers.js';

interface Received {
  from: string;
  to: string;
  subject: string;
  text: string;
}

/** Python's own e-mail parser reads what arrived (MIME encoded words, quoted-printable, base64): no reader of ours. */
const parse = (raw: Buffer): Received =>
  JSON.parse(
    execFileSync(
      'python3',
      [
        '-c',
        'import sys,json,email\nfrom email import policy\nm=email.message_from_bytes(sys.stdin.buffer.read(),policy=policy.default)\n' +
          "print(json.dumps({'from':str(m['from']),'to':str(m['to']),'subject':str(m['subject']),'text':m.get_body(('plain',)).get_content()}))",
      ],
      { input: raw },
    ).toString(),
  ) as Received;

// Notification e-mail (issue 18) through a real SMTP server started here: one message per event in the reader's
// language with a link from PUBLIC_URL, exactly once; a daily digest for those who choose it; unsubscribing per kind.
describe('notification e-mail through SMTP', () => {
  const inbox: Received[] = [];
  let smtp: SMTPServer;
  let t: TestApp;
  let auditId: number;
  let lead: string;
  let ownerId: number;

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, _session, done) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          inbox.push(parse(Buffer.concat(chunks)));
          done();
        });
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
    const port = (smtp.server.address() as AddressInfo).port;
    t = await makeApp({
      mail: { smtpUrl: `smtp://127.0.0.1:${port}`, from: 'Audit workbench <audit@example.com>' },
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
    await new Promise<void>((r) => smtp.close(() => r()));
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
});
