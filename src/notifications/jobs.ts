import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../db/connect.js';
import { remindersCatchUpDue } from '../domain/notifications.js';
import { dateIn } from '../domain/time-zone.js';
import { deliverMail, type Mailer } from './mail.js';
import { sendReminders } from './reminders.js';

export interface JobRun {
  reminders: number;
  /** Messages sent (per-event mails and digests); 0 when mail is off. */
  mails: number;
}

/** The background work of one instance: reminders now, mail delivery when configured. */
export interface Jobs {
  /** One run at `now` (tests pass a date; the schedule passes the clock); `reminders: false` delivers mail only. */
  runOnce(now?: Date, opts?: { reminders?: boolean }): Promise<JobRun>;
  /**
   * Runs every `intervalMs` until stop(); a run still going when the next is due is not doubled. The first run is at
   * once, but sends reminders then only when src/domain/notifications.ts remindersCatchUpDue says they are due.
   * Resolves when that first run has been started.
   */
  start(intervalMs: number): Promise<void>;
  /** Ends the schedule and waits for a run under way (so the database is not closed under it). */
  stop(): Promise<void>;
}

/** The reminder job's name in job_run. */
const REMINDERS = 'reminders';

export function createJobs(db: Db, log: FastifyBaseLogger, mail?: { mailer: Mailer; publicUrl: string }): Jobs {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  const runOnce = async (now = new Date(), { reminders: remind = true } = {}): Promise<JobRun> => {
    const reminders = remind ? await sendReminders(db, now) : 0;
    if (remind)
      await db
        .insertInto('job_run')
        .values({ name: REMINDERS, finished_at: now.toISOString() })
        .onConflict((oc) => oc.column('name').doUpdateSet({ finished_at: now.toISOString() }))
        .execute();
    const mails = mail ? await deliverMail(db, mail.mailer, mail.publicUrl, now) : 0;
    return { reminders, mails };
  };
  const tick = (opts?: { reminders: boolean }) => {
    if (running) return;
    running = runOnce(new Date(), opts)
      .then((r) => {
        if (r.reminders || r.mails) log.info(r, 'notification job');
      })
      .catch((err: unknown) => log.error({ err }, 'notification job failed; it runs again at the next interval'))
      .finally(() => {
        running = undefined;
      });
  };
  return {
    runOnce,
    async start(intervalMs) {
      if (timer || intervalMs <= 0) return;
      timer = setInterval(tick, intervalMs);
      timer.unref();
      // Catch up at start (after downtime) rather than one interval later — but not by offering every open item its
      // reminder again when the last run was moments ago (a restart): at 2,000 organisations that run costs seconds.
      const now = new Date();
      const [last, zones] = await Promise.all([
        db.selectFrom('job_run').select('finished_at').where('name', '=', REMINDERS).executeTakeFirst(),
        db.selectFrom('organization').select('time_zone').distinct().execute(),
      ]);
      const due = remindersCatchUpDue(
        last ? new Date(last.finished_at) : null,
        now,
        intervalMs,
        ['UTC', ...zones.map((z) => z.time_zone)],
        dateIn,
      );
      if (timer) tick({ reminders: due }); // not when stop() came first
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running;
      mail?.mailer.close();
    },
  };
}
