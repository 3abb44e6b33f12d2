import type { Content, TableCell } from 'pdfmake/interfaces.js';
import { day, type Labels } from '../lang.js';
import { heading, table } from '../pdf/style.js';
import { type AuditReportModel, zoneOf } from './model.js';

// The report's statements beside the checklist (ISO 19011 6.5.1, ISO/IEC 17021-1 9.4.8): who was audited where and by
// whom, how it was sampled, what stayed unresolved, what changed from the plan, what became of earlier nonconformities.

const none = (L: Labels, key = 'audit.none'): Content => ({ text: L.t(key), style: 'muted', margin: [0, 0, 0, 6] });

/** Sites, team assignments and people interviewed: section 1, after the scope. */
export function whereAndWho(m: AuditReportModel, L: Labels): Content[] {
  const c = m.content;
  return [
    heading(L.lines('audit.sites'), 'h2'),
    c.sites.length ? { ul: c.sites, margin: [0, 0, 0, 6] } : none(L, 'audit.notRecorded'),
    heading(L.lines('audit.assignments'), 'h2'),
    c.assignments.length
      ? table(
          ['*', '*'],
          [L.t('audit.process'), L.t('audit.auditors')],
          c.assignments.map((a): TableCell[] => [a.process, a.auditors.join(', ')]),
        )
      : none(L, 'audit.notRecorded'),
    heading(L.lines('audit.interviewees'), 'h2'),
    c.interviewees.length
      ? table(
          ['*', '*'],
          [L.t('audit.person'), L.t('audit.items')],
          c.interviewees.map((p): TableCell[] => [p.name, p.items.join(', ')]),
        )
      : none(L, 'audit.notRecorded'),
  ];
}

/** Sampling, diverging opinions, plan deviations, earlier nonconformities, recommendation, revision reason. */
export function statements(m: AuditReportModel, L: Labels): Content[] {
  const c = m.content;
  const zone = zoneOf(m);
  const out: Content[] = [
    heading(L.lines('audit.sampling'), 'h2'),
    { text: L.para('audit.samplingStatement', { n: c.samples.length }), margin: [0, 0, 0, 4] },
    c.samples.length
      ? table(
          [52, '*', 34, '*', '*', '*'],
          [
            L.t('audit.item'),
            L.t('audit.samplePopulation'),
            L.t('audit.sampleSize'),
            L.t('audit.sampleMethod'),
            L.t('audit.sampleReferences'),
            L.t('audit.sampleResult'),
          ],
          c.samples.map((s): TableCell[] => [
            s.itemId,
            s.population || '—',
            { text: s.size === null ? '—' : String(s.size), alignment: 'right' },
            s.method || '—',
            s.references || '—',
            s.result || '—',
          ]),
          { fontSize: 8 },
        )
      : none(L, 'audit.samplingNone'),
    heading(L.lines('audit.diverging'), 'h2'),
    c.divergingOpinions.length
      ? table(
          ['*', '*', '*'],
          [L.t('audit.divergingTopic'), L.t('audit.divergingTeam'), L.t('audit.divergingAuditee')],
          c.divergingOpinions.map((d): TableCell[] => [d.topic, d.teamView || '—', d.auditeeView || '—']),
        )
      : none(L, 'audit.divergingNone'),
    heading(L.lines('audit.planDeviations'), 'h2'),
    c.planDeviations.length
      ? {
          ul: c.planDeviations.map((d) =>
            L.t(`audit.deviation.${d.action}`, {
              session: `${d.date} ${d.start}–${d.end}${d.place ? ` · ${d.place}` : ''}`,
              fields: d.fields.map((f) => L.t(`audit.planFields.${f}`)).join(', '),
              by: d.by ?? '—',
              date: day(d.at, zone),
            }),
          ),
          margin: [0, 0, 0, 6],
        }
      : none(L, 'audit.planDeviationsNone'),
  ];
  if (c.verifications) {
    out.push(
      heading(L.lines('audit.verification'), 'h2'),
      { text: L.t('audit.verificationBaseline', { audit: c.verifications.baseline }), margin: [0, 0, 0, 4] },
      c.verifications.findings.length
        ? table(
            [60, '*', '*', 100],
            [
              L.t('audit.ref'),
              L.t('audit.statementNonconformity'),
              L.t('audit.verified'),
              L.t('audit.verificationResult'),
            ],
            c.verifications.findings.map((f): TableCell[] => [
              { text: `${f.ref}${f.grade ? `\n${L.t(`grades.${f.grade}`)}` : ''}` },
              f.nonconformity || '—',
              f.verified || '—',
              f.result ? L.t(`audit.verificationResults.${f.result}`) : L.t('audit.notVerifiedYet'),
            ]),
            { fontSize: 8 },
          )
        : none(L, 'audit.verificationNone'),
    );
  }
  if (m.audit.type === 'certification_readiness')
    out.push(heading(L.lines('audit.recommendation'), 'h2'), paragraph(c.recommendation, L));
  if (m.audit.revision > 0) out.push(heading(L.lines('audit.revisionReason'), 'h2'), paragraph(c.revisionReason, L));
  return out;
}

const paragraph = (text: string, L: Labels): Content =>
  text.trim()
    ? { text, margin: [0, 0, 0, 6] }
    : { text: L.t('audit.notRecorded'), style: 'muted', italics: true, margin: [0, 0, 0, 6] };
