import type { FastifyRequest } from 'fastify';
import { DEFAULT_TIME_ZONE, dateIn, wallClock } from '../domain/time-zone.js';

// Stored times are UTC; a person reads them in a zone. Dates without a time (a due date, a planned day) are
// calendar dates already and pass through unchanged.

/** The zone a person reads times in: their own if set, else the organisation's, else the default. */
export const readerZone = (req: FastifyRequest): string => req.user?.timeZone ?? req.org?.timeZone ?? DEFAULT_TIME_ZONE;

/**
 * The organisation's zone: "today", "due" and "overdue" are the organisation's, whoever looks. Pages across
 * organisations (the caller's registers of all of them) have none, and use the reader's.
 */
export const orgZone = (req: FastifyRequest): string => req.org?.timeZone ?? req.user?.timeZone ?? DEFAULT_TIME_ZONE;

/** Today's calendar date in the organisation's zone. */
export const orgToday = (req: FastifyRequest, now: Date = new Date()): string => dateIn(now, orgZone(req));

const isDateOnly = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s);

/** "YYYY-MM-DD HH:MM" of an instant in a zone; a calendar date stays as it is; empty stays empty. */
export function formatWhen(iso: string | null | undefined, zone: string): string {
  if (!iso) return '';
  if (isDateOnly(iso)) return iso;
  const { date, time } = wallClock(normalise(iso), zone);
  return `${date} ${time}`;
}

/** The calendar date of an instant in a zone; a calendar date stays as it is. */
export function formatDay(iso: string | null | undefined, zone: string): string {
  if (!iso) return '';
  if (isDateOnly(iso)) return iso;
  return dateIn(normalise(iso), zone);
}

/** SQLite's CURRENT_TIMESTAMP text ("2026-11-25 04:02:46") is UTC without saying so. */
function normalise(iso: string): string {
  return /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?$/.test(iso) ? `${iso.replace(' ', 'T')}Z` : iso;
}
