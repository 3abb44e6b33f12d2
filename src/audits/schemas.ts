import { z } from 'zod';
import { AUDIT_STATUSES, AUDIT_TRANSITIONS, AUDIT_TYPES } from '../domain/audit-status.js';
import { ACCEPTANCE_ROLES, VERIFICATION_RESULTS } from '../domain/report-content.js';
import { VERDICTS } from '../domain/verdicts.js';
import { Code, DateText, Instant, UserRef } from '../web/api-schemas.js';
import { ErrorBody } from '../web/openapi.js';
import { dbId, patchDate, patchId, patchText } from '../web/validation.js';

const id = dbId;
const text = (max: number) => z.string().trim().max(max, { error: 'errors.tooLong' });
const date = z
  .union([z.literal(''), z.iso.date({ error: 'errors.date' })])
  .optional()
  .transform((v) => v || null);
const clauseId = z.string().regex(/^([4-9]|10)(\.\d+)*$/, { error: 'errors.clauseId' });
/** HTML forms send one value as a string and several as an array. */
const many = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]), z.array(item));

export const AuditInput = z.object({
  title: text(200).min(1, { error: 'errors.required' }),
  type: z.enum(AUDIT_TYPES),
  programmeId: z
    .union([id, z.literal('')])
    .optional()
    .transform((v) => (v ? v : null)),
  baselineAuditId: z
    .union([id, z.literal('')])
    .optional()
    .transform((v) => (v ? v : null)),
  scope: z
    .object({
      clauses: many(clauseId).default([]),
      processes: many(id).default([]),
      services: many(id).default([]),
    })
    .default({ clauses: [], processes: [], services: [] }),
  criteria: text(5000).default(''),
  objectives: text(5000).default(''),
  leadAuditorId: z
    .union([id, z.literal('')])
    .optional()
    .transform((v) => (v ? v : null)),
  team: many(id).default([]),
  plannedStart: date,
  plannedEnd: date,
});
export type AuditInput = z.infer<typeof AuditInput>;

/** The HTML form flattens scope into scopeClauses / scopeProcesses / scopeServices. */
export const AuditForm = z.preprocess((raw) => {
  const b = (raw ?? {}) as Record<string, unknown>;
  const extra =
    typeof b.scopeClausesExtra === 'string' ? b.scopeClausesExtra.split(/[\s,，、;；]+/).filter(Boolean) : [];
  const chosen = b.scopeClauses === undefined ? [] : Array.isArray(b.scopeClauses) ? b.scopeClauses : [b.scopeClauses];
  return { ...b, scope: { clauses: [...chosen, ...extra], processes: b.scopeProcesses, services: b.scopeServices } };
}, AuditInput);

/** An unresolved diverging opinion between the audit team and the auditee (ISO 19011 6.4.10). */
export const DivergingOpinion = z.object({
  topic: text(500).min(1, { error: 'errors.required' }),
  teamView: text(2000).default(''),
  auditeeView: text(2000).default(''),
});
/** What a follow-up or surveillance audit verified of an earlier audit's nonconformity. */
export const Verification = z.object({
  findingId: id,
  verified: text(2000).default(''),
  result: z.enum(VERIFICATION_RESULTS, { error: 'audits.errors.verificationResult' }),
});
/** A list field of a PATCH: absent → unchanged, null → cleared. */
const patchList = <T extends z.ZodType>(item: T, max = 50) =>
  z
    .union([z.array(item).max(max, { error: 'errors.tooLong' }), z.null()])
    .optional()
    .transform((v) => (v === null ? [] : v));
const entry = text(300).min(1, { error: 'errors.required' });

/** A scope change of an open audit: each list given replaces the current one; a list left out stays. */
export const ScopePatch = z.object({
  clauses: z
    .array(clauseId)
    .min(1, { error: 'audits.errors.scopeClausesRequired' })
    .max(300, { error: 'errors.tooLong' })
    .optional()
    .describe(
      'Clauses or sub-clauses ("8", "8.5.1"); items leaving the scope drop their answers, items entering start not assessed',
    ),
  processes: z.array(id).max(500, { error: 'errors.tooLong' }).optional(),
  services: z.array(id).max(500, { error: 'errors.tooLong' }).optional(),
});
export type ScopePatch = z.infer<typeof ScopePatch>;

/** PATCH means partial: a field left out stays as it was; null or "" clears it (title cannot be cleared). */
export const AuditPatch = z.object({
  title: text(200).min(1, { error: 'errors.required' }).optional(),
  criteria: patchText(5000),
  objectives: patchText(5000),
  summary: patchText(20000),
  conclusion: patchText(20000),
  leadAuditorId: patchId,
  plannedStart: patchDate(),
  plannedEnd: patchDate(),
  /** The whole team (the lead auditor is always on it); members dropped lose their process assignments. */
  team: many(id).optional(),
  actualStart: patchDate(),
  actualEnd: patchDate(),
  // The report's content (issue 15).
  auditClient: patchText(500),
  auditeeRepresentative: patchText(500),
  sites: patchList(entry),
  divergingOpinions: patchList(DivergingOpinion),
  verifications: patchList(Verification, 500),
  recommendation: patchText(5000),
  confidentiality: patchText(5000),
  distribution: patchList(entry),
  revisionReason: patchText(5000),
  /** Planned or in progress: the clauses, processes and services audited (issue 17). */
  scope: ScopePatch.optional(),
  confirmDrop: z
    .boolean()
    .optional()
    .describe(
      'A scope reduction that would drop answers with something recorded answers 409 with `dropped` (the items) unless ' +
        'this is true; dropped answers are kept whole in the audit trail',
    ),
});

/**
 * The scope form of the audit page: top clauses ticked plus sub-clauses typed, the processes and services ticked (none
 * ticked clears them), the sites one per line; `confirmDrop` once the page has shown the answers that would go.
 */
export const ScopeForm = z.preprocess(
  (raw) => {
    const b = (raw ?? {}) as Record<string, unknown>;
    const list = (v: unknown) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]);
    const extra =
      typeof b.scopeClausesExtra === 'string' ? b.scopeClausesExtra.split(/[\s,，、;；]+/).filter(Boolean) : [];
    return {
      scope: {
        clauses: [...list(b.scopeClauses), ...extra],
        processes: list(b.scopeProcesses),
        services: list(b.scopeServices),
      },
      sites:
        typeof b.sites === 'string'
          ? b.sites
              .split(/\r?\n/)
              .map((x) => x.trim())
              .filter(Boolean)
          : undefined,
      confirmDrop: b.confirmDrop === '1',
    };
  },
  z.object({
    scope: z.object({
      clauses: z.array(clauseId).min(1, { error: 'audits.errors.scopeClausesRequired' }).max(300),
      processes: z.array(id).max(500),
      services: z.array(id).max(500),
    }),
    sites: z.array(entry).max(50, { error: 'errors.tooLong' }).optional(),
    confirmDrop: z.boolean(),
  }),
);

/** The sample behind an answer (ISO 19011 A.6): what was sampled from, how many, how chosen, which, and what was found. */
export const SampleInput = z.object({
  population: text(500).default(''),
  size: z
    .union([z.literal(''), z.null(), z.coerce.number().int().min(0, { error: 'audits.errors.sampleSize' })])
    .optional()
    .transform((v) => (v === '' || v === undefined ? null : v)),
  method: text(500).default(''),
  references: text(2000).default(''),
  result: text(2000).default(''),
});

/** The item form sends the sample as flat fields (samplePopulation …); the API sends `sample` as an object. */
export const sampleFromForm = (body: unknown) => {
  // Anything but a form object (a text body, say) goes on to validation unchanged and is refused there.
  if (typeof body !== 'object' || body === null || !('samplePopulation' in body)) return body;
  const b = body as Record<string, unknown>;
  return {
    ...b,
    sample: {
      population: b.samplePopulation,
      size: b.sampleSize,
      method: b.sampleMethod,
      references: b.sampleReferences,
      result: b.sampleResult,
    },
  };
};

export const ResponseInput = z.object({
  verdict: z.enum(VERDICTS, { error: 'audits.errors.verdict' }),
  notes: text(20000).default(''),
  samples: text(5000).default(''),
  interviewees: text(2000).default(''),
  /** Left out: the recorded sample stays; null clears it. */
  sample: SampleInput.nullable().optional(),
  // null and "" clear the level; they come first, as coercion would read both as 0.
  level: z
    .union([
      z.literal(''),
      z.null(),
      z.coerce.number().int().min(0, { error: 'audits.errors.level' }).max(5, { error: 'audits.errors.level' }),
    ])
    .optional()
    .transform((v) => (v === '' || v === undefined ? null : v)),
  evidenceIds: many(id).default([]),
  version: z.coerce.number().int().min(0),
});
export type ResponseInput = z.infer<typeof ResponseInput>;

export const TransitionInput = z.object({ action: z.enum(AUDIT_TRANSITIONS) });
export const AssignmentInput = z.object({ processId: id, auditorId: id });

export const AuditParams = z.object({ auditId: id });
export const ResponseParams = z.object({ auditId: id, requirementId: z.string().regex(/^\d+(\.\d+)*-\d+$/) });
/** A form's or link's optional id: '' (an empty select) is no value. */
const optionalId = z
  .union([id, z.literal('')])
  .optional()
  .transform((v) => (v === '' ? undefined : v));
export const ChecklistQuery = z.object({
  filter: z.enum(['all', 'open', 'nonconforming', 'mine']).default('all'),
  /** A page of the checklist: a clause ("4"), a sub-clause of a split clause ("8.5"), or "all". */
  clause: z
    .string()
    .regex(/^(all|([4-9]|10)(\.\d{1,2})?)$/)
    .optional(),
  process: optionalId,
  auditor: optionalId,
  /** Opens the page that holds this item (links to one item: `?item=8.5.1.3-1#req-8.5.1.3-1`). */
  item: z
    .string()
    .regex(/^\d+(\.\d+)*-\d+$/)
    .optional(),
});
export const NextQuery = ChecklistQuery.extend({
  after: z
    .string()
    .regex(/^\d+(\.\d+)*-\d+$/)
    .optional(),
});

/**
 * One verdict for many items (issue 17): every item of a clause (or of the whole audit when no clause is given), or
 * the items named; by default only those still not assessed. Typically "not audited in this audit" for the items a
 * sample left out.
 */
export const BulkVerdictInput = z.object({
  clause: z.union([clauseId, z.literal('')]).optional(),
  verdict: z.enum(VERDICTS, { error: 'audits.errors.verdict' }),
  onlyUnassessed: z
    .union([z.boolean(), z.enum(['1', 'true', 'on', '0', 'false'])])
    .optional()
    .transform((v) => v === undefined || v === true || v === '1' || v === 'true' || v === 'on'),
  requirementIds: many(z.string().regex(/^\d+(\.\d+)*-\d+$/)).optional(),
});
export type BulkVerdictInput = z.output<typeof BulkVerdictInput>;

// ---- Answers (the serializer checks them; the OpenAPI document shows them) ----
const verdictCode = Code(VERDICTS);
const count = z.number().int();
/** Items per verdict (the verdict codes are the keys). */
const Counts = z.object({
  not_assessed: count,
  conforming: count,
  minor_nc: count,
  major_nc: count,
  observation: count,
  ofi: count,
  not_audited: count,
});

const SampleOut = z
  .object({
    population: z.string(),
    size: z.number().int().nullable(),
    method: z.string(),
    references: z.string(),
    result: z.string(),
  })
  .nullable();
export const AcceptanceOut = z.object({ role: Code(ACCEPTANCE_ROLES), revision: z.number().int() });

export const AuditSummaryOut = z.object({
  id: z.number().int(),
  title: z.string(),
  type: Code(AUDIT_TYPES),
  status: Code(AUDIT_STATUSES),
  revision: z.number().int(),
  plannedStart: DateText.nullable(),
  plannedEnd: DateText.nullable(),
  scope: z.object({ clauses: z.array(z.string()) }),
});

export const AuditOut = AuditSummaryOut.extend({
  organizationId: z.number().int(),
  programmeId: z.number().int().nullable(),
  baselineAuditId: z.number().int().nullable(),
  checklistVersionId: z.number().int(),
  scope: z.object({
    clauses: z.array(z.string()),
    processes: z.array(z.number().int()),
    services: z.array(z.number().int()),
  }),
  criteria: z.string(),
  objectives: z.string(),
  summary: z.string(),
  conclusion: z.string(),
  leadAuditorId: z.number().int().nullable(),
  team: z.array(UserRef),
  actualStart: DateText.nullable(),
  actualEnd: DateText.nullable(),
  issuedAt: Instant.nullable(),
  auditClient: z.string(),
  auditeeRepresentative: z.string(),
  sites: z.array(z.string()),
  divergingOpinions: z.array(z.object({ topic: z.string(), teamView: z.string(), auditeeView: z.string() })),
  verifications: z.array(
    z.object({ findingId: z.number().int(), verified: z.string(), result: Code(VERIFICATION_RESULTS) }),
  ),
  recommendation: z.string(),
  confidentiality: z.string(),
  distribution: z.array(z.string()),
  revisionReason: z.string(),
  acceptances: z.array(
    z.object({ revision: z.number().int(), role: Code(ACCEPTANCE_ROLES), name: z.string(), acceptedAt: Instant }),
  ),
  progress: z.object({ items: z.number().int(), assessed: z.number().int(), percent: z.number() }),
  coverage: z.object({
    items: z.number().int(),
    examined: z.number().int(),
    notAudited: z.number().int(),
    percent: z.number(),
  }),
  readiness: z.object({
    overall: z.number(),
    byClause: z.array(
      z.object({
        clause: z.string(),
        items: z.number().int(),
        examined: z.number().int(),
        notAudited: z.number().int(),
        coverage: z.number(),
        readiness: z.number(),
        counts: Counts,
      }),
    ),
  }),
  responses: z.array(
    z.object({
      requirementId: z.string(),
      clause: z.string(),
      verdict: verdictCode,
      level: z.number().int().nullable(),
      notes: z.string(),
      samples: z.string(),
      interviewees: z.string(),
      sample: SampleOut,
      evidence: z.array(z.object({ id: z.number().int(), title: z.string() })),
      version: z.number().int(),
      answeredBy: z.string().nullable(),
      answeredAt: Instant.nullable(),
    }),
  ),
});

export const ResponseOut = z.object({
  requirementId: z.string(),
  verdict: verdictCode,
  notes: z.string(),
  samples: z.string(),
  interviewees: z.string(),
  sample: SampleOut.optional(),
  level: z.number().int().nullable(),
  version: z.number().int(),
  answeredAt: Instant.nullable(),
});
export const BulkOut = z.object({ changed: z.number().int() });
/** 409 of a PATCH whose scope would drop recorded answers (or of any other conflict, without `dropped`). */
export const ScopeDropRefused = ErrorBody.extend({
  dropped: z
    .array(z.object({ requirementId: z.string(), clause: z.string(), verdict: verdictCode, notes: z.string() }))
    .optional()
    .describe('The answers the scope change would drop; send the PATCH again with confirmDrop: true to drop them'),
});
export const TransitionOut = z.object({ id: z.number().int(), status: Code(AUDIT_STATUSES) });
export const AssignmentOut = z.object({ processId: z.number().int(), auditorId: z.number().int() });
const arr = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);
const lines = (v: unknown) =>
  typeof v === 'string'
    ? v
        .split(/\r?\n/)
        .map((x) => x.trim())
        .filter(Boolean)
    : undefined;

/**
 * The report content form of the audit page: lists typed one per line, diverging opinions and verifications as rows
 * (a row left blank is dropped). Only the fields the form carries change.
 */
export const ReportContentForm = z.preprocess(
  (raw) => {
    const b = (raw ?? {}) as Record<string, unknown>;
    const topics = arr(b.opinionTopic);
    const team = arr(b.opinionTeam);
    const auditee = arr(b.opinionAuditee);
    const findings = arr(b.verifyFinding);
    const results = arr(b.verifyResult);
    const notes = arr(b.verifyNote);
    return {
      auditClient: b.auditClient,
      auditeeRepresentative: b.auditeeRepresentative,
      confidentiality: b.confidentiality,
      ...(b.recommendation !== undefined && { recommendation: b.recommendation }),
      ...(b.revisionReason !== undefined && { revisionReason: b.revisionReason }),
      sites: lines(b.sites),
      distribution: lines(b.distribution),
      divergingOpinions: topics
        .map((topic, i) => ({ topic: topic.trim(), teamView: team[i] ?? '', auditeeView: auditee[i] ?? '' }))
        .filter((o) => o.topic || o.teamView.trim() || o.auditeeView.trim()),
      ...(findings.length && {
        verifications: findings
          .map((findingId, i) => ({ findingId, result: results[i] ?? '', verified: notes[i] ?? '' }))
          .filter((v) => v.result !== ''),
      }),
    };
  },
  AuditPatch.pick({
    auditClient: true,
    auditeeRepresentative: true,
    confidentiality: true,
    recommendation: true,
    revisionReason: true,
    sites: true,
    distribution: true,
    divergingOpinions: true,
    verifications: true,
  }),
);
export const OrgReadinessOut = z.object({
  byClause: z.array(
    z.object({
      clause: z.string(),
      items: count,
      assessed: count,
      examined: count,
      notAudited: count,
      coverage: z.number(),
      counts: Counts,
      readiness: z.number(),
    }),
  ),
  overall: z.number(),
  items: count,
  assessed: count,
  progress: z.number(),
  examined: count,
  notAudited: count,
  coverage: z.number(),
});
