import { DEFAULT_TIME_ZONE } from '../../src/domain/time-zone.js';
import type { Verdict } from '../../src/domain/verdicts.js';
import type { Bilingual } from '../lang.js';

// The audit report model: everything a rendering of one audit revision says, computed once, as plain JSON (no
// pdfmake or exceljs types). Read from the database by src/reports/audit-model.ts, computed by compose.ts, frozen
// into the audit revision when the audit is issued, and read by every renderer (the PDF in this folder, the gap
// register workbook, later the Word report): a number is never counted twice, so two documents never disagree.
export const AUDIT_REPORT_MODEL_VERSION = 2;

export interface ReportAction {
  ref: string;
  description: string;
  owner: string | null;
  dueDate: string | null;
  status: string;
  completedAt: string | null;
}

/** A finding raised in this audit (findings from other sources, without an audit, never appear). */
export interface ReportFinding {
  ref: string;
  kind: 'nonconformity' | 'observation' | 'ofi' | string;
  grade: 'major' | 'minor' | null | string;
  requirementId: string | null;
  clauseId: string | null;
  statement: { requirement: string; evidence: string; nonconformity: string };
  status: string;
  owner: string | null;
  dueDate: string | null;
  raisedOn: string;
  closedAt: string | null;
  /** The process, service and other party concerned (absent in models frozen before they were recorded). */
  process?: string | null;
  service?: string | null;
  otherParty?: string | null;
  actions: ReportAction[];
}

export interface ReportItem {
  id: string;
  clause: string;
  topClause: string;
  text: Bilingual;
  documentedInformation: { type: string; what: Bilingual | null };
  verdict: Verdict;
  level: number | null;
  notes: string;
  samples: string;
  interviewees: string;
  /** The sample recorded on the answer (absent in models frozen before it was recorded). */
  sample?: ItemSampleData | null;
  version: number;
  evidenceIds: number[];
  answeredBy: string | null;
  answeredAt: string | null;
}

export interface ItemSampleData {
  population: string;
  size: number | null;
  method: string;
  references: string;
  result: string;
}

export interface ReportEvidence {
  id: number;
  title: string;
  kind: string;
  version: string;
  owner: string;
  approvedOn: string | null;
  sha256: string | null;
  fileName: string | null;
  location: string;
  itemIds: string[];
}

/** Verdict counts of one top-level clause (or of the whole audit: `AuditResults.total`). */
export interface ClauseResult {
  id: string;
  title: Bilingual;
  /** Items in scope. */
  items: number;
  /** Items with a decision (not_audited included): the fieldwork's progress. */
  assessed: number;
  /** Items examined (a verdict other than not assessed / not audited): readiness is computed over these. */
  examined: number;
  notAudited: number;
  /** examined ÷ items, 0–100, one decimal. */
  coverage: number;
  counts: Record<Verdict, number>;
  /**
   * 0–100, one decimal, over the items examined; capped at 59.9 where a major nonconformity is held
   * (docs/readiness.md). Null when nothing was examined: a clause not covered has no readiness, not 0 %.
   */
  readiness: number | null;
}

export interface AuditResults {
  clauses: ClauseResult[];
  /** The same figures over every item in scope: the table's last row, the chart's last bar. */
  total: ClauseResult;
  /** `total.readiness`, 0 when nothing was examined (kept for the questionnaire and older readers). */
  overall: number;
  items: number;
  assessed: number;
  progress: number;
}

export type EntryKind = 'major' | 'minor' | 'observation' | 'ofi';

/**
 * One entry of the report's nonconformity, observation and OFI sections: a finding of the audit, or a checklist
 * verdict (minor/major NC, observation, OFI) for which no finding of that kind was written, so that no verdict is
 * reported silently.
 */
export interface ReportEntry {
  origin: 'finding' | 'verdict';
  /** The finding's ref; for a verdict without a finding, the checklist item's id. */
  ref: string;
  entryKind: EntryKind;
  requirementId: string | null;
  clauseId: string | null;
  /** The checklist item's text, when the entry names an item. */
  requirementText: Bilingual | null;
  /** The finding; null for a verdict without one (the item's notes say what was seen). */
  finding: ReportFinding | null;
  /** The auditor's notes on the item (empty for a finding not tied to an item). */
  notes: string;
}

/** The numbers the summary states; each equals a count of rows somewhere else in the same model. */
export interface ReportTally {
  /** Items in scope, examined, not audited: `results.total`. */
  items: number;
  examined: number;
  notAudited: number;
  coverage: number;
  readiness: number | null;
  /** Entries of each section: `sections.<kind>.length`. */
  major: number;
  minor: number;
  observation: number;
  ofi: number;
}

/** In-scope items set to "not audited in this audit", per top-level clause: the areas not covered. */
export interface NotCovered {
  clause: string;
  title: Bilingual;
  /** True when no item of the clause was examined. */
  whole: boolean;
  items: string[];
}

/** A plan session changed after the plan was shared with the auditee: a deviation from the audit plan. */
export interface ReportPlanDeviation {
  action: 'create' | 'update' | 'delete';
  /** The session as it stands after the change (as it stood, for a removal). */
  date: string;
  start: string;
  end: string;
  place: string;
  /** Plan fields changed (src/domain/audit-plan.ts PLAN_FIELDS); empty for an added or removed session. */
  fields: string[];
  by: string | null;
  at: string;
}

/** An earlier audit's nonconformity and what this (follow-up or surveillance) audit verified of it. */
export interface ReportVerification {
  findingId: number;
  ref: string;
  grade: string | null;
  requirementId: string | null;
  nonconformity: string;
  status: string;
  verified: string;
  /** effective | not_effective | not_verified; null when nothing was recorded yet. */
  result: string | null;
}

/** What the report states beside the checklist (ISO 19011 6.5.1, ISO/IEC 17021-1 9.4.8). */
export interface ReportContent {
  /** Who commissioned the audit, and who represented the auditee. */
  auditClient: string;
  auditeeRepresentative: string;
  /** Sites and places audited: those recorded on the audit, then the plan sessions' places. */
  sites: string[];
  /** The audit programme the audit belongs to. */
  programme: string | null;
  /** Who covered which process. */
  assignments: { process: string; auditors: string[] }[];
  /** People interviewed, from the answers, with the items they were interviewed on. */
  interviewees: { name: string; items: string[] }[];
  /** The samples recorded on the answers; the sampling statement is built from them. */
  samples: ({ itemId: string } & ItemSampleData)[];
  /** Unresolved diverging opinions between team and auditee; an empty list is stated as "none". */
  divergingOpinions: { topic: string; teamView: string; auditeeView: string }[];
  planDeviations: ReportPlanDeviation[];
  /** The baseline audit's nonconformities verified; null when the audit follows no earlier audit. */
  verifications: { baseline: string; findings: ReportVerification[] } | null;
  /** For certification-readiness audits. */
  recommendation: string;
  confidentiality: string;
  /** As edited; empty means the default (the auditee, the lead auditor and the team). */
  distribution: string[];
  /** Why this revision was made (every revision after the first). */
  revisionReason: string;
}

/** Acceptance of the report by the lead auditor and, optionally, the auditee's representative. */
export interface ReportAcceptance {
  role: 'leadAuditor' | 'auditeeRepresentative';
  name: string;
  acceptedAt: string;
}

export interface AuditReportModel {
  modelVersion: number;
  /** When the model was taken: the issue time for a frozen report. */
  generatedAt: string;
  frozen: boolean;
  organisation: {
    name: string;
    code: string;
    scopeStatement: string;
    managingOrganisation: string;
    /** Where the report's dates are read; absent in snapshots frozen before it was recorded. */
    timeZone?: string;
  };
  standard: { code: string; title: Bilingual; edition: string };
  audit: {
    id: number;
    title: string;
    type: string;
    status: string;
    revision: number;
    objectives: string;
    criteria: string;
    summary: string;
    conclusion: string;
    plannedStart: string | null;
    plannedEnd: string | null;
    actualStart: string | null;
    actualEnd: string | null;
    issuedAt: string | null;
    leadAuditor: string | null;
    team: string[];
    selfAssessment: boolean;
    scope: { clauses: { id: string; title: Bilingual }[]; processes: string[]; services: string[] };
  };
  content: ReportContent;
  /** Recorded after issue (an acceptance is not a change of what the revision says); read in at every download. */
  acceptances: ReportAcceptance[];
  results: AuditResults;
  tally: ReportTally;
  sections: Record<EntryKind, ReportEntry[]>;
  notCovered: NotCovered[];
  items: ReportItem[];
  findings: ReportFinding[];
  evidence: ReportEvidence[];
}

/** What is read from the database; compose.ts computes the rest. */
export type AuditRecord = Omit<
  AuditReportModel,
  'modelVersion' | 'results' | 'tally' | 'sections' | 'notCovered' | 'content'
> & {
  content: Omit<ReportContent, 'interviewees' | 'samples'>;
  /** Titles of the top-level clauses 4–10. */
  clauseTitles: Record<string, Bilingual>;
};

/** The zone the report's timestamps are read in: the organisation's (the default for snapshots made before). */
export const zoneOf = (m: Pick<AuditReportModel, 'organisation'>): string =>
  m.organisation.timeZone ?? DEFAULT_TIME_ZONE;
