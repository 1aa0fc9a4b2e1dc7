import { selectorMatches, type LabelSelector } from '@/lib/analysis/model/labels';
import { apiGroupOf, isClusterScoped, isPlatformDefault, refOf, type AnyObject, type ResourceRef } from '@/lib/analysis/model/kube';
import { RESOURCE_KINDS, type ResourceName, type SnapshotObjects } from '@/lib/analysis/snapshot/schema';
import { celRuntimeMessage, compileCel, type CelProgram } from './compile';

/**
 * A cluster's own ValidatingAdmissionPolicy (admissionregistration.k8s.io/v1), evaluated against the objects already
 * running (issue 23): admission only judged requests, so objects created before the policy, or let through by Warn /
 * Audit or failurePolicy Ignore, may still violate it. Pure.
 *
 * Per binding: objects in the policy's matchConstraints and the binding's matchResources (resourceRules by plural
 * resource, namespaceSelector, objectSelector, excludeResourceRules), then matchConditions (all must be true),
 * variables (in order, each may read the earlier ones as `variables.<name>`), validations (first false decides).
 * What cannot be evaluated on stored objects is reported as not evaluable with the reason, never passed: parameter
 * resources (paramKind), `request`, `oldObject`, `authorizer`, CEL functions the evaluator lacks.
 */

type Selector = { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] };
type ResourceRule = { apiGroups?: string[]; resources?: string[]; resourceNames?: string[]; operations?: string[] };
export type MatchResources = { resourceRules?: ResourceRule[]; excludeResourceRules?: ResourceRule[]; namespaceSelector?: Selector; objectSelector?: Selector };
export type VapPolicy = {
  metadata: { name: string };
  spec: {
    paramKind?: unknown;
    matchConstraints?: MatchResources;
    matchConditions?: { name: string; expression: string }[];
    variables?: { name: string; expression: string }[];
    validations?: { expression: string; message?: string; messageExpression?: string }[];
    failurePolicy?: string;
  };
};
export type VapBinding = { metadata: { name: string }; spec: { policyName: string; paramRef?: unknown; matchResources?: MatchResources; validationActions?: string[] } };

export type VapResult = {
  policy: string;
  binding: string;
  validationActions: string[];
  status: 'evaluated' | 'not_evaluable';
  reason?: string;
  evaluated: number;
  /** `validation`: the index of the first validation that returned false, `expression` its source. */
  violations: { ref: ResourceRef; message: string; validation: number; expression: string }[];
  errors: { ref: ResourceRef; message: string }[];
};

const UNAVAILABLE = ['request', 'oldObject', 'authorizer', 'params'];

function toSelector(selector: Selector | undefined): LabelSelector | undefined {
  if (!selector) return undefined;
  return { matchLabels: selector.matchLabels ?? {}, matchExpressions: (selector.matchExpressions ?? []).map((e) => ({ key: e.key, operator: e.operator, values: e.values ?? [] })) };
}

function ruleMatches(rule: ResourceRule, resource: ResourceName, object: AnyObject): boolean {
  const groups = rule.apiGroups ?? [];
  const resources = rule.resources ?? [];
  const operations = rule.operations ?? ['*'];
  // Existing objects stand for a CREATE (and an UPDATE) of themselves.
  if (!operations.some((op) => op === '*' || op === 'CREATE' || op === 'UPDATE')) return false;
  if (!groups.includes('*') && !groups.includes(apiGroupOf(object.apiVersion))) return false;
  if (!resources.includes('*') && !resources.includes(resource)) return false;
  if (rule.resourceNames && rule.resourceNames.length > 0 && !rule.resourceNames.includes(object.metadata.name)) return false;
  return true;
}

function resourcesMatch(match: MatchResources | undefined, resource: ResourceName, object: AnyObject, namespace: AnyObject | undefined): boolean {
  if (!match) return true;
  if (match.resourceRules && !match.resourceRules.some((rule) => ruleMatches(rule, resource, object))) return false;
  if (match.excludeResourceRules?.some((rule) => ruleMatches(rule, resource, object))) return false;
  const namespaceSelector = toSelector(match.namespaceSelector);
  if (namespaceSelector && !isClusterScoped(object.kind) && !selectorMatches(namespaceSelector, namespace?.metadata.labels)) return false;
  if (namespaceSelector && object.kind === 'Namespace' && !selectorMatches(namespaceSelector, object.metadata.labels)) return false;
  const objectSelector = toSelector(match.objectSelector);
  if (objectSelector && !selectorMatches(objectSelector, object.metadata.labels)) return false;
  return true;
}

type Compiled = { conditions: CelProgram[]; variables: { name: string; program: CelProgram }[]; validations: { program: CelProgram; expression: string; message?: string; messageExpression?: CelProgram }[] };

function compilePolicy(policy: VapPolicy): { ok: true; compiled: Compiled } | { ok: false; reason: string } {
  if (policy.spec.paramKind) return { ok: false, reason: 'it reads parameter resources (paramKind), which Bulwark does not collect' };
  const compiled: Compiled = { conditions: [], variables: [], validations: [] };
  const compile = (source: string, expect: 'bool' | 'string' | 'any', where: string) => {
    const used = UNAVAILABLE.find((name) => new RegExp(`(^|[^.\\w])${name}\\b`).test(source));
    if (used) return { error: `${where} reads \`${used}\`, which does not exist for an object already stored` };
    const result = compileCel(source, expect, { variables: true });
    return result.ok ? { program: result.program } : { error: `${where}: ${result.error.message}` };
  };
  for (const [index, condition] of (policy.spec.matchConditions ?? []).entries()) {
    const result = compile(condition.expression, 'bool', `matchConditions[${index}] (${condition.name})`);
    if ('error' in result) return { ok: false, reason: result.error! };
    compiled.conditions.push(result.program);
  }
  for (const variable of policy.spec.variables ?? []) {
    const result = compile(variable.expression, 'any', `variable ${variable.name}`);
    if ('error' in result) return { ok: false, reason: result.error! };
    compiled.variables.push({ name: variable.name, program: result.program });
  }
  for (const [index, validation] of (policy.spec.validations ?? []).entries()) {
    const result = compile(validation.expression, 'bool', `validations[${index}]`);
    if ('error' in result) return { ok: false, reason: result.error! };
    let messageExpression: CelProgram | undefined;
    if (validation.messageExpression) {
      const message = compile(validation.messageExpression, 'string', `validations[${index}].messageExpression`);
      if ('program' in message) messageExpression = message.program;
    }
    compiled.validations.push({ program: result.program, expression: validation.expression, message: validation.message, messageExpression });
  }
  if (compiled.validations.length === 0) return { ok: false, reason: 'it has no validations (only audit annotations or none), nothing to judge' };
  return { ok: true, compiled };
}

/** Evaluates every binding of every policy against the snapshot's objects. */
export function evaluateAdmissionPolicies(
  policies: readonly VapPolicy[],
  bindings: readonly VapBinding[],
  objects: SnapshotObjects,
  options: { includePlatform?: boolean; isCollected?: (resource: ResourceName) => boolean } = {},
): VapResult[] {
  const namespaces = new Map(objects.namespaces.map((ns) => [ns.metadata.name, ns]));
  const results: VapResult[] = [];
  for (const binding of bindings) {
    const policy = policies.find((p) => p.metadata.name === binding.spec.policyName);
    const base = { policy: binding.spec.policyName, binding: binding.metadata.name, validationActions: binding.spec.validationActions ?? [], evaluated: 0, violations: [], errors: [] };
    if (!policy) {
      results.push({ ...base, status: 'not_evaluable', reason: `the policy ${binding.spec.policyName} was not collected` });
      continue;
    }
    const compiled = compilePolicy(policy);
    if (!compiled.ok) {
      results.push({ ...base, status: 'not_evaluable', reason: compiled.reason });
      continue;
    }
    const result: VapResult = { ...base, violations: [], errors: [], status: 'evaluated' };
    // Only the lists the policy's resourceRules can name (by plural; groups are judged per object below).
    const rules = policy.spec.matchConstraints?.resourceRules;
    const named = (resource: ResourceName) => !rules || rules.some((rule) => (rule.resources ?? []).some((r) => r === '*' || r === resource));
    for (const [resource] of Object.entries(RESOURCE_KINDS) as [ResourceName, string][]) {
      const list = objects[resource] as readonly AnyObject[] | undefined;
      if (!list || !named(resource)) continue;
      for (const object of list) {
        if (!options.includePlatform && isPlatformDefault(object)) continue;
        const namespace = object.metadata.namespace ? namespaces.get(object.metadata.namespace) : undefined;
        if (!resourcesMatch(policy.spec.matchConstraints, resource, object, namespace)) continue;
        if (!resourcesMatch(binding.spec.matchResources, resource, object, namespace)) continue;
        const ref = refOf(object);
        const bindingsOf: Record<string, unknown> = { object, namespaceObject: namespace ?? null, params: null, variables: {} };
        try {
          if (!compiled.compiled.conditions.every((condition) => condition.run(bindingsOf as never) === true)) continue;
          const variables: Record<string, unknown> = {};
          bindingsOf.variables = variables;
          for (const variable of compiled.compiled.variables) variables[variable.name] = variable.program.run(bindingsOf as never);
          result.evaluated += 1;
          for (const [index, validation] of compiled.compiled.validations.entries()) {
            const outcome = validation.program.run(bindingsOf as never);
            if (outcome === true) continue;
            if (outcome !== false) throw new Error(`a validation returned ${typeof outcome}, not a boolean`);
            let message = validation.message ?? `failed expression of ${policy.metadata.name}`;
            if (validation.messageExpression) {
              try {
                const built = validation.messageExpression.run(bindingsOf as never);
                if (typeof built === 'string' && built) message = built;
              } catch {
                // as Kubernetes: fall back to message
              }
            }
            result.violations.push({ ref, message, validation: index, expression: validation.expression });
            break;
          }
        } catch (error) {
          result.errors.push({ ref, message: celRuntimeMessage(error) });
        }
      }
    }
    results.push(result);
  }
  return results;
}

/** "14 running Deployments predate policy require-owner-label and violate it" */
export function describeVapResult(result: VapResult): string {
  if (result.status === 'not_evaluable') return `policy ${result.policy} (binding ${result.binding}) is not evaluable: ${result.reason ?? ''}`;
  const kinds = new Map<string, number>();
  for (const v of result.violations) kinds.set(v.ref.kind, (kinds.get(v.ref.kind) ?? 0) + 1);
  const parts = [...kinds].map(([kind, n]) => `${n} running ${kind}${n === 1 ? '' : 's'}`);
  if (parts.length === 0) return `nothing running violates policy ${result.policy}`;
  const one = result.violations.length === 1;
  return `${parts.join(', ')} ${one ? 'predates' : 'predate'} policy ${result.policy} and ${one ? 'violates' : 'violate'} it`;
}
