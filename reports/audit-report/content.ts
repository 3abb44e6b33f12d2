import { day, type Labels } from '../lang.js';
import { type AuditReportModel, zoneOf } from './model.js';

// The report's statements beside the checklist (ISO 19011 6.5.1, ISO/IEC 17021-1 9.4.8): who was audited where and by
// whom, how it was sampled, what stayed unresolved, what changed from the plan, what became of earlier nonconformities.
// Renderer-neutral (headings, lists, tables of strings): the PDF (sections.ts) and the Word report (docx.ts) draw the
// same statements from these.

export type StatementCell = string | { text: string; align: 'right' };
export type StatementPart =
  | { kind: 'list'; items: string[] }
  /** Widths as in the PDF: points, or '*' for a share of what is left. */
  | { kind: 'table'; widths: (number | '*')[]; header: string[]; rows: StatementCell[][]; small?: boolean }
  /** A sentence of the report, or the user's text. */
  | { kind: 'text'; text: string }
  /** Nothing to state: "none" or "not recorded", muted. */
  | { kind: 'empty'; text: string };
export interface Statement {
  /** The heading's lines: one, or the two languages. */
  heading: string[];
  parts: StatementPart[];
}

const empty = (L: Labels, key: string): StatementPart => ({ kind: 'empty', text: L.t(key) });
const userText = (text: string, L: Labels): StatementPart =>
  text.trim() ? { kind: 'text', text } : empty(L, 'audit.notRecorded');

/** Sites, team assignments and people interviewed: section 1, after the scope. */
export function whereAndWho(m: AuditReportModel, L: Labels): Statement[] {
  const c = m.content;
  return [
    {
      heading: L.lines('audit.sites'),
      parts: [c.sites.length ? { kind: 'list', items: c.sites } : empty(L, 'audit.notRecorded')],
    },
    {
      heading: L.lines('audit.assignments'),
      parts: [
        c.assignments.length
          ? {
              kind: 'table',
              widths: ['*', '*'],
              header: [L.t('audit.process'), L.t('audit.auditors')],
              rows: c.assignments.map((a) => [a.process, a.auditors.join(', ')]),
            }
          : empty(L, 'audit.notRecorded'),
      ],
    },
    {
      heading: L.lines('audit.interviewees'),
      parts: [
        c.interviewees.length
          ? {
              kind: 'table',
              widths: ['*', '*'],
              header: [L.t('audit.person'), L.t('audit.items')],
              rows: c.interviewees.map((p) => [p.name, p.items.join(', ')]),
            }
          : empty(L, 'audit.notRecorded'),
      ],
    },
  ];
}

/** Sampling, diverging opinions, plan deviations, earlier nonconformities, recommendation, revision reason. */
/**
 * Areas not covered (ISO 19011 6.5.1): clauses and items set to "not audited in this audit". A draft with items still
 * unassessed says so rather than "every item was examined" (an issued report has none: issue-rules.ts).
 */
export function notCovered(m: AuditReportModel, L: Labels): Statement {
  const lines = m.notCovered.map((c) =>
    c.whole
      ? L.t('audit.notCoveredClause', { clause: `${c.clause} ${L.pick(c.title).replace('\n', ' / ')}` })
      : L.t('audit.notCoveredItems', { clause: c.clause, n: c.items.length, items: c.items.join(', ') }),
  );
  const open = m.results.total.items - m.results.total.assessed;
  if (open > 0) lines.push(L.t('audit.notCoveredOpen', { n: open }));
  return {
    heading: L.lines('audit.notCovered'),
    parts: [lines.length ? { kind: 'list', items: lines } : empty(L, 'audit.notCoveredNone')],
  };
}

export function statements(m: AuditReportModel, L: Labels): Statement[] {
  const c = m.content;
  const zone = zoneOf(m);
  const out: Statement[] = [
    {
      heading: L.lines('audit.sampling'),
      parts: [
        { kind: 'text', text: L.para('audit.samplingStatement', { n: c.samples.length }) },
        c.samples.length
          ? {
              kind: 'table',
              widths: [52, '*', 34, '*', '*', '*'],
              header: [
                L.t('audit.item'),
                L.t('audit.samplePopulation'),
                L.t('audit.sampleSize'),
                L.t('audit.sampleMethod'),
                L.t('audit.sampleReferences'),
                L.t('audit.sampleResult'),
              ],
              rows: c.samples.map((s) => [
                s.itemId,
                s.population || '—',
                { text: s.size === null ? '—' : String(s.size), align: 'right' },
                s.method || '—',
                s.references || '—',
                s.result || '—',
              ]),
              small: true,
            }
          : empty(L, 'audit.samplingNone'),
      ],
    },
    {
      heading: L.lines('audit.diverging'),
      parts: [
        c.divergingOpinions.length
          ? {
              kind: 'table',
              widths: ['*', '*', '*'],
              header: [L.t('audit.divergingTopic'), L.t('audit.divergingTeam'), L.t('audit.divergingAuditee')],
              rows: c.divergingOpinions.map((d) => [d.topic, d.teamView || '—', d.auditeeView || '—']),
            }
          : empty(L, 'audit.divergingNone'),
      ],
    },
    {
      heading: L.lines('audit.planDeviations'),
      parts: [
        c.planDeviations.length
          ? {
              kind: 'list',
              items: c.planDeviations.map((d) =>
                L.t(`audit.deviation.${d.action}`, {
                  session: `${d.date} ${d.start}–${d.end}${d.place ? ` · ${d.place}` : ''}`,
                  fields: d.fields.map((f) => L.t(`audit.planFields.${f}`)).join(', '),
                  by: d.by ?? '—',
                  date: day(d.at, zone),
                }),
              ),
            }
          : empty(L, 'audit.planDeviationsNone'),
      ],
    },
  ];
  if (c.verifications)
    out.push({
      heading: L.lines('audit.verification'),
      parts: [
        { kind: 'text', text: L.t('audit.verificationBaseline', { audit: c.verifications.baseline }) },
        c.verifications.findings.length
          ? {
              kind: 'table',
              widths: [60, '*', '*', 100],
              header: [
                L.t('audit.ref'),
                L.t('audit.statementNonconformity'),
                L.t('audit.verified'),
                L.t('audit.verificationResult'),
              ],
              rows: c.verifications.findings.map((f) => [
                `${f.ref}${f.grade ? `\n${L.t(`grades.${f.grade}`)}` : ''}`,
                f.nonconformity || '—',
                f.verified || '—',
                f.result ? L.t(`audit.verificationResults.${f.result}`) : L.t('audit.notVerifiedYet'),
              ]),
              small: true,
            }
          : empty(L, 'audit.verificationNone'),
      ],
    });
  if (m.audit.type === 'certification_readiness')
    out.push({ heading: L.lines('audit.recommendation'), parts: [userText(c.recommendation, L)] });
  if (m.audit.revision > 0)
    out.push({ heading: L.lines('audit.revisionReason'), parts: [userText(c.revisionReason, L)] });
  return out;
}
