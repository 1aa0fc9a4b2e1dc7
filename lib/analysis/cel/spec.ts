import { z } from 'zod';
import { compileCel, type CelCompileError, type CelProgram } from './compile';

/**
 * A custom control's rule, shaped like a ValidatingAdmissionPolicy (matchConstraints + validations) so rules move
 * between the two. Title, rationale, remediation and requirement mappings are the service's (lib/services/policies);
 * this is what the engine needs to run it.
 */

const name = z.string().trim().min(1).max(253);
/** Namespace names; a `*` matches any run of characters (`ingress-*`). */
const namePattern = z.string().trim().min(1).max(253).regex(/^[a-z0-9*]([-a-z0-9.*]*[a-z0-9*])?$/, 'a namespace name, optionally with * wildcards');

const SelectorRequirementSchema = z
  .object({
    key: z.string().trim().min(1).max(317),
    operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
    values: z.array(z.string().max(63)).max(100).default([]),
  })
  .strict()
  .refine((r) => (r.operator === 'In' || r.operator === 'NotIn' ? r.values.length > 0 : r.values.length === 0), {
    message: 'In and NotIn need values; Exists and DoesNotExist take none',
    path: ['values'],
  });

export const LabelSelectorSpecSchema = z
  .object({
    matchLabels: z.record(z.string().max(317), z.string().max(63)).default({}),
    matchExpressions: z.array(SelectorRequirementSchema).max(20).default([]),
  })
  .strict();

export const ResourceMatchSchema = z
  .object({
    /** '' is the core group; omitted or ['*'] matches any group. */
    apiGroups: z.array(z.string().max(253)).max(20).optional(),
    kinds: z.array(name).min(1).max(20),
  })
  .strict();

export const MatchSpecSchema = z
  .object({
    resources: z.array(ResourceMatchSchema).min(1).max(20),
    /** Only objects in these namespaces (names or `*` patterns); cluster-scoped objects then never match. */
    namespaces: z.array(namePattern).max(100).optional(),
    /** Only objects whose namespace carries these labels (Namespace objects: their own labels, as in Kubernetes). */
    namespaceSelector: LabelSelectorSpecSchema.optional(),
    /** Only objects carrying these labels. */
    objectSelector: LabelSelectorSpecSchema.optional(),
    /** Never objects in these namespaces (names or `*` patterns). */
    excludedNamespaces: z.array(namePattern).max(100).optional(),
  })
  .strict();

export const ValidationSpecSchema = z
  .object({
    /** CEL over `object`, `namespaceObject` and `params`; true means the object complies. */
    expression: z.string().min(1).max(5000),
    /** A fixed message when the expression is false. */
    message: z.string().trim().max(1000).optional(),
    /** CEL returning the message (falls back to `message` if it fails at run time). */
    messageExpression: z.string().max(5000).optional(),
  })
  .strict();

export const RuleSpecSchema = z
  .object({
    match: MatchSpecSchema,
    validations: z.array(ValidationSpecSchema).min(1).max(20),
  })
  .strict();

export type LabelSelectorSpec = z.infer<typeof LabelSelectorSpecSchema>;
export type MatchSpec = z.infer<typeof MatchSpecSchema>;
export type RuleSpec = z.infer<typeof RuleSpecSchema>;

export type CompiledValidation = { expression: CelProgram; message?: string; messageExpression?: CelProgram };
export type CompiledRule = { match: MatchSpec; validations: CompiledValidation[] };
/** A compile error with the field it belongs to, as a form or the API names it: `validations.0.expression`. */
export type RuleCompileError = CelCompileError & { field: string };

/** Compiles every expression of a rule; all errors at once, each naming its field. */
export function compileRule(spec: RuleSpec): { ok: true; rule: CompiledRule } | { ok: false; errors: RuleCompileError[] } {
  const errors: RuleCompileError[] = [];
  const validations: CompiledValidation[] = [];
  spec.validations.forEach((validation, index) => {
    const expression = compileCel(validation.expression, 'bool');
    if (!expression.ok) errors.push({ field: `validations.${index}.expression`, ...expression.error });
    let messageExpression: CelProgram | undefined;
    if (validation.messageExpression !== undefined && validation.messageExpression.trim() !== '') {
      const compiled = compileCel(validation.messageExpression, 'string');
      if (!compiled.ok) errors.push({ field: `validations.${index}.messageExpression`, ...compiled.error });
      else messageExpression = compiled.program;
    }
    if (expression.ok) validations.push({ expression: expression.program, message: validation.message, messageExpression });
  });
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, rule: { match: spec.match, validations } };
}
