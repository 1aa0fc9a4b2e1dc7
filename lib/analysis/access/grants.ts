import { bootstrapClusterRoles } from '@/lib/analysis/model/rbac/bootstrap';
import { RbacModel, type RbacSubject, type SubjectKind } from '@/lib/analysis/model/rbac/model';
import type { Snapshot } from '@/lib/analysis/snapshot/schema';

/** Who a grant is for, as the binding names it (a ServiceAccount always with its namespace). */
export type AccessSubject = { kind: SubjectKind; name: string; namespace?: string };

/** Where a grant applies: one namespace (a RoleBinding), or the whole cluster (a ClusterRoleBinding). */
export type GrantScope = { namespace: string } | 'cluster';

/** How a subject got a right: subject -> binding -> role -> rule, and the aggregated ClusterRoles it came through. */
export type GrantChain = {
  binding: { kind: 'RoleBinding' | 'ClusterRoleBinding'; name: string; namespace?: string };
  role: { kind: 'Role' | 'ClusterRole'; name: string; namespace?: string };
  /**
   * Index of the rule in the role that holds it: the bound role, or (with aggregatedFrom) the last ClusterRole of
   * aggregatedFrom, whose rules the aggregation copied.
   */
  ruleIndex: number;
  /** The ClusterRoles the rule came through by aggregation, outermost first (`admin` > `edit` > ...). */
  aggregatedFrom?: string[];
  /** The role is a Kubernetes default the engine supplied because an offline snapshot lacks it. */
  assumedRole?: true;
};

/**
 * One effective right: one rule of one role, held by one subject of one binding, in one scope. Resources are in
 * Kubernetes' notation (`pods`, `pods/exec`, `*`, `*\/scale`); arrays are deduplicated and sorted; absent
 * resourceNames/nonResourceURLs mean "not restricted" / "none". Plain data: serializable as is.
 */
export type Grant = {
  subject: AccessSubject;
  verbs: string[];
  apiGroups: string[];
  resources: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
  scope: GrantScope;
  chain: GrantChain;
  /** A ServiceAccount subject that does not exist (yet) in the snapshot: whoever creates it gets the right. */
  subjectMissing?: true;
};

export type EffectivePermissionsInput = Snapshot | RbacModel;

/**
 * Every effective grant of a snapshot (or of an RbacModel the caller built), resolved by the same model the RBAC
 * controls use (lib/analysis/model/rbac): aggregation resolved from the selectors, RoleBindings to ClusterRoles
 * scoped to the binding's namespace, bindings whose role is missing granting nothing. Stable-sorted.
 */
export function effectivePermissions(input: EffectivePermissionsInput): Grant[] {
  const model = input instanceof RbacModel ? input : modelOf(input);
  const serviceAccountExists = input instanceof RbacModel ? undefined : serviceAccountLookup(input);
  const grants: Grant[] = [];
  for (const binding of model.bindings) {
    const role = binding.role;
    if (!role) continue;
    const effective = model.effectiveRules(role);
    const bindingRef: GrantChain['binding'] = { kind: binding.kind, name: binding.name, ...(binding.namespace ? { namespace: binding.namespace } : {}) };
    const roleRef: GrantChain['role'] = { kind: role.kind, name: role.name, ...(role.namespace ? { namespace: role.namespace } : {}) };
    const scope: GrantScope = binding.namespace ? { namespace: binding.namespace } : 'cluster';
    for (const { rule, viaAggregation } of effective) {
      const source = viaAggregation ? model.findRole('ClusterRole', null, viaAggregation[viaAggregation.length - 1] as string) : role;
      const ruleIndex = Math.max(0, source?.ownRules.indexOf(rule) ?? 0);
      const chain: GrantChain = {
        binding: bindingRef,
        role: roleRef,
        ruleIndex,
        ...(viaAggregation ? { aggregatedFrom: viaAggregation } : {}),
        ...(role.assumed ? { assumedRole: true as const } : {}),
      };
      for (const subject of binding.subjects) {
        const accessSubject = toAccessSubject(subject);
        const missing =
          subject.kind === 'ServiceAccount' && serviceAccountExists && !serviceAccountExists(subject.namespace ?? '', subject.name);
        grants.push({
          subject: accessSubject,
          verbs: sortedUnique(rule.verbs),
          apiGroups: sortedUnique(rule.apiGroups),
          resources: sortedUnique(rule.resources),
          ...(rule.resourceNames.length ? { resourceNames: sortedUnique(rule.resourceNames) } : {}),
          ...(rule.nonResourceURLs.length ? { nonResourceURLs: sortedUnique(rule.nonResourceURLs) } : {}),
          scope,
          chain,
          ...(missing ? { subjectMissing: true as const } : {}),
        });
      }
    }
  }
  return sortGrants(dedupeGrants(grants));
}

function modelOf(snapshot: Snapshot): RbacModel {
  // Same inputs as the engine (lib/analysis/engine/evaluate.ts): an offline manifest set binds to default roles it lacks.
  return new RbacModel(
    { ...snapshot.objects, assumedClusterRoles: snapshot.agent.mode === 'offline' ? bootstrapClusterRoles() : [] },
    () => undefined,
  );
}

/** Undefined when the snapshot did not collect ServiceAccounts: then nobody can say one is missing. */
function serviceAccountLookup(snapshot: Snapshot): ((namespace: string, name: string) => boolean) | undefined {
  const status = snapshot.collection.serviceaccounts;
  if (status && status.status !== 'collected') return undefined;
  // A manifest set rarely carries the ServiceAccounts its bindings name (the cluster creates them).
  if (snapshot.agent.mode === 'offline') return undefined;
  const list = snapshot.objects.serviceaccounts;
  if (!Array.isArray(list)) return undefined;
  const names = new Set(list.map((sa) => `${sa.metadata.namespace ?? ''}/${sa.metadata.name}`));
  return (namespace, name) => names.has(`${namespace}/${name}`);
}

export function toAccessSubject(subject: RbacSubject): AccessSubject {
  return subject.kind === 'ServiceAccount'
    ? { kind: 'ServiceAccount', name: subject.name, namespace: subject.namespace ?? 'default' }
    : { kind: subject.kind, name: subject.name };
}

function sortedUnique(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}

/** A stable key for a subject (`ServiceAccount:ns:name`, `User::alice`). */
export function subjectKey(subject: AccessSubject): string {
  return `${subject.kind}:${subject.namespace ?? ''}:${subject.name}`;
}

export function scopeKey(scope: GrantScope): string {
  return scope === 'cluster' ? '' : scope.namespace;
}

function chainKey(chain: GrantChain): string {
  return [chain.binding.kind, chain.binding.namespace ?? '', chain.binding.name, chain.role.kind, chain.role.name, String(chain.ruleIndex), (chain.aggregatedFrom ?? []).join('>')].join('\u0000');
}

/** A key identifying the grant exactly (subject, scope, chain and rule). */
export function grantKey(grant: Grant): string {
  return [
    subjectKey(grant.subject),
    scopeKey(grant.scope),
    chainKey(grant.chain),
    grant.verbs.join(','),
    grant.apiGroups.join(','),
    grant.resources.join(','),
    (grant.resourceNames ?? []).join(','),
    (grant.nonResourceURLs ?? []).join(','),
  ].join('\u0001');
}

/** The same subject listed twice in one binding grants once. */
function dedupeGrants(grants: Grant[]): Grant[] {
  const seen = new Map<string, Grant>();
  for (const grant of grants) {
    const key = grantKey(grant);
    if (!seen.has(key)) seen.set(key, grant);
  }
  return [...seen.values()];
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Subject, then scope (cluster first), then binding, role and rule: the order every list of grants comes in. */
export function sortGrants(grants: Grant[]): Grant[] {
  const keyed = grants.map((grant) => ({ grant, key: grantKey(grant) }));
  keyed.sort((a, b) => compare(a.key, b.key));
  return keyed.map((k) => k.grant);
}
