import { z } from 'zod';
import { FRAMEWORK_IDS, type FrameworkId } from '../../analysis/frameworks';
import { APPLICABILITIES, IMPLEMENTATION_STATUSES } from './types';

export const FrameworkIdSchema = z.enum(FRAMEWORK_IDS as [FrameworkId, ...FrameworkId[]]);

const optionalText = (max: number) => z.preprocess(
  (value) => (typeof value === 'string' ? value.trim() || null : value),
  z.string().max(max, `At most ${max} characters`).nullable().optional(),
);

/**
 * A requirement's decision. Excluding a requirement, or leaving it to the provider, takes a justification (an
 * auditor reads an exclusion without one as a gap); an empty or blank one is refused with the field named.
 */
export const SoaDecisionSchema = z.object({
  frameworkId: FrameworkIdSchema,
  requirementId: z.string().trim().min(1).max(40),
  applicability: z.enum(APPLICABILITIES),
  justification: optionalText(2000),
  implementationStatus: z.preprocess((value) => (value === '' ? null : value), z.enum(IMPLEMENTATION_STATUSES).nullable().optional()),
  ownerUserId: z.preprocess((value) => (value === '' ? null : value), z.uuid('Choose a member').nullable().optional()),
}).superRefine((input, context) => {
  if (input.applicability !== 'applicable' && !input.justification) {
    context.addIssue({
      code: 'custom', path: ['justification'],
      message: input.applicability === 'excluded' ? 'A justification is required to exclude a requirement' : 'A justification is required for a provider\'s responsibility',
    });
  }
});
export type SoaDecisionInput = z.input<typeof SoaDecisionSchema>;

export const ApproveSoaSchema = z.object({
  frameworkId: FrameworkIdSchema,
  note: optionalText(2000),
});
export type ApproveSoaInput = z.input<typeof ApproveSoaSchema>;
