import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nowIso } from '../../src/db/time.js';
import { makeApp, seedUser, type TestApp } from '../helpers.js';

// A restarted server answers at once: its first job run sends reminders only when the last run is an interval or more
// old (or the date has changed since: test/domain/reminders-catch-up.test.ts). At 2,000 organisations offering some
// 200,000 open items their reminder again cost 2.2 s of CPU in front of the first answer (issue 20).
describe('reminders at start', () => {
  let t: TestApp;
  let orgId: number;
  let owner: number;
  const HOUR = 3_600_000;
  beforeAll(async () => {
    t = await makeApp();
    owner = await seedUser(t.db, 'owner@example.com');
    const now = nowIso();
    ({ id: orgId } = await t.db
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
      .executeTakeFirstOrThrow());
  });
  afterAll(async () => {
    await t.close();
  });

  /** An open action of the owner due in three days: its 7-day reminder applies today. */
  const action = async (ref: string) => {
    const now = nowIso();
    await t.db
      .insertInto('action_item')
      .values({
        organization_id: orgId,
        ref,
        finding_id: null,
        review_id: null,
        output_type: null,
        description: ref,
        owner_user_id: owner,
        due_date: new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10),
        status: 'planned',
        sms_change: 0,
        round: 1,
        created_by: null,
        created_at: now,
        updated_at: now,
        completed_at: null,
      })
      .execute();
  };
  const reminded = async () =>
    (
      await t.db.selectFrom('notification').select('params_json').where('user_id', '=', owner).orderBy('id').execute()
    ).map((n) => (JSON.parse(n.params_json) as { ref: string }).ref);
  /** Starts the schedule as a (re)started server does, and waits for its first run to end. */
  const restart = async () => {
    await t.app.jobs.start(HOUR);
    await t.app.jobs.stop();
  };

  it('the first start ever sends the reminders that apply', async () => {
    await action('A-1');
    await restart();
    expect(await reminded()).toEqual(['A-1']);
  });

  it('a restart moments after a run leaves reminders to the next scheduled run', async () => {
    await action('A-2');
    await restart();
    expect(await reminded()).toEqual(['A-1']);
    await t.app.jobs.runOnce(); // the next scheduled run
    expect(await reminded()).toEqual(['A-1', 'A-2']);
  });

  it('a restart an interval or more after the last run catches up at once', async () => {
    await action('A-3');
    await t.db
      .updateTable('job_run')
      .set({ finished_at: new Date(Date.now() - HOUR - 1000).toISOString() })
      .where('name', '=', 'reminders')
      .execute();
    await restart();
    expect(await reminded()).toEqual(['A-1', 'A-2', 'A-3']);
  });
});
