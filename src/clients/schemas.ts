import { z } from 'zod';
import { CLIENT_SORTS } from '../domain/clients.js';
import { REPORT_LANGS } from '../../reports/lang.js';

const flag = z
  .union([z.boolean(), z.enum(['1', 'true', 'on', '0', 'false', ''])])
  .optional()
  .transform((v) => v === true || v === '1' || v === 'true' || v === 'on');

/** The table's filters and order (query string), shared by the page, the workbook and the API. */
export const ClientsQuery = z.object({
  q: z
    .string()
    .trim()
    .max(100)
    .optional()
    .transform((v) => v || undefined)
    .describe('Part of the name or the code of the organisation, any case'),
  overdue: flag.describe('Only organisations with overdue actions'),
  majors: flag.describe('Only organisations with open major nonconformities'),
  ready: flag.describe('Only organisations that can apply for certification today'),
  sort: z.enum(CLIENT_SORTS).catch('code').default('code'),
  dir: z.enum(['asc', 'desc']).catch('asc').default('asc'),
  page: z.coerce.number().int().min(1).max(1_000_000).catch(1).default(1),
});
export type ClientsQuery = z.output<typeof ClientsQuery>;

export const ClientsFileQuery = ClientsQuery.omit({ page: true }).extend({
  lang: z.enum(REPORT_LANGS).optional().describe('zh or en (both reads as the caller’s language)'),
});

const date = z.string().describe('YYYY-MM-DD');
export const ClientOut = z.object({
  organizationId: z.number().int(),
  code: z.string(),
  name: z.string(),
  today: date.describe("The organisation's date in its own time zone: what overdue and days since count from"),
  readiness: z
    .object({
      auditId: z.number().int(),
      auditTitle: z.string(),
      issuedOn: date,
      readiness: z.number().describe('Percent, one decimal'),
      coverage: z.number().describe('Percent of the items in scope examined'),
    })
    .nullable()
    .describe('Readiness of the latest issued or closed audit (self-assessments left out); null if none'),
  programmeCoverage: z
    .object({ covered: z.number().int(), total: z.number().int(), percent: z.number() })
    .nullable()
    .describe(
      "Clauses 4.1–10.2 audited by completed audits of this cycle's programme; null without a current programme",
    ),
  openMajors: z.number().int(),
  openMinors: z.number().int(),
  overdueActions: z.number().int().describe("Actions not done past their due date, in the organisation's calendar"),
  lastInternalAudit: date.nullable(),
  daysSinceInternalAudit: z.number().int().nullable(),
  lastManagementReview: date.nullable(),
  daysSinceManagementReview: z.number().int().nullable(),
  nextAudit: z
    .object({ auditId: z.number().int(), title: z.string(), plannedStart: date, late: z.boolean() })
    .nullable(),
  certification: z.object({
    ready: z.boolean(),
    canApplyFrom: date.nullable(),
    missing: z.array(z.enum(['smsOperated', 'internalAudit', 'managementReview'])).describe('Conditions not met today'),
    missingClauses: z.array(z.string()).describe('Clauses of 4–10 no issued internal audit covered as a whole'),
  }),
});
export const ClientsOut = z.object({
  total: z.number().int(),
  page: z.number().int(),
  pages: z.number().int(),
  pageSize: z.number().int(),
  items: z.array(ClientOut),
});
