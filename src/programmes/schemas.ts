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
