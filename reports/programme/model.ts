/** The audits of an organisation's audit programme(s), for the schedule workbook and the calendar feed. */
export interface ProgrammeAudit {
  id: number;
  title: string;
  type: string;
  status: string;
  revision: number;
  programme: string | null;
  plannedStart: string | null;
  plannedEnd: string | null;
  actualStart: string | null;
  actualEnd: string | null;
  scope: string[];
  leadAuditor: string | null;
  team: string[];
  updatedAt: string;
  /** iCalendar SEQUENCE: raised each time the audit's days in the calendar move. */
  sequence: number;
}

export interface ProgrammeModel {
  organisation: { name: string; code: string };
  /** The programme asked for, or null for every audit of the organisation. */
  programme: { id: number; title: string; periodStart: string; periodEnd: string } | null;
  generatedAt: string;
  /** PUBLIC_URL (no trailing slash): event links, and the host that makes UIDs unique across installations. */
  publicUrl: string;
  audits: ProgrammeAudit[];
}
