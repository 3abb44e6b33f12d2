import type { Generated, Insertable, Selectable } from 'kysely';

// Timestamps are ISO-8601 text written by the app, so SQLite and PostgreSQL store the same thing.
// Booleans are integers 0/1 on both databases.

export interface UserTable {
  id: Generated<number>;
  email: string;
  display_name: string;
  password_hash: string;
  must_change_password: number;
  is_admin: number;
  locale: string | null;
  created_at: string;
  disabled_at: string | null;
  /** The user's own zone for their pages; null = the organisation's (migration 011). */
  time_zone: string | null;
  /** 1 = show the requirement's text in the other language under the user's own (migration 018). */
  show_other_language: Generated<number>;
  /** Notification e-mail: 'each' event, a daily 'digest', or 'off' (migration 025). */
  mail_mode: Generated<string>;
  /** The user's calendar day of the last digest sent (one instance claims each day). */
  mail_digest_on: Generated<string | null>;
}

/** A kind of notification the user receives in the app but not by e-mail (migration 025). */
export interface MailUnsubscribeTable {
  user_id: number;
  kind: string;
}

export interface SessionTable {
  id: string; // sha256 of the cookie value: a leaked database does not leak live sessions
  user_id: number;
  created_at: string;
  expires_at: string;
  /** How the session was opened: password | password+totp | oidc (migration 029). */
  via: Generated<string>;
}

/** A user's TOTP second factor (migration 029): the secret encrypted; unconfirmed until a first code is right. */
export interface SecondFactorTable {
  user_id: number;
  secret_box: string;
  confirmed_at: string | null;
  /** The last accepted TOTP time step: a code is not accepted twice. */
  last_time_step: number | null;
  created_at: string;
}

export interface RecoveryCodeTable {
  id: Generated<number>;
  user_id: number;
  code_hash: string;
  used_at: string | null;
}

/** Password right, second factor still to come: named by the sha256 of a cookie of that browser. */
export interface PendingSignInTable {
  id: string;
  user_id: number;
  next: Generated<string>;
  expires_at: string;
}

export interface ApiTokenTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  token_hash: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
  /** 'api' (Authorization header, the whole API) or 'calendar' (`?token=` on the .ics feed only). */
  scope: Generated<string>;
  /** A calendar token's organisation: the one feed it opens (migration 013); null for API tokens. */
  organization_id: number | null;
}

/** One counted key of the sign-in throttle (migration 012): "ip:<addr>", "account:<email>", "pair:<email> <addr>". */
export interface SignInThrottleTable {
  key: string;
  failures: number;
  last_at: string;
  previous_at: string | null;
}

export interface OrganizationTable {
  id: Generated<number>;
  name: string;
  code: string;
  default_locale: string;
  scope_statement: string;
  scope_managing_org: string;
  created_at: string;
  /** IANA zone in which dates are shown and "due"/"overdue" computed (migration 011). */
  time_zone: Generated<string>;
  /** When the SMS started operating (YYYY-MM-DD; migration 023): certification readiness counts three months from it. */
  sms_started_on: Generated<string | null>;
}

export interface MembershipTable {
  id: Generated<number>;
  organization_id: number;
  user_id: number;
  role: string;
  created_at: string;
}

/** A pending invitation to an organisation (migration 028): the person joins when they accept it, signed in. */
export interface InvitationTable {
  id: Generated<number>;
  organization_id: number;
  email: string;
  role: string;
  invited_by: number | null;
  created_at: string;
}

export interface ServiceTable {
  id: Generated<number>;
  organization_id: number;
  name: string;
  description: string;
  in_scope: number;
  created_at: string;
}

export interface ProcessTable {
  id: Generated<number>;
  organization_id: number;
  name: string;
  clause_id: string | null;
  owner_user_id: number | null;
  owner_name: string;
  importance: string;
  description: Generated<string>;
  created_at: string;
}

export interface OtherPartyTable {
  id: Generated<number>;
  organization_id: number;
  name: string;
  party_type: string;
  operates: string;
  description: string;
  created_at: string;
}

export interface AuditTrailTable {
  id: Generated<number>;
  organization_id: number | null;
  user_id: number | null;
  action: string; // create | update | delete
  entity: string;
  entity_id: string;
  before_json: string | null;
  after_json: string | null;
  at: string;
}

export interface ChecklistVersionTable {
  id: Generated<number>;
  standard_code: string;
  edition: string;
  title_zh: string;
  title_en: string;
  exclusion_zh: string;
  exclusion_en: string;
  content_hash: string;
  created_at: string;
}

/** A checklist file's bytes (SHA-256) already loaded as a version: start-up skips parsing a known file. */
export interface ChecklistSourceTable {
  source_hash: string;
  version_id: number;
  file_name: string;
  loaded_at: string;
}

export interface ClauseTable {
  version_id: number;
  id: string;
  parent_id: string | null;
  title_zh: string;
  title_en: string;
  position: number;
  /** 'standard' or 'editorial': the standard gives this numbered paragraph no title, the title is ours (018). */
  title_source: Generated<string>;
}

export interface RequirementTable {
  version_id: number;
  id: string;
  clause_id: string;
  top_clause: string;
  text_zh: string;
  text_en: string;
  note_zh: string | null; // translator's note, where the published Chinese translation slips
  note_en: string | null;
  doc_type: string;
  doc_what_zh: string | null;
  doc_what_en: string | null;
  doc_catalogue: string | null;
  evidence_json: string;
  questions_json: string;
  references_json: string;
  annex_sl: number;
  position: number;
  search_text: string; // lower-cased id, zh and en text: substring search that works alike on SQLite and PostgreSQL
}

export interface DocCatalogueEntryTable {
  version_id: number;
  key: string;
  title_zh: string;
  title_en: string;
  position: number;
}

export interface AuditProgrammeTable {
  id: Generated<number>;
  organization_id: number;
  title: string;
  period_start: string;
  period_end: string;
  objectives: string;
  criteria: string;
  frequency: string;
  methods: string;
  responsibilities: string;
  planning_requirements: string;
  reporting: string;
  process_importance: string;
  changes_affecting: string;
  previous_results: string;
  created_at: string;
  updated_at: string;
}

export interface AuditTable {
  id: Generated<number>;
  organization_id: number;
  programme_id: number | null;
  checklist_version_id: number;
  baseline_audit_id: number | null;
  title: string;
  type: string;
  status: string;
  scope_clauses: string;
  scope_processes: string;
  scope_services: string;
  criteria: string;
  objectives: string;
  lead_auditor_id: number | null;
  planned_start: string | null;
  planned_end: string | null;
  actual_start: string | null;
  actual_end: string | null;
  summary: Generated<string>;
  conclusion: Generated<string>;
  revision: Generated<number>;
  issued_at: string | null;
  /** Report content (migration 015); the *_json columns hold JSON arrays. */
  audit_client: Generated<string>;
  auditee_representative: Generated<string>;
  sites_json: Generated<string>;
  diverging_opinions_json: Generated<string>;
  verifications_json: Generated<string>;
  recommendation: Generated<string>;
  confidentiality: Generated<string>;
  distribution_json: Generated<string>;
  revision_reason: Generated<string>;
  created_by: number | null;
  created_at: string;
  updated_at: string;
  /** iCalendar SEQUENCE of the audit's event in the programme feed: raised when its days move (migration 033). */
  calendar_sequence: Generated<number>;
}

export interface AuditTeamTable {
  audit_id: number;
  user_id: number;
}

/** A session of the audit plan (ISO 19011 6.3.2); opening and closing meetings carry their attendance. */
export interface AuditPlanSessionTable {
  id: Generated<number>;
  audit_id: number;
  kind: Generated<string>;
  session_date: string;
  start_time: string;
  end_time: string;
  place: Generated<string>;
  clauses_json: Generated<string>;
  process_ids_json: Generated<string>;
  auditor_ids_json: Generated<string>;
  auditees_json: Generated<string>;
  attendance_json: Generated<string>;
  created_at: Generated<string>;
  updated_at: Generated<string>;
  /** iCalendar SEQUENCE of the session's event: raised when its date or times change (migration 033). */
  calendar_sequence: Generated<number>;
}

export interface AuditPlanShareTable {
  id: Generated<number>;
  audit_id: number;
  shared_at: string;
  shared_by: number | null;
}

/** A change to the plan after it was shared: what the report lists as a deviation from the plan. */
export interface AuditPlanChangeTable {
  id: Generated<number>;
  audit_id: number;
  session_id: number;
  action: string;
  before_json: string | null;
  after_json: string | null;
  changed_by: number | null;
  changed_at: string;
}

export interface AuditAcceptanceTable {
  id: Generated<number>;
  audit_id: number;
  revision: number;
  role: string;
  name: string;
  recorded_by: number | null;
  accepted_at: Generated<string>;
}

export interface AuditAssignmentTable {
  audit_id: number;
  process_id: number;
  auditor_id: number;
}

export interface AuditResponseTable {
  id: Generated<number>;
  audit_id: number;
  requirement_id: string;
  verdict: string;
  implementation_level: number | null;
  notes: string;
  samples: string;
  interviewees: string;
  /** The sample as JSON, '' when none (migration 016). */
  sample_json: Generated<string>;
  version: number;
  answered_by: number | null;
  answered_at: string | null;
}

export interface AuditRevisionTable {
  audit_id: number;
  revision: number;
  snapshot_json: string;
  issued_at: string;
  issued_by: number | null;
}

export interface EvidenceFileTable {
  id: Generated<number>;
  organization_id: number;
  sha256: string;
  size: number;
  media_type: string;
  content: Buffer;
  created_at: string;
}

export interface EvidenceTable {
  id: Generated<number>;
  organization_id: number;
  title: string;
  kind: string;
  version_label: string;
  owner: string;
  approved_on: string | null;
  next_review_on: string | null;
  location: string;
  description: string;
  file_id: number | null;
  file_name: string | null;
  created_by: number | null;
  created_at: string;
  updated_at: string;
}

export interface EvidenceRequirementTable {
  evidence_id: number;
  requirement_id: string;
}

export interface ResponseEvidenceTable {
  response_id: number;
  evidence_id: number;
}

// ---- findings, nonconformities and actions (10.1), improvement (10.2), management review (9.3) ----

/** When a background job last finished a run (migration 037; src/notifications/jobs.ts). */
export interface JobRunTable {
  name: string;
  finished_at: string;
}

export interface OrganizationSettingTable {
  organization_id: number;
  major_due_days: number;
  minor_due_days: number;
  updated_at: string;
  /** Days from raising a nonconformity within which its owner is expected to propose (migration 022). */
  proposal_due_days: Generated<number>;
}

export interface FindingTable {
  id: Generated<number>;
  organization_id: number;
  ref: string;
  seq: number;
  audit_id: number | null;
  response_id: number | null;
  requirement_id: string | null;
  clause_id: string | null;
  source: string;
  source_reference: string;
  kind: string;
  grade: string | null;
  statement_requirement: string;
  statement_evidence: string;
  statement_nonconformity: string;
  owner_user_id: number | null;
  process_id: number | null;
  service_id: number | null;
  other_party_id: number | null;
  due_date: string | null;
  status: string;
  round: number;
  raised_by: number | null;
  raised_on: string;
  closed_at: string | null;
  created_at: string;
  updated_at: string;
  /** When and by whom the owner acknowledged it (migration 022). */
  acknowledged_at: Generated<string | null>;
  acknowledged_by: Generated<number | null>;
}

/** An owner's proposal for one step of 10.1 (reaction, cause, actions), accepted or returned by an auditor. */
export interface NcProposalTable {
  id: Generated<number>;
  organization_id: number;
  finding_id: number;
  step: string;
  round: number;
  fields_json: string;
  status: string;
  proposed_by: number | null;
  proposed_at: string;
  decided_by: number | null;
  decided_at: string | null;
  comment: Generated<string>;
}

export interface ActionEvidenceTable {
  action_id: number;
  evidence_id: number;
}

export interface NcTransitionTable {
  id: Generated<number>;
  organization_id: number;
  finding_id: number;
  from_status: string;
  to_status: string;
  requested: string;
  round: number;
  fields_json: string;
  user_id: number | null;
  at: string;
}

export interface ActionItemTable {
  id: Generated<number>;
  organization_id: number;
  ref: string;
  finding_id: number | null;
  review_id: number | null;
  output_type: string | null;
  description: string;
  owner_user_id: number | null;
  due_date: string | null;
  status: string;
  sms_change: number;
  round: number;
  created_by: number | null;
  created_at: string;
  updated_at: string;
  completed_at: string | null;
  /** How it was completed: the date (organisation's calendar) and a note (migration 022). */
  completed_on: Generated<string | null>;
  completion_note: Generated<string>;
}

export interface ManagementReviewTable {
  id: Generated<number>;
  organization_id: number;
  ref: string;
  seq: number;
  title: string;
  held_on: string;
  period_start: string;
  period_end: string;
  attendees: string;
  narratives_json: string;
  minutes: string;
  created_by: number | null;
  created_at: string;
  updated_at: string;
}

export interface ImprovementTable {
  id: Generated<number>;
  organization_id: number;
  ref: string;
  seq: number;
  title: string;
  description: string;
  source: string;
  finding_id: number | null;
  review_id: number | null;
  evaluation_criteria: string;
  decision: string;
  decision_notes: string;
  targets_json: string;
  target: string;
  priority: string;
  plan: string;
  owner_user_id: number | null;
  due_date: string | null;
  status: string;
  measured_result: string;
  target_met: string;
  sms_change: number;
  created_by: number | null;
  created_at: string;
  updated_at: string;
}

export interface FeedbackTable {
  id: Generated<number>;
  organization_id: number;
  received_on: string;
  party: string;
  party_name: string;
  kind: string;
  summary: string;
  service_id: number | null;
  created_by: number | null;
  created_at: string;
}

/** One notification for one user (migration 024): text rendered from kind + params in the reader's language. */
export interface NotificationTable {
  id: Generated<number>;
  user_id: number;
  organization_id: number | null;
  kind: string;
  params_json: string;
  url: string;
  /** Reminders: unique per user (kind, subject, due date, step), so each is inserted once; null for events. */
  dedupe_key: string | null;
  created_at: string;
  read_at: string | null;
  /** new | sending | sent | digest | skipped (migration 024) */
  mail_state: Generated<string>;
  mail_claimed_at: Generated<string | null>;
}

/** An auditor's request for evidence on checklist items of an audit (migration 035). */
export interface EvidenceRequestTable {
  id: Generated<number>;
  organization_id: number;
  audit_id: number;
  seq: number;
  need: string;
  addressee_id: number;
  due_date: string;
  status: string;
  created_by: number | null;
  created_at: string;
  updated_at: string;
}

export interface EvidenceRequestItemTable {
  request_id: number;
  requirement_id: string;
}

export interface EvidenceRequestAnswerTable {
  id: Generated<number>;
  request_id: number;
  note: string;
  answered_by: number | null;
  answered_at: string;
  decision: string;
  comment: Generated<string>;
  decided_by: number | null;
  decided_at: string | null;
}

export interface EvidenceRequestAnswerEvidenceTable {
  answer_id: number;
  evidence_id: number;
}

export interface Database {
  notification: NotificationTable;
  mail_unsubscribe: MailUnsubscribeTable;
  organization_setting: OrganizationSettingTable;
  job_run: JobRunTable;
  finding: FindingTable;
  nc_transition: NcTransitionTable;
  nc_proposal: NcProposalTable;
  action_evidence: ActionEvidenceTable;
  action_item: ActionItemTable;
  management_review: ManagementReviewTable;
  improvement: ImprovementTable;
  feedback: FeedbackTable;
  audit_programme: AuditProgrammeTable;
  audit: AuditTable;
  audit_team: AuditTeamTable;
  audit_plan_session: AuditPlanSessionTable;
  audit_plan_share: AuditPlanShareTable;
  audit_plan_change: AuditPlanChangeTable;
  audit_assignment: AuditAssignmentTable;
  audit_acceptance: AuditAcceptanceTable;
  audit_response: AuditResponseTable;
  audit_revision: AuditRevisionTable;
  evidence_file: EvidenceFileTable;
  evidence: EvidenceTable;
  evidence_requirement: EvidenceRequirementTable;
  response_evidence: ResponseEvidenceTable;
  evidence_request: EvidenceRequestTable;
  evidence_request_item: EvidenceRequestItemTable;
  evidence_request_answer: EvidenceRequestAnswerTable;
  evidence_request_answer_evidence: EvidenceRequestAnswerEvidenceTable;
  checklist_version: ChecklistVersionTable;
  checklist_source: ChecklistSourceTable;
  clause: ClauseTable;
  requirement: RequirementTable;
  doc_catalogue_entry: DocCatalogueEntryTable;
  app_user: UserTable;
  session: SessionTable;
  api_token: ApiTokenTable;
  sign_in_throttle: SignInThrottleTable;
  second_factor: SecondFactorTable;
  recovery_code: RecoveryCodeTable;
  pending_sign_in: PendingSignInTable;
  organization: OrganizationTable;
  membership: MembershipTable;
  invitation: InvitationTable;
  service: ServiceTable;
  process: ProcessTable;
  other_party: OtherPartyTable;
  audit_trail: AuditTrailTable;
}

export type User = Selectable<UserTable>;
export type Organization = Selectable<OrganizationTable>;
export type NewAuditTrail = Insertable<AuditTrailTable>;
