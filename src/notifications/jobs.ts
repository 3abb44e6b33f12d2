import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../db/connect.js';
import { deliverMail, type Mailer } from './mail.js';
import { sendReminders } from './reminders.js';

export interface JobRun {
  reminders: number;
  /** Messages sent (per-event mails and digests); 0 when mail is off. */
  mails: number;
}

/** The background work of one instance: reminders now, mail delivery when configured. */
export interface Jobs {
  /** One run at `now` (tests pass a date; the schedule passes the clock). */
  runOnce(now?: Date): Promise<JobRun>;
  /** Runs every `intervalMs` until stop(); a run still going when the next is due is not doubled. */
  start(intervalMs: number): void;
  /** Ends the schedule and waits for a run under way (so the database is not closed under it). */
  stop(): Promise<void>;
}

export function createJobs(db: Db, log: FastifyBaseLogger, mail?: { mailer: Mailer; publicUrl: string }): Jobs {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  const runOnce = async (now = new Date()): Promise<JobRun> => {
    const reminders = await sendReminders(db, now);
    const mails = mail ? await deliverMail(db, mail.mailer, mail.publicUrl, now) : 0;
    return { reminders, mails };
  };
  const tick = () => {
    if (running) return;
    running = runOnce()
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
    start(intervalMs) {
      if (timer || intervalMs <= 0) return;
      timer = setInterval(tick, intervalMs);
      timer.unref();
      tick(); // catch up at start (after downtime) rather than one interval later
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running;
      mail?.mailer.close();
    },
  };
}
