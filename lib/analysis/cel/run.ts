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

/** A match with its selectors read once (a rule's match is judged against every object of the lists it names). */
type PreparedMatch = { match: MatchSpec; namespaceSelector: LabelSelector | undefined; objectSelector: LabelSelector | undefined };

function prepareMatch(match: MatchSpec): PreparedMatch {
  return {
    match,
    namespaceSelector: match.namespaceSelector ? toSelector(match.namespaceSelector) : undefined,
    objectSelector: match.objectSelector ? toSelector(match.objectSelector) : undefined,
  };
}

/** Kubernetes' match semantics for one object; `namespace` is the object's Namespace object when collected. */
export function objectMatches(match: MatchSpec, object: AnyObject, namespace: AnyObject | undefined): boolean {
  return preparedMatches(prepareMatch(match), object, namespace);
}

function preparedMatches({ match, namespaceSelector, objectSelector }: PreparedMatch, object: AnyObject, namespace: AnyObject | undefined): boolean {
  const group = apiGroupOf(object.apiVersion);
  let byResource = false;
  for (const resource of match.resources) {
    if (
      (resource.kinds.includes('*') || resource.kinds.includes(object.kind)) &&
      (!resource.apiGroups || resource.apiGroups.length === 0 || resource.apiGroups.includes('*') || resource.apiGroups.includes(group))
    ) {
      byResource = true;
      break;
    }
  }
  if (!byResource) return false;
  const clusterScoped = isClusterScoped(object.kind);
  const namespaceName = clusterScoped ? (object.kind === 'Namespace' ? object.metadata.name : null) : (object.metadata.namespace ?? 'default');
  if (match.namespaces && match.namespaces.length > 0) {
    if (namespaceName === null || !match.namespaces.some((p) => patternMatches(p, namespaceName))) return false;
  }
  if (match.excludedNamespaces && namespaceName !== null && match.excludedNamespaces.some((p) => patternMatches(p, namespaceName))) return false;
  if (namespaceSelector && namespaceName !== null) {
    // As in Kubernetes: a Namespace is selected by its own labels; other cluster-scoped objects are not filtered.
    const source = object.kind === 'Namespace' ? object : namespace;
    if (!selectorMatches(namespaceSelector, labelsOf(source))) return false;
  }
  if (objectSelector && !selectorMatches(objectSelector, labelsOf(object))) return false;
  return true;
}

/** Namespaces by name, once per snapshot list: every custom control of an evaluation looks them up. */
const NAMESPACES_BY_LIST = new WeakMap<readonly AnyObject[], Map<string, AnyObject>>();
function namespacesByName(list: readonly AnyObject[]): Map<string, AnyObject> {
  let byName = NAMESPACES_BY_LIST.get(list);
  if (!byName) NAMESPACES_BY_LIST.set(list, (byName = new Map(list.map((ns) => [ns.metadata.name, ns]))));
  return byName;
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
  const namespaces = namespacesByName(input.objects.namespaces);
  const match = prepareMatch(rule.match);
  const run: RuleRun = { evaluated: 0, violations: [], errors: [], notCollected: [], stopped: false };
  for (const resource of matchedResources(rule.match)) {
    if (!input.isCollected(resource)) {
      run.notCollected.push(resource);
      continue;
    }
    const list = (input.objects[resource] ?? []) as readonly AnyObject[];
    for (const object of list) {
      const namespace = object.metadata.namespace ? namespaces.get(object.metadata.namespace) : undefined;
      if (!preparedMatches(match, object, namespace)) continue;
      const isPlatform = isPlatformDefault(object);
      if (isPlatform && !input.includePlatform) continue;
      const objectStarted = clock();
      if (objectStarted - started > limits.perControlMs) {
        run.stopped = true;
        run.errors.push({ ref: null, message: `stopped after ${limits.perControlMs} ms (the control's time limit) with ${run.evaluated} objects evaluated` });
        return run;
      }
      run.evaluated += 1;
      // refOf(object) only for what gets reported: most objects pass.
      const bindings = { object, namespaceObject: namespace ?? null, params: input.params };
      // In order; the first validation that fails, errs or returns a non-boolean decides, as admission does.
      for (let index = 0; index < rule.validations.length; index++) {
        const validation = rule.validations[index] as CompiledRule['validations'][number];
        let result: unknown;
        try {
          result = validation.expression.run(bindings);
        } catch (error) {
          run.errors.push({ ref: refOf(object), message: `validation ${index + 1}: ${celRuntimeMessage(error)}` });
          break;
        }
        if (result !== true && result !== false) {
          run.errors.push({ ref: refOf(object), message: `validation ${index + 1} returned ${typeof result}, not a boolean` });
          break;
        }
        if (result) continue;
        run.violations.push({ object, ref: refOf(object), isPlatform, validation: index, message: messageFor(validation, bindings, index) });
        break;
      }
      const spent = clock() - objectStarted;
      if (spent > limits.perObjectMs) run.errors.push({ ref: refOf(object), message: `took ${Math.round(spent)} ms, over the ${limits.perObjectMs} ms limit per object` });
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
