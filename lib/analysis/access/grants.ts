import type { RbacSubject, SubjectKind } from '@/lib/analysis/model/rbac/model';

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

export function toAccessSubject(subject: RbacSubject): AccessSubject {
  return subject.kind === 'ServiceAccount'
    ? { kind: 'ServiceAccount', name: subject.name, namespace: subject.namespace ?? 'default' }
    : { kind: subject.kind, name: subject.name };
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

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Subject, then scope (cluster first), then binding, role and rule: the order every list of grants comes in. */
export function sortGrants(grants: Grant[]): Grant[] {
  const keyed = grants.map((grant) => ({ grant, key: grantKey(grant) }));
  keyed.sort((a, b) => compare(a.key, b.key));
  return keyed.map((k) => k.grant);
}
