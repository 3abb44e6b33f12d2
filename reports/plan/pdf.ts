import type { Content, TableCell, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import { day, type Tr } from '../lang.js';
import { baseDocument, facts, MUTED, NAVY, table } from '../pdf/style.js';
import type { AuditPlanModel, PlanSessionModel } from './model.js';

// The audit plan sent to the auditee (ISO 19011 6.3.2): the audit's objectives, criteria and scope, then the timetable
// day by day — times, what is covered, where, and who takes part. Pure: model in, pdfmake definition out.

function dayTable(sessions: PlanSessionModel[], t: Tr): Content {
  const rows: TableCell[][] = sessions.map((s) => [
    { text: `${s.start}–${s.end}`, noWrap: true },
    { text: t(`kinds.${s.kind}`), bold: s.kind !== 'session' },
    [s.clauses.join(', '), s.processes.join(', ')].filter(Boolean).join('\n'),
    s.place,
    s.auditors.join(', '),
    s.kind !== 'session' && s.attendance.length
      ? `${t('attended')}: ${s.attendance.join(', ')}`
      : s.auditees.join(', '),
  ]);
  return table(
    [62, 96, '*', 110, 90, 120],
    [
      t('fields.time'),
      t('fields.kind'),
      `${t('fields.clauses')} / ${t('fields.processIds')}`,
      t('fields.place'),
      t('fields.auditorIds'),
      t('fields.people'),
    ],
    rows,
    { margin: [0, 0, 0, 10] },
  );
}

/** `t` translates keys under `plan.` in the document's language. */
export function auditPlanPdf(m: AuditPlanModel, t: Tr, lang: 'zh' | 'en'): TDocumentDefinitions {
  const a = m.audit;
  const days: { date: string; sessions: PlanSessionModel[] }[] = [];
  for (const s of m.sessions) {
    const last = days[days.length - 1];
    if (last && last.date === s.date) last.sessions.push(s);
    else days.push({ date: s.date, sessions: [s] });
  }
  return {
    ...baseDocument(),
    pageOrientation: 'landscape',
    info: {
      title: `${t('doc.title')} — ${a.title}`,
      author: m.organisation.name,
      subject: `${m.organisation.name} · ISO/IEC 20000-1:2018`,
      creator: 'ISO/IEC 20000-1 audit workbench',
      creationDate: new Date(m.generatedAt),
    },
    language: lang === 'en' ? 'en' : 'zh-CN',
    footer: (page, pages) => ({
      margin: [40, 12, 40, 0],
      columns: [
        { text: `${m.organisation.code} · ${a.title}`, fontSize: 7.5, color: MUTED },
        { text: t('doc.pageOf', { page, pages }), alignment: 'right', fontSize: 7.5, color: MUTED },
      ],
    }),
    content: [
      { text: m.organisation.name, style: 'subtitle', margin: [0, 0, 0, 4] },
      { text: t('doc.title'), style: 'title', fontSize: 20 },
      { text: a.title, fontSize: 13, color: NAVY, margin: [0, 6, 0, 10] },
      facts([
        [t('doc.type'), a.typeLabel[lang]],
        [t('doc.scope'), a.scope.join(', ')],
        [t('doc.dates'), a.plannedStart ? `${day(a.plannedStart)} – ${day(a.plannedEnd)}` : '—'],
        [t('doc.lead'), a.lead ?? '—'],
        [t('doc.team'), a.team.join(', ') || '—'],
        [t('doc.objectives'), a.objectives],
        [t('doc.criteria'), a.criteria],
        [t('doc.timeZone'), m.organisation.timeZone],
        [t('doc.sharedAt'), m.sharedAt ? day(m.sharedAt) : t('doc.notShared')],
        [t('doc.generated'), day(m.generatedAt)],
      ]),
      { text: t('timetable'), style: 'h1', margin: [0, 14, 0, 6] },
      ...(days.length
        ? days.flatMap((d): Content[] => [
            { text: d.date, bold: true, color: NAVY, margin: [0, 4, 0, 4] },
            dayTable(d.sessions, t),
          ])
        : [{ text: t('empty'), style: 'muted' } as Content]),
    ],
  };
}
