import { DEFAULT_TIME_ZONE } from '../../src/domain/time-zone.js';
import type { Verdict } from '../../src/domain/verdicts.js';
import type { Bilingual } from '../lang.js';

// What an audit report says, as plain JSON: assembled by src/reports/audit-model.ts, frozen into the audit revision
// when the audit is issued, and turned into a PDF (and the gap register) by the pure builders in this folder.
export const AUDIT_REPORT_MODEL_VERSION = 1;

export interface ReportAction {
  ref: string;
  description: string;
  owner: string | null;
  dueDate: string | null;
  status: string;
  completedAt: string | null;
}

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
  version: number;
  evidenceIds: number[];
  answeredBy: string | null;
  answeredAt: string | null;
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

export interface ClauseResult {
  id: string;
  title: Bilingual;
  items: number;
  assessed: number;
  counts: Record<Verdict, number>;
  readiness: number;
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
  results: { clauses: ClauseResult[]; overall: number; items: number; assessed: number; progress: number };
  items: ReportItem[];
  findings: ReportFinding[];
  evidence: ReportEvidence[];
}

/** The zone the report's timestamps are read in: the organisation's (the default for snapshots made before). */
export const zoneOf = (m: Pick<AuditReportModel, 'organisation'>): string =>
  m.organisation.timeZone ?? DEFAULT_TIME_ZONE;
