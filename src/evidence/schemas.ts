import { z } from 'zod';
import { Code, DateText, Instant } from '../web/api-schemas.js';
import { DOC_STATUSES } from './doc-status.js';
import { dbId } from '../web/validation.js';

// 7.5: the kinds of documented information an organisation keeps (7.5.4) and the records it retains.
export const EVIDENCE_KINDS = ['policy', 'plan', 'procedure', 'record', 'contract', 'sla', 'report', 'other'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

const text = (max: number) => z.string().trim().max(max, { error: 'errors.tooLong' });
const required = (max: number) => text(max).min(1, { error: 'errors.required' });
const id = dbId;

/** A calendar date YYYY-MM-DD, or nothing (an empty form field). */
const optionalDate = z
  .string()
  .trim()
  .optional()
  .transform((v) => v || null)
  .pipe(z.union([z.null(), z.iso.date({ error: 'evidence.errors.date' })]));

/** A stable checklist item id, e.g. 8.6.1-1 (checked against the requirement table separately). */
export const RequirementId = z
  .string()
  .trim()
  .regex(/^([4-9]|10)(\.\d+)*-\d+$/, { error: 'evidence.errors.requirementId' });

/** The metadata of one item of documented information (7.5.2: identification, description, review and approval). */
export const EvidenceInput = z.object({
  title: required(300),
  kind: z.enum(EVIDENCE_KINDS, { error: 'evidence.errors.kind' }),
  versionLabel: text(50).default(''),
  owner: text(200).default(''),
  approvedOn: optionalDate,
  nextReviewOn: optionalDate,
  location: text(1000).default(''),
  description: text(5000).default(''),
});
export type EvidenceInput = z.infer<typeof EvidenceInput>;

/** The text fields of an upload form; requirementId and auditId come from an audit checklist (on-the-spot upload). */
export const UploadFields = EvidenceInput.extend({
  requirementId: z
    .union([z.literal(''), RequirementId])
    .optional()
    .transform((v) => v || null),
  auditId: z
    .union([z.literal(''), id])
    .optional()
    .transform((v) => (v === '' || v === undefined ? null : v)),
});
export type UploadFields = z.infer<typeof UploadFields>;

export const RequirementLinkInput = z.object({ requirementId: RequirementId });

export const EvidenceFilter = z.object({
  kind: z
    .union([z.literal(''), z.enum(EVIDENCE_KINDS)])
    .optional()
    .transform((v) => v || undefined),
  q: z
    .string()
    .trim()
    .max(200)
    .optional()
    .transform((v) => v || undefined),
  overdue: z
    .union([z.literal(''), z.literal('1'), z.literal('on'), z.literal('true')])
    .optional()
    .transform((v) => v === '1' || v === 'on' || v === 'true'),
});
export type EvidenceFilter = z.infer<typeof EvidenceFilter>;

export const EvidenceParams = z.object({ evidenceId: id });

// ---- Answers (the serializer checks them; the OpenAPI document shows them) ----
const int = z.number().int();
export const EvidenceListOut = z.object({
  id: int,
  title: z.string(),
  kind: Code(EVIDENCE_KINDS),
  versionLabel: z.string(),
  owner: z.string(),
  approvedOn: DateText.nullable(),
  nextReviewOn: DateText.nullable(),
  location: z.string(),
  fileName: z.string().nullable(),
  size: int.nullable(),
  mediaType: z.string().nullable(),
  updatedAt: Instant,
});
export const EvidenceCreatedOut = z.object({
  id: int,
  sha256: z.string().nullable(),
  size: int.nullable(),
  mediaType: z.string().nullable(),
  fileName: z.string().nullable(),
  responseId: int.nullable().describe('The audit response the upload was attached to (auditId and requirementId)'),
});
export const EvidenceOut = z.object({
  id: int,
  organizationId: int,
  title: z.string(),
  kind: Code(EVIDENCE_KINDS),
  versionLabel: z.string(),
  owner: z.string(),
  approvedOn: DateText.nullable(),
  nextReviewOn: DateText.nullable(),
  location: z.string(),
  description: z.string(),
  file: z
    .object({
      name: z.string().nullable(),
      sha256: z.string().nullable(),
      size: int.nullable(),
      mediaType: z.string().nullable(),
    })
    .nullable(),
  requirements: z.array(z.string()),
  responses: z.array(
    z.object({
      responseId: int,
      requirementId: z.string(),
      verdict: z.string(),
      auditId: int,
      auditTitle: z.string(),
      auditStatus: z.string(),
    }),
  ),
  createdAt: Instant,
  updatedAt: Instant,
});
const DocStatusCode = Code(DOC_STATUSES);
export const DocumentedInformationOut = z.object({
  standard: z.string(),
  versionId: int,
  today: DateText,
  counts: z.record(z.string(), int),
  catalogueCounts: z.record(z.string(), int),
  catalogue: z.array(
    z.object({
      key: z.string(),
      title: z.object({ zh: z.string(), en: z.string() }),
      status: DocStatusCode,
      requirements: z.array(z.string()),
    }),
  ),
  requirements: z.array(
    z.object({
      id: z.string(),
      clause: z.string(),
      docType: z.string(),
      what: z.object({ zh: z.string(), en: z.string() }),
      catalogue: z.string().nullable(),
      status: DocStatusCode,
      evidence: z.array(z.object({ id: int, title: z.string(), nextReviewOn: DateText.nullable() })),
    }),
  ),
});
