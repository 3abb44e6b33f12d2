import { DateText } from '../web/api-schemas.js';
import { z } from 'zod';
import { dbId } from '../web/validation.js';

const text = (max: number) => z.string().trim().max(max, { error: 'errors.tooLong' });

export const ProgrammeInput = z
  .object({
    title: text(200).min(1, { error: 'errors.required' }),
    periodStart: z.iso.date({ error: 'errors.date' }),
    periodEnd: z.iso.date({ error: 'errors.date' }),
    objectives: text(5000).default(''),
    criteria: text(5000).default(''),
    frequency: text(2000).default(''),
    methods: text(2000).default(''),
    responsibilities: text(2000).default(''),
    planningRequirements: text(2000).default(''),
    reporting: text(2000).default(''),
    processImportance: text(5000).default(''),
    changesAffecting: text(5000).default(''),
    previousResults: text(5000).default(''),
  })
  .refine((p) => p.periodEnd >= p.periodStart, { path: ['periodEnd'], error: 'programmes.errors.period' });
export type ProgrammeInput = z.infer<typeof ProgrammeInput>;

export const ProgrammeParams = z.object({ programmeId: dbId });

// ---- Answers (the serializer checks them; the OpenAPI document shows them) ----
export const ProgrammeSummaryOut = z.object({
  id: z.number().int(),
  title: z.string(),
  periodStart: DateText.nullable(),
  periodEnd: DateText.nullable(),
  objectives: z.string(),
  criteria: z.string(),
  frequency: z.string(),
  methods: z.string(),
  responsibilities: z.string(),
  planningRequirements: z.string(),
  reporting: z.string(),
  processImportance: z.string(),
  changesAffecting: z.string(),
  previousResults: z.string(),
});
export const ProgrammeOut = ProgrammeSummaryOut.extend({
  audits: z.array(
    z.object({
      id: z.number().int(),
      title: z.string(),
      status: z.string(),
      type: z.string(),
      plannedStart: DateText.nullable(),
    }),
  ),
  coverage: z.object({
    clauses: z.array(z.object({ clause: z.string(), state: z.string() })),
    processes: z.array(z.object({ processId: z.number().int(), name: z.string(), state: z.string() })),
    uncovered: z.array(z.string()),
  }),
});
