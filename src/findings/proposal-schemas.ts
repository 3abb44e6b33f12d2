import { z } from 'zod';
import { PROPOSAL_STEPS } from '../domain/proposal.js';
import { ACTION_ROWS, id, TransitionInput } from './schemas.js';

/** An owner's proposal for one step of 10.1; what it must hold is the lifecycle's rule for that step. */
export const ProposalInput = TransitionInput.omit({ to: true }).extend({
  step: z.enum(PROPOSAL_STEPS, { error: 'proposals.errors.step' }),
});
export type ProposalInput = z.output<typeof ProposalInput>;

/** The page's proposal form: the same action rows as the transition form (a0_description, a0_owner, a0_due, a0_sms …). */
export const ProposalForm = z.preprocess((raw) => {
  const b = (raw ?? {}) as Record<string, string | undefined>;
  const actions = [];
  for (let i = 0; i < ACTION_ROWS; i++) {
    const row = {
      description: b[`a${i}_description`],
      ownerUserId: b[`a${i}_owner`],
      dueDate: b[`a${i}_due`],
      smsChange: b[`a${i}_sms`],
    };
    if ([row.description, row.ownerUserId, row.dueDate].some((v) => v !== undefined && v.trim() !== ''))
      actions.push(row);
  }
  return { ...b, actions: b.step === 'actions' ? actions : undefined };
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
