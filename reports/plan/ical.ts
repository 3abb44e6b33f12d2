import { escapeText, fold, uidHost } from '../programme/ical.js';
import type { Tr } from '../lang.js';
import type { AuditPlanModel, PlanSessionModel } from './model.js';

// The audit plan as an iCalendar file for the team (RFC 5545): one VEVENT per session, times in UTC (the plan's
// wall-clock times are the organisation's, converted on the serving thread), TEXT values escaped, lines folded at
// 75 octets, CRLF line endings. Pure: model in, text out.

const CRLF = '\r\n';
const utc = (iso: string) => `${new Date(iso).toISOString().replace(/[-:]/g, '').slice(0, 15)}Z`;

function event(s: PlanSessionModel, m: AuditPlanModel, t: Tr): string[] {
  const kind = t(`kinds.${s.kind}`);
  const description = [
    s.clauses.length ? `${t('fields.clauses')}: ${s.clauses.join(', ')}` : '',
    s.processes.length ? `${t('fields.processIds')}: ${s.processes.join(', ')}` : '',
    s.auditors.length ? `${t('fields.auditorIds')}: ${s.auditors.join(', ')}` : '',
    s.auditees.length ? `${t('fields.people')}: ${s.auditees.join(', ')}` : '',
    s.attendance.length ? `${t('attended')}: ${s.attendance.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join('\n');
  return [
    'BEGIN:VEVENT',
    `UID:audit-${m.audit.id}-plan-${s.id}@${uidHost(m.publicUrl)}`,
    `DTSTAMP:${utc(m.generatedAt)}`,
    `DTSTART:${utc(s.startsAt)}`,
    `DTEND:${utc(s.endsAt)}`,
    `SUMMARY:${escapeText(`${kind}${s.clauses.length ? ` ${s.clauses.join(', ')}` : ''} — ${m.audit.title}`)}`,
    ...(s.place ? [`LOCATION:${escapeText(s.place)}`] : []),
    ...(description ? [`DESCRIPTION:${escapeText(description)}`] : []),
    `SEQUENCE:${s.sequence}`,
    `STATUS:${m.sharedAt ? 'CONFIRMED' : 'TENTATIVE'}`,
    `URL:${m.publicUrl}/audits/${m.audit.id}/plan`,
    'END:VEVENT',
  ];
}

/** `t` translates keys under `plan.` in one language. */
export function auditPlanCalendar(m: AuditPlanModel, t: Tr): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//ISO-IEC 20000-1 audit workbench//Audit plan//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(`${t('doc.calendarName')} — ${m.audit.title}`)}`,
    ...m.sessions.flatMap((s) => event(s, m, t)),
    'END:VCALENDAR',
  ];
  return lines.map(fold).join(CRLF) + CRLF;
}
