// Calendar dates and clock times in a time zone (IANA names), computed with the platform's Intl data.
// Stored times are UTC ISO text; these turn them into what a person in that zone reads.

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/** Every IANA zone name this runtime knows (for pickers), plus UTC. */
export function timeZoneNames(): string[] {
  return [...new Set([...Intl.supportedValuesOf('timeZone'), 'UTC'])].sort();
}

/** True for a zone name the runtime can compute with (e.g. "Asia/Shanghai", "Europe/Berlin", "UTC"). */
export function isTimeZone(name: string): boolean {
  if (!name || name.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

const partsCache = new Map<string, Intl.DateTimeFormat>();
function formatter(zone: string): Intl.DateTimeFormat {
  let f = partsCache.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    partsCache.set(zone, f);
  }
  return f;
}

/** Wall-clock date and time of an instant in a zone: { date: 'YYYY-MM-DD', time: 'HH:MM' }. */
export function wallClock(at: string | Date, zone: string): { date: string; time: string } {
  const parts = Object.fromEntries(
    formatter(zone)
      .formatToParts(typeof at === 'string' ? new Date(at) : at)
      .map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

/** The calendar date (YYYY-MM-DD) of an instant in a zone: "today" for due and overdue is this of now. */
export function dateIn(at: string | Date, zone: string): string {
  return wallClock(at, zone).date;
}

let listed: Set<string> | undefined;
/**
 * True only for a zone of the IANA list the pickers offer. Legacy abbreviations the runtime also accepts ("CST",
 * "EST5EDT") are refused: "CST" is China, Central (US) or Cuba Standard Time depending on who reads it.
 */
export function isListedTimeZone(name: string): boolean {
  listed ??= new Set(timeZoneNames());
  return listed.has(name);
}
