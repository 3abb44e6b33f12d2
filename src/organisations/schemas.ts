import { z } from 'zod';
import { ROLES } from '../domain/permissions.js';
import { DEFAULT_TIME_ZONE, isListedTimeZone } from '../domain/time-zone.js';
import { LOCALES } from '../web/i18n.js';
import { Code, Instant } from '../web/api-schemas.js';
import { dbId, patchText } from '../web/validation.js';

const text = (max: number) => z.string().trim().max(max, { error: 'errors.tooLong' });
const required = (max: number) => text(max).min(1, { error: 'errors.required' });
const id = dbId;

/** An IANA zone name the runtime knows ("Asia/Shanghai", "Europe/Berlin", "UTC"); anything else is 422. */
export const timeZone = z.string().trim().refine(isListedTimeZone, { error: 'errors.timeZone' });

export const OrganisationInput = z.object({
  name: required(200),
  code: z
    .string()
    .trim()
    .transform((s) => s.toUpperCase())
    .pipe(z.string().regex(/^[A-Z0-9][A-Z0-9_-]{1,19}$/, { error: 'errors.orgCode' })),
  defaultLocale: z.enum(LOCALES).default('zh-CN'),
  scopeStatement: text(5000).default(''),
  scopeManagingOrg: text(200).default(''),
  timeZone: timeZone.default(DEFAULT_TIME_ZONE),
});
export type OrganisationInput = z.infer<typeof OrganisationInput>;

/** PATCH means partial: no defaults here, so a field left out stays as it was. */
export const OrganisationPatch = z.object({
  name: required(200).optional(),
  code: OrganisationInput.shape.code.optional(),
  defaultLocale: z.enum(LOCALES).optional(),
  scopeStatement: patchText(5000),
  scopeManagingOrg: patchText(200),
  timeZone: timeZone.optional(),
});

// HTML checkboxes send "on" or nothing (the register forms add "false" for nothing); JSON sends a boolean.
const flag = z
  .union([z.boolean(), z.literal('on'), z.literal('true'), z.literal('false'), z.literal('off')])
  .transform((v) => v === true || v === 'on' || v === 'true');

export const ServiceInput = z.object({
  name: required(200),
  description: text(2000).default(''),
  inScope: flag.optional().transform((v) => v ?? true),
});

export const IMPORTANCE = ['high', 'medium', 'low'] as const;
export const ProcessInput = z.object({
  name: required(200),
  clauseId: z
    .string()
    .trim()
    .regex(/^(|[4-9]|10)(\.\d+)*$/, { error: 'errors.clauseId' })
    .optional()
    .transform((v) => v || null),
  ownerUserId: z
    .union([id, z.literal('')])
    .optional()
    .transform((v) => (v === '' || v === undefined ? null : v)),
  ownerName: text(200).default(''),
  importance: z.enum(IMPORTANCE).default('medium'),
  description: text(2000).default(''),
});

// 8.2.3: which kind of other party, and whether it operates a service, a service component or a process.
export const PARTY_TYPES = ['external_supplier', 'internal_supplier', 'customer_as_supplier'] as const;
export const PARTY_OPERATES = ['service', 'service_component', 'process'] as const;
export const OtherPartyInput = z.object({
  name: required(200),
  partyType: z.enum(PARTY_TYPES),
  operates: z.enum(PARTY_OPERATES),
  description: text(2000).default(''),
});

// Partial updates (PATCH): only the fields sent change, so no field has a default here (a default would overwrite),
// and an unknown field (a typo, a snake_case name) is refused rather than silently ignored.
export const ServicePatch = z.strictObject({
  name: required(200).optional(),
  description: text(2000).optional(),
  inScope: flag.optional(),
});
export const ProcessPatch = z.strictObject({
  name: required(200).optional(),
  description: text(2000).optional(),
  clauseId: z
    .union([
      z
        .string()
        .trim()
        .regex(/^(|[4-9]|10)(\.\d+)*$/, { error: 'errors.clauseId' }),
      z.null(),
    ])
    .optional()
    .transform((v) => (v === undefined ? undefined : v || null)),
  ownerUserId: z
    .union([id, z.literal(''), z.null()])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === '' ? null : v)),
  ownerName: text(200).optional(),
  importance: z.enum(IMPORTANCE).optional(),
});
export const OtherPartyPatch = z.strictObject({
  name: required(200).optional(),
  partyType: z.enum(PARTY_TYPES).optional(),
  operates: z.enum(PARTY_OPERATES).optional(),
  description: text(2000).optional(),
});

export const MembershipInput = z.object({
  email: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.email({ error: 'errors.email' })),
  role: z.enum(ROLES),
});

export const MemberPatch = z.strictObject({ role: z.enum(ROLES) });
export const MemberParams = z.object({ orgId: id, memberId: id });
export const InvitationParams = z.object({ orgId: id, invitationId: id });

export const OrgParams = z.object({ orgId: id });
export const OrgItemParams = z.object({ orgId: id, itemId: id });

// ---- Answers (the serializer checks them; the OpenAPI document shows them) ----
export const ServiceOut = z.object({
  id: z.number().int(),
  name: z.string(),
  description: z.string(),
  inScope: z.boolean(),
});
export const ProcessOut = z.object({
  id: z.number().int(),
  name: z.string(),
  description: z.string(),
  clauseId: z.string().nullable(),
  ownerUserId: z.number().int().nullable(),
  ownerName: z.string(),
  owner: z.string().nullable().describe('Display name of the owner: the member, else ownerName'),
  importance: Code(IMPORTANCE),
});
export const OtherPartyOut = z.object({
  id: z.number().int(),
  name: z.string(),
  partyType: Code(PARTY_TYPES),
  operates: Code(PARTY_OPERATES),
  description: z.string(),
});
export const OrganisationSummaryOut = z.object({
  id: z.number().int(),
  name: z.string(),
  code: z.string(),
  defaultLocale: Code(LOCALES),
  role: Code(ROLES),
});
export const OrganisationOut = z.object({
  id: z.number().int(),
  name: z.string(),
  code: z.string(),
  defaultLocale: Code(LOCALES),
  timeZone: z.string(),
  scope: z.object({ statement: z.string(), managingOrganization: z.string() }),
  createdAt: Instant,
});
export const OrganisationDetailOut = OrganisationOut.extend({
  role: Code(ROLES),
  services: z.array(ServiceOut),
  processes: z.array(ProcessOut),
  otherParties: z.array(OtherPartyOut),
});
export const MemberOut = z.object({
  id: z.number().int().describe('The membership'),
  role: Code(ROLES),
  userId: z.number().int(),
  email: z.string(),
  displayName: z.string(),
});
export const InvitedOut = z.object({ email: z.string(), role: Code(ROLES), status: z.literal('invited') });
export const OrgInvitationOut = z.object({
  id: z.number().int(),
  email: z.string(),
  role: Code(ROLES),
  createdAt: Instant,
});
export const MyInvitationOut = z.object({
  id: z.number().int(),
  role: Code(ROLES),
  organization: z.object({ id: z.number().int(), name: z.string(), code: z.string() }),
  createdAt: Instant,
});
export const AcceptedOut = z.object({ organizationId: z.number().int() });
