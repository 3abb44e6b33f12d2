// What a Chinese user must never read: enum values, field keys or English words (issue 16). Shared by the error
// messages test (test/web/error-language.test.ts) and the Chinese browser journeys, which check whole pages.
const RAW = [
  // verdicts, audit statuses and types, audit actions, NC statuses, roles, finding kinds and grades
  'not_assessed',
  'conforming',
  'minor_nc',
  'major_nc',
  'observation',
  'ofi',
  'not_audited',
  'planned',
  'in_progress',
  'reporting',
  'issued',
  'closed',
  'internal',
  'self_assessment',
  'start',
  'report',
  'issue',
  'revise',
  'reopen',
  'close',
  'open',
  'reaction_recorded',
  'cause_analysed',
  'actions_planned',
  'actions_implemented',
  'effectiveness_reviewed',
  'admin',
  'lead_auditor',
  'auditor',
  'auditee',
  'viewer',
  'nonconformity',
  'major',
  'minor',
];

/** Latin words left after removing what Chinese text legitimately holds (codes, the standard's abbreviations). */
export function rawWords(message: string): string[] {
  const stripped = message.replace(/ISO\/IEC|SMS|SLA|CMDB|PDF|Excel|CSV|\d+(\.\d+)*(-\d+)?/g, ' ');
  const words = stripped.match(/[A-Za-z_]{2,}/g) ?? [];
  return words.filter((w) => RAW.includes(w) || /_/.test(w) || /^[a-z]{3,}$/i.test(w));
}
