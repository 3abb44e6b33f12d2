import type { ReviewInputPack } from '../../src/domain/management-review.js';

/** The management review input pack as src/reviews/inputs.ts assembles it (managementReviewInputs). */
export interface ReviewPackModel {
  review: {
    id: number;
    ref: string;
    title: string;
    heldOn: string;
    attendees: string;
    /** timeZone: where the pack's dates are read (absent in packs made before it was recorded). */
    organization: { id: number; name: string; code: string; timeZone?: string };
  };
  generatedAt: string;
  pack: ReviewInputPack;
}
