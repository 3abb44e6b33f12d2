import { day, type Labels } from '../lang.js';
import { type AuditReportModel, zoneOf } from './model.js';
import { revisionLabel, standardName } from './reference.js';

// What the PDF (pdf.ts, sections.ts, appendix.ts) and the Word report (docx.ts) print around the report's body, as
// plain strings: the cover's facts, the running header, the document properties, the sign-off's acceptance lines.
// One list, read by both renderers, so the two documents cannot drift apart.

/** Issued (or closed): the report is the frozen revision, not a draft. */
export const isIssued = (m: AuditReportModel): boolean =>
  m.frozen || m.audit.status === 'issued' || m.audit.status === 'closed';

const span = (from: string | null, to: string | null) => (from || to ? `${day(from)} – ${day(to)}` : '—');

/** The distribution list as edited; by default the auditee, the lead auditor and the team. */
export function distribution(m: AuditReportModel, L: Labels): string[] {
  const a = m.audit;
  if (m.content.distribution.length) return m.content.distribution;
  return [
    L.t('audit.distributionAuditee', { org: m.organisation.name }),
    ...(a.leadAuditor ? [L.t('audit.distributionLead', { name: a.leadAuditor })] : []),
    ...a.team.filter((n) => n !== a.leadAuditor).map((name) => L.t('audit.distributionTeam', { name })),
  ];
}

/** The line under the report's title: the type of audit and, when there is room (one language), the standard. */
export const coverSubtitle = (m: AuditReportModel, L: Labels): string =>
  L.lang === 'both' ? L.t(`types.${m.audit.type}`) : `${L.t(`types.${m.audit.type}`)} · ${L.pick(m.standard.title)}`;

/** The cover's facts, label and value, in the order both documents print them. */
export function coverFacts(m: AuditReportModel, L: Labels): [string, string][] {
  const a = m.audit;
  const c = m.content;
  return [
    [L.t('audit.fields.organisation'), `${m.organisation.name} (${m.organisation.code})`],
    [L.t('audit.auditClient'), c.auditClient || '—'],
    [L.t('audit.auditeeRepresentative'), c.auditeeRepresentative || '—'],
    [L.t('audit.programme'), c.programme ?? '—'],
    [L.t('audit.fields.audit'), a.title],
    [L.t('audit.fields.type'), L.t(`types.${a.type}`)],
    [L.t('audit.fields.standard'), `${L.pick(m.standard.title)} (${m.standard.edition})`],
    [L.t('audit.fields.planned'), span(a.plannedStart, a.plannedEnd)],
    [L.t('audit.fields.actual'), span(a.actualStart, a.actualEnd)],
    [L.t('audit.fields.leadAuditor'), a.leadAuditor ?? '—'],
    [L.t('audit.fields.team'), a.team.join(', ') || '—'],
    [L.t('audit.fields.revision'), revisionLabel(m, L)],
    [
      L.t('audit.fields.status'),
      isIssued(m)
        ? L.t('audit.issuedOn', { date: day(a.issuedAt ?? m.generatedAt, zoneOf(m)) })
        : L.t('audit.draftOn', { date: day(m.generatedAt, zoneOf(m)) }),
    ],
    [L.t('audit.fields.distribution'), distribution(m, L).join('\n')],
  ];
}

/** The confidentiality statement under the cover's facts: as recorded, else the default one. */
export const confidentialityFact = (m: AuditReportModel, L: Labels): [string, string] => [
  L.t('audit.confidentiality'),
  m.content.confidentiality || L.t('audit.confidentialityDefault'),
];

/** The note at the foot of the cover: frozen, or a draft. */
export const coverNote = (m: AuditReportModel, L: Labels): string =>
  isIssued(m) ? L.para('audit.frozenNote') : L.para('audit.draftNote');

/** The running header from page 2 on: organisation, audit, revision (and "draft" until issued). */
export const runningHeader = (m: AuditReportModel, L: Labels): string =>
  `${m.organisation.name} · ${m.audit.title} · ${revisionLabel(m, L)}${isIssued(m) ? '' : ` · ${L.t('audit.draft')}`}`;

/** The document's properties (PDF info dictionary, Word core properties). */
export const documentProperties = (m: AuditReportModel, L: Labels) => ({
  title: `${L.t('audit.title')} — ${m.audit.title}`,
  author: m.audit.leadAuditor ?? m.organisation.name,
  subject: `${m.organisation.name} · ${standardName(m, L)} · ${revisionLabel(m, L)}`,
});

/** Who accepted the report in each role, and when (empty until accepted): the only text an acceptance changes. */
export function acceptedLine(m: AuditReportModel, L: Labels, role: 'leadAuditor' | 'auditeeRepresentative'): string {
  const a = m.acceptances.find((x) => x.role === role);
  return a ? L.t('audit.acceptedBy', { name: a.name, date: day(a.acceptedAt, zoneOf(m)) }) : L.t('audit.notAccepted');
}
