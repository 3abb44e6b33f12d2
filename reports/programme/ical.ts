import { calendarDays } from '../../src/domain/audit-calendar.js';
import { labels, type Texts } from '../lang.js';
import type { ProgrammeAudit, ProgrammeModel } from './model.js';

// The programme's audits as an iCalendar feed (RFC 5545) a calendar can subscribe to: one all-day VEVENT per dated
// audit, CRLF line endings, content lines folded at 75 octets. Pure: model in, text out.

const CRLF = '\r\n';

/**
 * TEXT escaping (RFC 5545 3.3.11): backslash, semicolon, comma; every line break — CRLF, LF and a lone CR, which a
 * calendar reads as a line end too — becomes \n. Other control characters (TEXT allows none but tab) are dropped,
 * so no value can start a property line of its own.
 */
export const escapeText = (s: string) =>
  s
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n')
    .replace(/\p{Cc}/gu, (c) => (c === '\t' ? c : ''));

/** Folds a content line into chunks of at most 75 octets, never inside a UTF-8 character; continuations start with a space. */
export function fold(line: string): string {
  const out: string[] = [];
  let cur = '';
  let octets = 0;
  for (const ch of line) {
    const n = Buffer.byteLength(ch, 'utf8');
    const limit = out.length === 0 ? 75 : 74; // a continuation line's leading space counts
    if (octets + n > limit) {
      out.push(cur);
      cur = '';
      octets = 0;
    }
    cur += ch;
    octets += n;
  }
  out.push(cur);
  return out.join(`${CRLF} `);
}

const basicDate = (d: string) => d.slice(0, 10).replace(/-/g, '');
const nextDay = (d: string) =>
  new Date(Date.parse(`${d.slice(0, 10)}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
const stamp = (iso: string) => `${new Date(iso).toISOString().replace(/[-:]/g, '').slice(0, 15)}Z`;

/**
 * The host of PUBLIC_URL, the right-hand side of every UID (RFC 5545 3.8.4.7 suggests a domain name): two
 * installations both have an audit 1, never the same host. A port stays, as a dot-separated part.
 */
export const uidHost = (publicUrl: string) => new URL(publicUrl).host.toLowerCase().replace(':', '.');

function event(a: ProgrammeAudit, m: ProgrammeModel, L: ReturnType<typeof labels>): string[] | null {
  const days = calendarDays(a);
  if (!days) return null;
  const description = [
    `${L.t('programme.type')}: ${L.t(`types.${a.type}`)}`,
    `${L.t('programme.status')}: ${L.t(`auditStatus.${a.status}`)}`,
    `${L.t('programme.scope')}: ${a.scope.join(', ')}`,
    a.leadAuditor ? `${L.t('programme.lead')}: ${a.leadAuditor}` : '',
    a.team.length ? `${L.t('programme.team')}: ${a.team.join(', ')}` : '',
    a.programme ? `${L.t('programme.programme')}: ${a.programme}` : '',
  ]
    .filter(Boolean)
    .join('\n');
  return [
    'BEGIN:VEVENT',
    `UID:audit-${a.id}@${uidHost(m.publicUrl)}`,
    `DTSTAMP:${stamp(m.generatedAt)}`,
    `DTSTART;VALUE=DATE:${basicDate(days.first)}`,
    `DTEND;VALUE=DATE:${basicDate(nextDay(days.last))}`, // exclusive: the day after the last audit day
    `SUMMARY:${escapeText(`${a.title} (${m.organisation.code})`)}`,
    `DESCRIPTION:${escapeText(description)}`,
    `CATEGORIES:${escapeText(L.t(`types.${a.type}`))}`,
    `STATUS:${a.status === 'planned' ? 'TENTATIVE' : 'CONFIRMED'}`,
    `SEQUENCE:${a.sequence}`,
    `LAST-MODIFIED:${stamp(a.updatedAt)}`,
    `URL:${m.publicUrl}/audits/${a.id}`,
    'TRANSP:TRANSPARENT',
    'END:VEVENT',
  ];
}

export function programmeCalendar(m: ProgrammeModel, texts: Texts, lang: 'zh' | 'en'): string {
  const L = labels(texts, lang);
  const name = m.programme
    ? `${m.organisation.name} — ${m.programme.title}`
    : `${m.organisation.name} — ${L.t('programme.calendarName')}`;
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//ISO-IEC 20000-1 audit workbench//Audit programme//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(name)}`,
    'X-PUBLISHED-TTL:PT6H',
    ...m.audits.flatMap((a) => event(a, m, L) ?? []),
    'END:VCALENDAR',
  ];
  return lines.map(fold).join(CRLF) + CRLF;
}
