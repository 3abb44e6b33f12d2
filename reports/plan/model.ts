// What the audit plan documents (PDF for the auditee, .ics for the team) are built from: plain data read on the serving
// thread (src/reports/plan-model.ts).

export interface PlanSessionModel {
  id: number;
  kind: 'opening' | 'session' | 'closing';
  date: string;
  start: string;
  end: string;
  place: string;
  clauses: string[];
  processes: string[];
  auditors: string[];
  auditees: string[];
  attendance: string[];
  /** UTC instants of start and end (the organisation's wall-clock times in its zone). */
  startsAt: string;
  endsAt: string;
  /** iCalendar SEQUENCE: raised each time the session's date or times change. */
  sequence: number;
}

export interface AuditPlanModel {
  organisation: { name: string; code: string; timeZone: string };
  audit: {
    id: number;
    title: string;
    type: string;
    /** The audit type's name in both languages. */
    typeLabel: { zh: string; en: string };
    scope: string[];
    lead: string | null;
    team: string[];
    plannedStart: string | null;
    plannedEnd: string | null;
    objectives: string;
    criteria: string;
  };
  sessions: PlanSessionModel[];
  sharedAt: string | null;
  generatedAt: string;
  /** PUBLIC_URL (no trailing slash): event links, and the host that makes UIDs unique across installations. */
  publicUrl: string;
}
