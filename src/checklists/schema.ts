import { z } from 'zod';

// The shape of a standard's data file (checklists/*.yaml). Adding a standard is adding a file of this shape.
const Bilingual = z.object({ zh: z.string().trim().min(1), en: z.string().trim().min(1) }).strict();
const ClauseId = z.string().regex(/^\d+(\.\d+)*$/, 'clause id like 8.6.1');

// maintain: documents kept up to date (保持); retain: records kept as evidence (保留); both: the item asks for
// documents and records (7.5.1, 7.5.4); none: the item asks for no documented information.
export const DOC_TYPES = ['maintain', 'retain', 'both', 'none'] as const;
export type DocType = (typeof DOC_TYPES)[number];

const DocumentedInformation = z.discriminatedUnion('type', [
  z.object({ type: z.literal('none') }).strict(),
  z
    .object({
      type: z.enum(['maintain', 'retain', 'both']),
      what: Bilingual,
      catalogue: z
        .string()
        .regex(/^\d+(\.\d+)*-[a-z]$/)
        .optional(),
    })
    .strict(),
]);

export const Requirement = z
  .object({
    id: z.string().regex(/^\d+(\.\d+)*-\d+$/, 'requirement id like 8.6.1-2'),
    clause: ClauseId,
    text: Bilingual,
    // Where the published Chinese translation slips: what the standard means, shown apart from the text (issue 16).
    translatorNote: Bilingual.optional(),
    documentedInformation: DocumentedInformation,
    evidence: z.array(Bilingual).min(1),
    questions: z.array(Bilingual).min(1),
    references: z.array(z.string().regex(/^\d+(\.\d+)*(-\d+)?$/)),
    annexSL: z.boolean(),
  })
  .strict();
export type Requirement = z.infer<typeof Requirement>;

// titleSource editorial: the standard numbers the paragraph without a title; the title is ours and is shown as such.
export const TITLE_SOURCES = ['standard', 'editorial'] as const;
export const Clause = z
  .object({
    id: ClauseId,
    parent: ClauseId.nullable(),
    title: Bilingual,
    titleSource: z.enum(TITLE_SOURCES).optional(),
  })
  .strict();
export type Clause = z.infer<typeof Clause>;

export const StandardFile = z
  .object({
    code: z.string().regex(/^[a-z0-9-]+$/),
    edition: z.string(),
    title: Bilingual,
    exclusionRule: Bilingual,
    documentedInformationCatalogue: z.array(z.object({ key: z.string(), title: Bilingual }).strict()),
    clauses: z.array(Clause).min(1),
    requirements: z.array(Requirement).min(1),
  })
  .strict();
export type StandardFile = z.infer<typeof StandardFile>;
