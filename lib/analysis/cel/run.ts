import { selectorMatches, type LabelSelector } from '@/lib/analysis/model/labels';
import { apiGroupOf, isClusterScoped, isPlatformDefault, refOf, type AnyObject, type ResourceRef } from '@/lib/analysis/model/kube';
import { RESOURCE_KINDS, type ResourceName, type SnapshotObjects } from '@/lib/analysis/snapshot/schema';
import { celRuntimeMessage } from './compile';
import type { CompiledRule, LabelSelectorSpec, MatchSpec } from './spec';

/** Time limits for one custom control: a bad rule stops, recorded as an error, instead of stalling the worker. */
export const CEL_TIME_LIMITS = { perObjectMs: 50, perControlMs: 2_000 } as const;

export type CelLimits = { perObjectMs: number; perControlMs: number };

/** A violation: the object, the failing validation (0-based) and the message. */
export type RuleViolation = { object: AnyObject; ref: ResourceRef; isPlatform: boolean; validation: number; message: string };
export type RuleError = { ref: ResourceRef | null; message: string };
export type RuleRun = {
  evaluated: number;
  violations: RuleViolation[];
  errors: RuleError[];
  /** Lists the rule matches that the agent could not read: the rule cannot be decided on them. */
  notCollected: ResourceName[];
  /** The per-control time limit stopped the run before every object was evaluated. */
  stopped: boolean;
};

export type RuleInput = {
  objects: SnapshotObjects;
  isCollected: (resource: ResourceName) => boolean;
  params: Record<string, unknown>;
  includePlatform: boolean;
  limits?: CelLimits;
  /** Monotonic milliseconds (performance.now); injected so tests can drive the time limits. */
  clock?: () => number;
};

const RESOURCE_ENTRIES = Object.entries(RESOURCE_KINDS) as [ResourceName, string][];

/** `ingress-*` → /^ingress-.*$/ (only `*` is special); compiled once per pattern. */
const PATTERNS = new Map<string, RegExp>();
function patternMatches(pattern: string, value: string): boolean {
  if (!pattern.includes('*')) return pattern === value;
  let compiled = PATTERNS.get(pattern);
  if (!compiled) {
    const parts = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
    compiled = new RegExp(`^${parts.join('.*')}$`);
    if (PATTERNS.size > 1000) PATTERNS.clear();
    PATTERNS.set(pattern, compiled);
  }
  return compiled.test(value);
}

function toSelector(spec: LabelSelectorSpec): LabelSelector {
  return { matchLabels: spec.matchLabels, matchExpressions: spec.matchExpressions.map((e) => ({ key: e.key, operator: e.operator, values: e.values })) };
}

function labelsOf(object: AnyObject | undefined): Record<string, string> | undefined {
  const labels = object?.metadata.labels;
  return labels && typeof labels === 'object' ? (labels as Record<string, string>) : undefined;
}

/** Which snapshot lists a match reads: by kind, and the group the list's objects belong to. */
export function matchedResources(match: MatchSpec): ResourceName[] {
  const kinds = new Set(match.resources.flatMap((resource) => resource.kinds));
  return RESOURCE_ENTRIES.filter(([, kind]) => kinds.has(kind) || kinds.has('*')).map(([resource]) => resource);
}

/** Kubernetes' match semantics for one object; `namespace` is the object's Namespace object when collected. */
export function objectMatches(match: MatchSpec, object: AnyObject, namespace: AnyObject | undefined): boolean {
  const group = apiGroupOf(object.apiVersion);
  const byResource = match.resources.some(
    (resource) =>
      (resource.kinds.includes('*') || resource.kinds.includes(object.kind)) &&
      (!resource.apiGroups || resource.apiGroups.length === 0 || resource.apiGroups.includes('*') || resource.apiGroups.includes(group)),
  );
  if (!byResource) return false;
  const clusterScoped = isClusterScoped(object.kind);
  const namespaceName = clusterScoped ? (object.kind === 'Namespace' ? object.metadata.name : null) : (object.metadata.namespace ?? 'default');
  if (match.namespaces && match.namespaces.length > 0) {
    if (namespaceName === null || !match.namespaces.some((p) => patternMatches(p, namespaceName))) return false;
  }
  if (match.excludedNamespaces && namespaceName !== null && match.excludedNamespaces.some((p) => patternMatches(p, namespaceName))) return false;
  if (match.namespaceSelector && namespaceName !== null) {
    // As in Kubernetes: a Namespace is selected by its own labels; other cluster-scoped objects are not filtered.
    const source = object.kind === 'Namespace' ? object : namespace;
    if (!selectorMatches(toSelector(match.namespaceSelector), labelsOf(source))) return false;
  }
  if (match.objectSelector && !selectorMatches(toSelector(match.objectSelector), labelsOf(object))) return false;
  return true;
}

/**
 * Runs one compiled rule over a snapshot's objects. Validations run in order and the first that fails decides the
 * message (as admission does). A runtime error on an object (missing field without `has()`, a non-boolean result)
 * is recorded for that object and the run goes on; the per-object time limit records an error for a slow object,
 * the per-control limit stops the rule. Never throws because of content.
 */
export function runRule(rule: CompiledRule, input: RuleInput): RuleRun {
  const limits = input.limits ?? CEL_TIME_LIMITS;
  const clock = input.clock ?? (() => performance.now());
  const started = clock();
  const namespaces = new Map(input.objects.namespaces.map((ns) => [ns.metadata.name, ns]));
  const run: RuleRun = { evaluated: 0, violations: [], errors: [], notCollected: [], stopped: false };
  for (const resource of matchedResources(rule.match)) {
    if (!input.isCollected(resource)) {
      run.notCollected.push(resource);
      continue;
    }
    const list = (input.objects[resource] ?? []) as readonly AnyObject[];
    for (const object of list) {
      const namespace = object.metadata.namespace ? namespaces.get(object.metadata.namespace) : undefined;
      if (!objectMatches(rule.match, object, namespace)) continue;
      const isPlatform = isPlatformDefault(object);
      if (isPlatform && !input.includePlatform) continue;
      const ref = refOf(object);
      if (clock() - started > limits.perControlMs) {
        run.stopped = true;
        run.errors.push({ ref: null, message: `stopped after ${limits.perControlMs} ms (the control's time limit) with ${run.evaluated} objects evaluated` });
        return run;
      }
      run.evaluated += 1;
      const bindings = { object, namespaceObject: namespace ?? null, params: input.params };
      const objectStarted = clock();
      rule.validations.some((validation, index) => {
        let result: unknown;
        try {
          result = validation.expression.run(bindings);
        } catch (error) {
          run.errors.push({ ref, message: `validation ${index + 1}: ${celRuntimeMessage(error)}` });
          return true;
        }
        if (result !== true && result !== false) {
          run.errors.push({ ref, message: `validation ${index + 1} returned ${typeof result}, not a boolean` });
          return true;
        }
        if (result) return false;
        run.violations.push({ object, ref, isPlatform, validation: index, message: messageFor(validation, bindings, index) });
        return true;
      });
      const spent = clock() - objectStarted;
      if (spent > limits.perObjectMs) run.errors.push({ ref, message: `took ${Math.round(spent)} ms, over the ${limits.perObjectMs} ms limit per object` });
    }
  }
  return run;
}

function messageFor(validation: CompiledRule['validations'][number], bindings: Parameters<CompiledRule['validations'][number]['expression']['run']>[0], index: number): string {
  if (validation.messageExpression) {
    try {
      const message = validation.messageExpression.run(bindings);
      if (typeof message === 'string' && message.trim() !== '') return message.slice(0, 1000);
    } catch {
      // Kubernetes falls back to `message` when messageExpression fails; so do we.
    }
  }
  return validation.message ?? `failed validation ${index + 1}: ${validation.expression.source.slice(0, 200)}`;
}
