import type { KubeObject } from '@/lib/analysis/snapshot/schema';
import { isRecord, ParseIssue, readArray, readRecord, readString } from '../json';
import { readLabelSelector, selectorMatches, type LabelSelector } from '../labels';
import { readPolicyRules, grantedVerbs, type PermissionQuery, type PolicyRule } from './rules';

export type SubjectKind = 'User' | 'Group' | 'ServiceAccount';
export type RbacSubject = { kind: SubjectKind; name: string; namespace: string | null };

/** A rule as a binding sees it: where it is written, and through which aggregated ClusterRoles it arrived. */
export type EffectiveRule = { rule: PolicyRule; viaAggregation: string[] | undefined };

export type RoleView = {
  object: KubeObject;
  kind: 'Role' | 'ClusterRole';
  namespace: string | null;
  name: string;
  /** The rules written in the object itself (for a live aggregated role: already filled in by the controller). */
  ownRules: PolicyRule[];
  clusterRoleSelectors: LabelSelector[] | undefined;
  /** A default ClusterRole the engine supplied because the snapshot (a set of manifests) lacks it. */
  assumed: boolean;
};

export type BindingView = {
  object: KubeObject;
  kind: 'RoleBinding' | 'ClusterRoleBinding';
  /** The namespace the grant applies to; null for a ClusterRoleBinding (every namespace and cluster-scoped resources). */
  namespace: string | null;
  name: string;
  roleRef: { kind: string; name: string };
  /** Undefined when the roleRef names a role that is not in the snapshot. */
  role: RoleView | undefined;
  subjects: RbacSubject[];
};

/** What a binding grants for one query: the first rule that grants it, and all the verbs granted by any rule. */
export type GrantMatch = { effective: EffectiveRule; verbs: string[] };

export type RbacInput = {
  roles: readonly KubeObject[];
  clusterroles: readonly KubeObject[];
  rolebindings: readonly KubeObject[];
  clusterrolebindings: readonly KubeObject[];
  /** Default ClusterRoles to assume when the snapshot has none of that name (offline scans). */
  assumedClusterRoles?: readonly KubeObject[];
};

/**
 * One model of who can do what: subjects -> bindings -> roles -> rules, with ClusterRole aggregation resolved
 * here rather than trusted from the object. A manifest's aggregated role has empty rules and a live one has them
 * filled in by the controller; resolving the selectors ourselves gives both the same answer.
 */
export class RbacModel {
  readonly roles: RoleView[] = [];
  readonly bindings: BindingView[] = [];
  private readonly rolesByKey = new Map<string, RoleView>();
  private readonly clusterRoles: RoleView[] = [];
  private readonly effectiveCache = new Map<RoleView, EffectiveRule[]>();
  private readonly grantCache = new Map<PermissionQuery, Map<RoleView, GrantMatch | null>>();
  private readonly selectionCache = new Map<RoleView, RoleView[]>();

  constructor(input: RbacInput, onParseError: (object: KubeObject, error: unknown) => void) {
    for (const [kind, list, assumed] of [
      ['Role', input.roles, false],
      ['ClusterRole', input.clusterroles, false],
      ['ClusterRole', input.assumedClusterRoles ?? [], true],
    ] as const) {
      for (const object of list) {
        if (assumed && this.rolesByKey.has(roleKey(kind, null, object.metadata.name))) continue;
        try {
          const role = readRole(object, kind, assumed);
          this.roles.push(role);
          this.rolesByKey.set(roleKey(kind, role.namespace, role.name), role);
          if (kind === 'ClusterRole') this.clusterRoles.push(role);
        } catch (error) {
          onParseError(object, error);
        }
      }
    }
    for (const [kind, list] of [
      ['RoleBinding', input.rolebindings],
      ['ClusterRoleBinding', input.clusterrolebindings],
    ] as const) {
      for (const object of list) {
        try {
          this.bindings.push(this.readBinding(object, kind));
        } catch (error) {
          onParseError(object, error);
        }
      }
    }
  }

  findRole(kind: 'Role' | 'ClusterRole', namespace: string | null, name: string): RoleView | undefined {
    return this.rolesByKey.get(roleKey(kind, kind === 'Role' ? namespace : null, name));
  }

  /**
   * The role's own rules, then the rules of every ClusterRole its aggregationRule selects (transitively, since an
   * aggregated role can itself be selected, as `edit` is by `admin`).
   */
  effectiveRules(role: RoleView): EffectiveRule[] {
    return this.resolve(role);
  }

  /** The first rule of the binding's role that grants the query, with every verb granted by any rule. */
  findGrant(binding: BindingView, query: PermissionQuery): GrantMatch | undefined {
    if (!binding.role) return undefined;
    if (query.clusterScoped && binding.kind === 'RoleBinding') return undefined;
    // What the role grants depends on the role and the query only, and thousands of bindings share a few roles
    // (every namespace's `edit`): answered once per (query, role) and shared, read-only, by the bindings.
    let byRole = this.grantCache.get(query);
    if (!byRole) this.grantCache.set(query, (byRole = new Map()));
    const cached = byRole.get(binding.role);
    if (cached !== undefined) return cached ?? undefined;
    let first: EffectiveRule | undefined;
    // Made on the first grant: most bindings grant nothing a given control asks about.
    let verbs: Set<string> | undefined;
    for (const effective of this.effectiveRules(binding.role)) {
      const granted = grantedVerbs(effective.rule, query);
      if (granted.length === 0) continue;
      first ??= effective;
      verbs ??= new Set();
      for (const verb of granted) verbs.add(verb);
    }
    const grant: GrantMatch | undefined = first && verbs ? { effective: first, verbs: [...verbs] } : undefined;
    byRole.set(binding.role, grant ?? null);
    return grant;
  }

  /** The first rule matching a predicate (for shapes a query cannot express, such as `*` everywhere). */
  findRule(binding: BindingView, predicate: (rule: PolicyRule) => boolean): EffectiveRule | undefined {
    if (!binding.role) return undefined;
    return this.effectiveRules(binding.role).find((effective) => predicate(effective.rule));
  }

  /**
   * Aggregation as the controller computes it, to a fixpoint: the role's own rules, then the own rules of every
   * ClusterRole reachable through selectors (breadth first, each role once, so cycles and diamonds cost nothing
   * extra). viaAggregation is the shortest chain of ClusterRoles the rule came through.
   */
  private resolve(role: RoleView): EffectiveRule[] {
    const cached = this.effectiveCache.get(role);
    if (cached) return cached;
    const rules: EffectiveRule[] = role.ownRules.map((rule) => ({ rule, viaAggregation: undefined }));
    if (role.clusterRoleSelectors) {
      const visited = new Set<RoleView>([role]);
      const queue: { role: RoleView; path: string[] }[] = [];
      const enqueue = (from: RoleView, path: string[]) => {
        for (const next of this.selectedBy(from)) {
          if (visited.has(next)) continue;
          visited.add(next);
          queue.push({ role: next, path: [...path, next.name] });
        }
      };
      enqueue(role, []);
      for (let i = 0; i < queue.length; i++) {
        const { role: source, path } = queue[i] as { role: RoleView; path: string[] };
        for (const rule of source.ownRules) rules.push({ rule, viaAggregation: path });
        if (source.clusterRoleSelectors) enqueue(source, path);
      }
    }
    this.effectiveCache.set(role, rules);
    return rules;
  }

  /** The ClusterRoles an aggregated ClusterRole's selectors match (computed once per role). */
  private selectedBy(role: RoleView): RoleView[] {
    const cached = this.selectionCache.get(role);
    if (cached) return cached;
    const selectors = role.clusterRoleSelectors ?? [];
    // Loops, not filter(some(...)): a closure per candidate was most of what resolving aggregation allocated.
    const selected: RoleView[] = [];
    for (const candidate of this.clusterRoles) {
      if (candidate === role) continue;
      const labels = candidate.object.metadata.labels;
      for (const selector of selectors) {
        if (!selectorMatches(selector, labels)) continue;
        selected.push(candidate);
        break;
      }
    }
    this.selectionCache.set(role, selected);
    return selected;
  }

  private readBinding(object: KubeObject, kind: BindingView['kind']): BindingView {
    const roleRef = readRecord(object.roleRef, 'roleRef');
    if (!roleRef) throw new ParseIssue('roleRef', 'a roleRef');
    const refKind = readString(roleRef.kind, 'roleRef.kind') ?? '';
    const refName = readString(roleRef.name, 'roleRef.name') ?? '';
    const namespace = kind === 'RoleBinding' ? object.metadata.namespace || 'default' : null;
    // A ClusterRoleBinding can only reference a ClusterRole; the API server rejects anything else.
    const role =
      refKind === 'ClusterRole' || (refKind === 'Role' && kind === 'RoleBinding')
        ? this.findRole(refKind, namespace, refName)
        : undefined;
    const subjects = readArray(object.subjects, 'subjects').map((raw, index) => readSubject(raw, `subjects[${index}]`, namespace));
    return { object, kind, namespace, name: object.metadata.name, roleRef: { kind: refKind, name: refName }, role, subjects };
  }
}

function readRole(object: KubeObject, kind: RoleView['kind'], assumed: boolean): RoleView {
  const aggregation = readRecord(object.aggregationRule, 'aggregationRule');
  const selectors = aggregation
    ? readArray(aggregation.clusterRoleSelectors, 'aggregationRule.clusterRoleSelectors')
        .map((raw, index) => readLabelSelector(raw, `aggregationRule.clusterRoleSelectors[${index}]`))
        .filter((selector): selector is LabelSelector => selector !== undefined)
    : undefined;
  return {
    object,
    kind,
    namespace: kind === 'Role' ? object.metadata.namespace || 'default' : null,
    name: object.metadata.name,
    ownRules: readPolicyRules(object.rules, 'rules'),
    clusterRoleSelectors: kind === 'ClusterRole' ? selectors : undefined,
    assumed,
  };
}

function readSubject(raw: unknown, path: string, bindingNamespace: string | null): RbacSubject {
  if (!isRecord(raw)) throw new ParseIssue(path, 'a subject');
  const kind = readString(raw.kind, `${path}.kind`);
  if (kind !== 'User' && kind !== 'Group' && kind !== 'ServiceAccount') throw new ParseIssue(`${path}.kind`, 'User, Group or ServiceAccount');
  const name = readString(raw.name, `${path}.name`) ?? '';
  // A ServiceAccount subject without a namespace in a RoleBinding means the binding's own namespace.
  const namespace = kind === 'ServiceAccount' ? readString(raw.namespace, `${path}.namespace`) || bindingNamespace : null;
  return { kind, name, namespace };
}

function roleKey(kind: string, namespace: string | null, name: string): string {
  return `${kind}\u0000${namespace ?? ''}\u0000${name}`;
}

export function describeSubject(subject: RbacSubject): string {
  return subject.kind === 'ServiceAccount' ? `ServiceAccount ${subject.namespace ?? '?'}/${subject.name}` : `${subject.kind} "${subject.name}"`;
}

/** "in namespace x" or "cluster-wide", for messages. */
export function describeScope(binding: BindingView): string {
  return binding.namespace ? `in namespace ${binding.namespace}` : 'cluster-wide';
}
