import { z } from 'zod';
import { RuleSpecSchema } from '../../analysis/cel';

const KEY = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
export const CustomControlKeySchema = z.string().trim().regex(KEY, 'lower-case letters, digits and dashes, at most 63 characters');
const text = (max: number) => z.string().trim().min(1).max(max);
/** A catalog requirement id (`iso27001-2022:A.8.9`, `cis-k8s-1.9:5.2.2`) or one of the organization's frameworks (`<key>:<code>`). */
const RequirementRefSchema = z.string().trim().regex(/^[a-z0-9][a-z0-9.-]{0,62}:[A-Za-z0-9._-]{1,40}$/, 'a requirement like iso27001-2022:A.8.9, cis-k8s-1.9:5.2.2 or <framework key>:<code>');

export const CustomControlContentSchema = z
  .object({
    title: text(200),
    severity: z.enum(['critical', 'high', 'medium', 'low']),
    rationale: text(4000),
    remediation: text(4000),
    rule: RuleSpecSchema,
    requirementIds: z.array(RequirementRefSchema).max(50).default([]),
  })
  .strict();
export type CustomControlContent = z.infer<typeof CustomControlContentSchema>;

export const CreateCustomControlSchema = CustomControlContentSchema.extend({ key: CustomControlKeySchema }).strict();
export const UpdateCustomControlSchema = CustomControlContentSchema.extend({ customControlId: z.uuid() }).strict();
export const SetCustomControlEnabledSchema = z.object({ customControlId: z.uuid(), enabled: z.boolean() }).strict();
export const CustomControlIdSchema = z.object({ customControlId: z.uuid() }).strict();

export const PreviewSchema = z
  .object({
    rule: RuleSpecSchema,
    /** Clusters to try the rule on (their latest evaluated snapshot); empty: every active cluster. */
    clusterIds: z.array(z.uuid()).max(20).default([]),
  })
  .strict();

export const OrgFrameworkSchema = z
  .object({
    key: CustomControlKeySchema,
    name: text(200),
    description: z.string().trim().max(2000).default(''),
    requirements: z
      .array(z.object({ code: z.string().trim().regex(/^[A-Za-z0-9._-]{1,40}$/, 'letters, digits, dots, dashes (at most 40)'), title: text(300) }).strict())
      .min(1)
      .max(200),
  })
  .strict();
