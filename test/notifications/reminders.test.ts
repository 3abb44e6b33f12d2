import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { type Db, openDb } from '../../src/db/connect.js';
import { nowIso } from '../../src/db/time.js';
import { prepareDatabase } from '../../src/startup.js';
import { seedUser, testConfig } from '../helpers.js';
import { createScratchDatabase, dropScratchDatabase, pgAdminUrl } from '../test-db.js';

// The reminder job (issue 18): two app instances on one database run it at the same moments; each reminder reaches
// its owner once. The schedule, as documented: 7 days and 1 day before the due date, on the first overdue day, then
// every 7 days; after a gap the one reminder that applies then is sent, once. Dates are Asia/Shanghai (UTC+8).
describe('reminders from two instances on one database', () => {
  let dbA: Db;
  let dbB: Db;
  let A: FastifyInstance;
  let B: FastifyInstance;
  let cleanup: () => Promise<void>;
  let owner: number;
  let other: number;

  beforeAll(async () => {
    const admin = pgAdminUrl();
    if (admin) {
      const url = await createScratchDatabase(admin);
      dbA = openDb({ databaseUrl: url, onIdleError: () => {} });
      dbB = openDb({ databaseUrl: url, onIdleError: () => {} });
      cleanup = async () => {
        await Promise.all([dbA.destroy(), dbB.destroy()]);
        await dropScratchDatabase(admin, url);
      };
    } else {
      const dir = mkdtempSync(join(tmpdir(), 'reminders-'));
      dbA = openDb({ sqliteFile: join(dir, 'shared.sqlite') });
      await prepareDatabase(dbA);
      dbB = openDb({ sqliteFile: join(dir, 'shared.sqlite') });
      cleanup = async () => {
        await Promise.all([dbA.destroy(), dbB.destroy()]);
        rmSync(dir, { recursive: true, force: true });
      };
    }
    await Promise.all([prepareDatabase(dbA), prepareDatabase(dbB)]);
    A = await buildApp({ config: testConfig(), db: dbA });
    B = await buildApp({ config: testConfig(), db: dbB });
    owner = await seedUser(dbA, 'owner@example.com');
    other = await seedUser(dbA, 'other@example.com');
    const now = nowIso();
    const { id: orgId } = await dbA
      .insertInto('organization')
      .values({
        name: 'Org',
        code: 'ORG',
        default_locale: 'en',
        scope_statement: '',
        scope_managing_org: '',
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    // Two actions of one owner, due 2027-03-10 and 2027-03-20; one done (never reminded); one of another owner.
    const action = (ref: string, owner_user_id: number, due_date: string, status = 'planned') => ({
      organization_id: orgId,
      ref,
      finding_id: null,
      review_id: null,
      output_type: null,
      description: ref,
      owner_user_id,
      due_date,
      status,
      sms_change: 0,
      round: 1,
      created_by: null,
      created_at: now,
      updated_at: now,
      completed_at: null,
    });
    await dbA
      .insertInto('action_item')
      .values([
        action('A-1', owner, '2027-03-10'),
        action('A-2', owner, '2027-03-20'),
        action('A-3', owner, '2027-03-10', 'done'),
        action('A-4', other, '2027-03-10'),
      ])
      .execute();
  });

  afterAll(async () => {
    await A?.close();
    await B?.close();
    await cleanup?.();
  });

  /** Both instances run the job at the same instant, twice. */
  const runBoth = async (iso: string) => {
    const at = new Date(iso);
    await Promise.all([A.jobs.runOnce(at), B.jobs.runOnce(at), A.jobs.runOnce(at), B.jobs.runOnce(at)]);
  };
  const sent = async (userId: number) =>
    (
      await dbB
        .selectFrom('notification')
        .select(['kind', 'params_json'])
        .where('user_id', '=', userId)
        .orderBy('id')
        .execute()
    ).map((n) => {
      const p = JSON.parse(n.params_json) as { ref: string; days: number };
      return `${p.ref} ${n.kind} ${p.days}`;
    });

  it('sends nothing more than 7 days ahead', async () => {
    await runBoth('2027-03-02T01:00:00Z'); // 2027-03-02 in Shanghai: 8 days before A-1
    expect(await sent(owner)).toEqual([]);
  });

  it('sends the 7-day reminder once, whichever instance runs first, in the organisation’s time zone', async () => {
    await runBoth('2027-03-02T16:30:00Z'); // already 2027-03-03 in Shanghai (UTC 2027-03-02)
    await runBoth('2027-03-04T01:00:00Z');
    expect(await sent(owner)).toEqual(['A-1 due_soon 7']);
    expect(await sent(other)).toEqual(['A-4 due_soon 7']);
  });

  it('sends the 1-day reminder, then the first overdue one, each once', async () => {
    await runBoth('2027-03-09T01:00:00Z');
    await runBoth('2027-03-09T09:00:00Z');
    await runBoth('2027-03-11T01:00:00Z');
    expect(await sent(owner)).toEqual(['A-1 due_soon 7', 'A-1 due_soon 1', 'A-1 overdue 1']);
  });

  it('after a gap of days catches up with the one reminder that applies, once; overdue repeats weekly', async () => {
    // Down from 2027-03-11 to 2027-03-25: A-1 is 15 days overdue (its second weekly step), A-2 5 days overdue.
    await runBoth('2027-03-25T01:00:00Z');
    await runBoth('2027-03-26T01:00:00Z');
    expect(await sent(owner)).toEqual([
      'A-1 due_soon 7',
      'A-1 due_soon 1',
      'A-1 overdue 1',
      'A-1 overdue 15',
      'A-2 overdue 5',
    ]);
    await runBoth('2027-03-29T01:00:00Z'); // A-1 19 days overdue: same week; A-2 9 days: its second week
    expect((await sent(owner)).slice(5)).toEqual(['A-2 overdue 9']);
  });

  it('shows the reminders in the owner’s bell, worded for a person', async () => {
    const list = await A.inject({
      method: 'GET',
      url: '/api/v1/me/notifications?unread=1',
      headers: {
        authorization: `Bearer ${(await A.inject({ method: 'POST', url: '/api/v1/auth/token', payload: { email: 'owner@example.com', password: 'correct horse battery' } })).json().token}`,
        'accept-language': 'zh-CN',
      },
    });
    expect(list.json().items.map((i: { text: string }) => i.text)).toContain(
      '措施 A-2 已逾期 9 天（到期日 2027-03-20）。',
    );
    expect(list.json().items.map((i: { text: string }) => i.text)).toContain(
      '措施 A-1 将在 1 天后到期（2027-03-10）。',
    );
  });
});
