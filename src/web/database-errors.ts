import { DatabaseBusyError } from '../db/sqlite-driver.js';

/** A database failure the user can be told about plainly (nothing was saved), with its status; null for the rest. */
export function databaseFailure(err: unknown): { status: number; key: string; retryAfter?: number } | null {
  const code = String((err as { code?: unknown } | null)?.code ?? '');
  if (err instanceof DatabaseBusyError)
    return { status: 503, key: 'errors.databaseBusy', retryAfter: err.retryAfterSeconds };
  // SQLite busy beyond the driver's wait (or PostgreSQL's lock_not_available): try again shortly.
  if (/^SQLITE_BUSY|^SQLITE_LOCKED/.test(code) || code === '55P03')
    return { status: 503, key: 'errors.databaseBusy', retryAfter: 5 };
  // Full disk: SQLite, the OS, PostgreSQL's disk_full.
  if (/^SQLITE_FULL/.test(code) || code === 'ENOSPC' || code === '53100')
    return { status: 507, key: 'errors.diskFull' };
  // Read-only file or database (SQLite), read-only transaction on a PostgreSQL standby.
  if (/^SQLITE_READONLY/.test(code) || code === '25006')
    return { status: 503, key: 'errors.databaseReadOnly', retryAfter: 60 };
  return null;
}
