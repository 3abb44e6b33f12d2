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

const QUARTER_HOUR = 15 * 60_000;
const offsets = new Map<string, number>();
/**
 * The zone's offset from UTC (ms) at an instant. Offsets are whole quarter hours and change only on quarter-hour UTC
 * instants, so one formatToParts per zone and quarter hour serves every instant in it (a page lists dozens of times:
 * formatToParts was a tenth of its CPU).
 */
function offsetAt(zone: string, ms: number): number {
  const bucket = Math.floor(ms / QUARTER_HOUR);
  const key = `${zone}|${bucket}`;
  let off = offsets.get(key);
  if (off === undefined) {
    const at = bucket * QUARTER_HOUR;
    const p = Object.fromEntries(
      formatter(zone)
        .formatToParts(new Date(at))
        .map((x) => [x.type, x.value]),
    );
    off = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute)) - at;
    if (offsets.size > 50_000) offsets.clear(); // bounded: a long-running server sees many instants
    offsets.set(key, off);
  }
  return off;
}

const two = (n: number) => String(n).padStart(2, '0');

/** Wall-clock date and time of an instant in a zone: { date: 'YYYY-MM-DD', time: 'HH:MM' }. */
export function wallClock(at: string | Date, zone: string): { date: string; time: string } {
  const ms = (typeof at === 'string' ? new Date(at) : at).getTime();
  if (Number.isNaN(ms)) throw new RangeError('Invalid time value');
  const local = new Date(ms + offsetAt(zone, ms));
  return {
    date: `${String(local.getUTCFullYear()).padStart(4, '0')}-${two(local.getUTCMonth() + 1)}-${two(local.getUTCDate())}`,
    time: `${two(local.getUTCHours())}:${two(local.getUTCMinutes())}`,
  };
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
