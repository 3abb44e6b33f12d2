import { z } from 'zod';
import { PROPOSAL_STEPS } from '../domain/proposal.js';
import { Code, Instant } from '../web/api-schemas.js';
import { ActionOut, actionRows, id, TransitionInput } from './schemas.js';

/** An owner's proposal for one step of 10.1; what it must hold is the lifecycle's rule for that step. */
export const ProposalInput = TransitionInput.omit({ to: true }).extend({
  step: z.enum(PROPOSAL_STEPS, { error: 'proposals.errors.step' }),
});
export type ProposalInput = z.output<typeof ProposalInput>;

/** The page's proposal form: the same action rows as the transition form (a0_description, a0_owner, a0_due, a0_sms …). */
export const ProposalForm = z.preprocess((raw) => {
  const b = (raw ?? {}) as Record<string, string | undefined>;
  return { ...b, actions: b.step === 'actions' ? actionRows(b) : undefined };
}, ProposalInput);

/** An auditor's decision on a proposal: accepting may carry a comment, returning must say why. */
export const DecisionInput = z
  .object({
    decision: z.enum(['accept', 'return'], { error: 'proposals.errors.decision' }),
    comment: z.string().trim().max(5000, { error: 'errors.tooLong' }).default(''),
  })
  .superRefine((v, ctx) => {
    if (v.decision === 'return' && v.comment === '')
      ctx.addIssue({ code: 'custom', path: ['comment'], message: 'proposals.errors.commentRequired' });
  });

export const ProposalParams = z.object({ proposalId: id });

// ---- Answers (the serializer checks them; the OpenAPI document shows them) ----
const int = z.number().int();
export const ProposalOut = z.object({
  id: int,
  step: Code(PROPOSAL_STEPS),
  round: int,
  status: z.string().describe('pending | accepted | returned'),
  fields: z.looseObject({}).describe('What the owner proposes: the fields of the step'),
  proposedBy: z.object({ id: int.nullable(), name: z.string().nullable() }),
  proposedAt: Instant,
  decidedBy: z.object({ id: int, name: z.string().nullable() }).nullable(),
  decidedAt: Instant.nullable(),
  comment: z.string().nullable(),
});
export const DecisionOut = ProposalOut.extend({
  nonconformity: z.object({ id: int, status: z.string(), round: int }),
});
export const AcknowledgementOut = z.object({
  id: int,
  acknowledgedAt: Instant.nullable(),
  acknowledgedBy: int.nullable(),
});
export const ActionWithEvidenceOut = ActionOut.extend({
  evidence: z.array(z.object({ id: int, title: z.string() })),
});
