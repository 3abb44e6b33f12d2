import { readiness } from '../../src/domain/readiness.js';
import { TOP_CLAUSES, type Verdict, VERDICTS } from '../../src/domain/verdicts.js';
import type { Bilingual } from '../lang.js';
import {
  AUDIT_REPORT_MODEL_VERSION,
  type AuditRecord,
  type AuditReportModel,
  type ClauseResult,
  type EntryKind,
  type NotCovered,
  type ReportContent,
  type ReportEntry,
  type ReportFinding,
  type ReportItem,
} from './model.js';

// Computes the report model from the record read from the database: pure, so the PDF, the workbook and the Word
// report all read the same counts (issue 15: the summary, the table and the sections of one report never disagree).

const ENTRY_OF_VERDICT: Partial<Record<Verdict, EntryKind>> = {
  major_nc: 'major',
  minor_nc: 'minor',
  observation: 'observation',
  ofi: 'ofi',
};

/** The section a finding is reported in; an ungraded nonconformity (older data) goes with the minor ones. */
export function entryKindOf(f: Pick<ReportFinding, 'kind' | 'grade'>): EntryKind {
  if (f.kind === 'observation' || f.kind === 'ofi') return f.kind;
  return f.grade === 'major' ? 'major' : 'minor';
}

const noCounts = (): Record<Verdict, number> =>
  Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;

export function composeAuditReport(record: AuditRecord): AuditReportModel {
  const { clauseTitles, ...r } = record;
  const title = (id: string): Bilingual => clauseTitles[id] ?? { zh: '', en: '' };
  const rd = readiness(
    r.items.map((i) => ({ clause: i.topClause, verdict: i.verdict, level: i.level })),
    TOP_CLAUSES,
    r.audit.selfAssessment,
  );
  const clauses: ClauseResult[] = rd.byClause.map((c) => ({
    id: c.clause,
    title: title(c.clause),
    items: c.items,
    assessed: c.assessed,
    examined: c.examined,
    notAudited: c.notAudited,
    coverage: c.coverage,
    counts: c.counts,
    readiness: c.examined > 0 ? c.readiness : null,
  }));
  const counts = noCounts();
  for (const c of clauses) for (const v of VERDICTS) counts[v] += c.counts[v];
  const total: ClauseResult = {
    id: '',
    title: { zh: '', en: '' },
    items: rd.items,
    assessed: rd.assessed,
    examined: rd.examined,
    notAudited: rd.notAudited,
    coverage: rd.coverage,
    counts,
    readiness: rd.examined > 0 ? rd.overall : null,
  };

  const itemById = new Map(r.items.map((i) => [i.id, i]));
  const sections: Record<EntryKind, ReportEntry[]> = { major: [], minor: [], observation: [], ofi: [] };
  const reported = new Set<string>();
  for (const f of r.findings) {
    const kind = entryKindOf(f);
    const item = f.requirementId ? itemById.get(f.requirementId) : undefined;
    sections[kind].push({
      origin: 'finding',
      ref: f.ref,
      entryKind: kind,
      requirementId: f.requirementId,
      clauseId: f.clauseId ?? item?.clause ?? null,
      requirementText: item?.text ?? null,
      finding: f,
      notes: item?.notes ?? '',
    });
    if (f.requirementId) reported.add(`${f.requirementId}|${kind}`);
  }
  for (const item of r.items) {
    const kind = ENTRY_OF_VERDICT[item.verdict];
    if (!kind || reported.has(`${item.id}|${kind}`)) continue;
    sections[kind].push({
      origin: 'verdict',
      ref: item.id,
      entryKind: kind,
      requirementId: item.id,
      clauseId: item.clause,
      requirementText: item.text,
      finding: null,
      notes: item.notes,
    });
  }

  const notCovered: NotCovered[] = clauses
    .filter((c) => c.notAudited > 0)
    .map((c) => ({
      clause: c.id,
      title: c.title,
      whole: c.notAudited === c.items,
      items: r.items.filter((i) => i.topClause === c.id && i.verdict === 'not_audited').map((i) => i.id),
    }));

  return {
    modelVersion: AUDIT_REPORT_MODEL_VERSION,
    ...r,
    content: { ...r.content, interviewees: interviewees(r.items), samples: samples(r.items) },
    results: { clauses, total, overall: rd.overall, items: rd.items, assessed: rd.assessed, progress: rd.progress },
    tally: {
      items: total.items,
      examined: total.examined,
      notAudited: total.notAudited,
      coverage: total.coverage,
      readiness: total.readiness,
      major: sections.major.length,
      minor: sections.minor.length,
      observation: sections.observation.length,
      ofi: sections.ofi.length,
    },
    sections,
    notCovered,
  };
}

/** People interviewed, as written on the answers (separated by commas, 、 or new lines), each with their items. */
function interviewees(items: readonly ReportItem[]): ReportContent['interviewees'] {
  const byName = new Map<string, string[]>();
  for (const it of items)
    for (const name of it.interviewees.split(/[,，、;；\n]+/).map((x) => x.trim()))
      if (name) byName.set(name, [...(byName.get(name) ?? []), it.id]);
  return [...byName].map(([name, ids]) => ({ name, items: ids }));
}

function samples(items: readonly ReportItem[]): ReportContent['samples'] {
  return items.flatMap((it) => (it.sample ? [{ itemId: it.id, ...it.sample }] : []));
}

/** The report content of a model frozen before it was recorded: nothing stated. */
export const NO_CONTENT: AuditRecord['content'] = {
  auditClient: '',
  auditeeRepresentative: '',
  sites: [],
  programme: null,
  assignments: [],
  divergingOpinions: [],
  planDeviations: [],
  verifications: null,
  recommendation: '',
  confidentiality: '',
  distribution: [],
  revisionReason: '',
};

/** A model frozen by an earlier version (1: the record with its readiness figures, without the computed parts). */
type FrozenV1 = Omit<AuditRecord, 'clauseTitles'> & {
  modelVersion: 1;
  results: { clauses: { id: string; title: Bilingual; readiness: number }[]; overall: number };
};

/**
 * The model of a frozen snapshot, whatever version froze it. A version-1 snapshot is composed again from its record,
 * keeping the readiness figures it was issued with (the rules have changed since; an issued report does not).
 */
export function frozenModel(stored: { modelVersion?: number }): AuditReportModel | null {
  if (stored.modelVersion === AUDIT_REPORT_MODEL_VERSION) {
    const m = stored as AuditReportModel;
    // Frozen before the report content was recorded: nothing of it is stated.
    return m.content ? m : { ...m, content: { ...NO_CONTENT, interviewees: [], samples: [] }, acceptances: [] };
  }
  if (stored.modelVersion !== 1) return null;
  const { modelVersion: _, results, ...rest } = stored as FrozenV1;
  const m = composeAuditReport({
    ...rest,
    content: NO_CONTENT,
    acceptances: [],
    clauseTitles: Object.fromEntries(results.clauses.map((c) => [c.id, c.title])),
  });
  const issued = new Map(results.clauses.map((c) => [c.id, c.readiness]));
  for (const c of m.results.clauses) c.readiness = issued.get(c.id) ?? c.readiness;
  m.results.overall = m.results.total.readiness = m.tally.readiness = results.overall;
  return m;
}
