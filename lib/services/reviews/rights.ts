import { effectivePermissions, riskOf, type Grant } from '../../analysis/access';
import { grantedVerbs, type PolicyRule } from '../../analysis/model/rbac/rules';
import type { Snapshot } from '../../analysis/snapshot/schema';

/** One chain a right was frozen with (subject → binding → role → rule), for the item page and the evidence. */
export type FrozenChain = { binding: string; role: string; aggregatedFrom?: string[] };

/** A (subject, right) of one cluster as a campaign freezes it: the same right through several bindings is one item. */
export type RightDraft = {
  rightKey: string;
  subjectKind: 'User' | 'Group' | 'ServiceAccount';
  subjectName: string;
  subjectNamespace: string | null;
  /** null: cluster-wide. */
  namespace: string | null;
  verbs: string[];
  apiGroups: string[];
  resources: string[];
  resourceNames: string[];
  nonResourceURLs: string[];
  risks: string[];
  chains: FrozenChain[];
};

/**
 * Kubernetes' own bootstrap policy: a `system:` binding to a `system:` subject (controllers, nodes, kube-proxy)
 * is the control plane's, not a person's or a team's decision, so a campaign does not ask anyone to keep it.
 * Everything else, including `cluster-admin` to `system:masters`, is reviewed.
 */
function isControlPlaneGrant(grant: Grant): boolean {
  return grant.chain.binding.name.startsWith('system:') && grant.subject.name.startsWith('system:');
}

const join = (values: readonly string[] | undefined) => (values ?? []).join(',');

/** (subject, scope, verbs, groups, resources, names, URLs): the same right in another snapshot or campaign has the same key. */
export function rightKeyOf(grant: Grant): string {
  const subject = `${grant.subject.kind}:${grant.subject.namespace ?? ''}:${grant.subject.name}`;
  const scope = grant.scope === 'cluster' ? '' : grant.scope.namespace;
  return [subject, scope, join(grant.verbs), join(grant.apiGroups), join(grant.resources), join(grant.resourceNames), join(grant.nonResourceURLs)].join('|');
}

function chainOf(grant: Grant): FrozenChain {
  const binding = `${grant.chain.binding.kind} ${grant.chain.binding.namespace ? `${grant.chain.binding.namespace}/` : ''}${grant.chain.binding.name}`;
  const role = `${grant.chain.role.kind} ${grant.chain.role.namespace ? `${grant.chain.role.namespace}/` : ''}${grant.chain.role.name}`;
  return { binding, role, ...(grant.chain.aggregatedFrom ? { aggregatedFrom: grant.chain.aggregatedFrom } : {}) };
}

/** The rights a campaign freezes from one snapshot: privileged ones only (by the RBAC risk vocabulary) or all. */
export function rightsOf(snapshot: Snapshot, scope: 'privileged' | 'all'): RightDraft[] {
  const byKey = new Map<string, RightDraft>();
  for (const grant of effectivePermissions(snapshot)) {
    if (isControlPlaneGrant(grant)) continue;
    const risks: string[] = riskOf(grant);
    if (scope === 'privileged' && risks.length === 0) continue;
    const key = rightKeyOf(grant);
    const existing = byKey.get(key);
    if (existing) {
      existing.chains.push(chainOf(grant));
      continue;
    }
    byKey.set(key, {
      rightKey: key,
      subjectKind: grant.subject.kind,
      subjectName: grant.subject.name,
      subjectNamespace: grant.subject.namespace ?? null,
      namespace: grant.scope === 'cluster' ? null : grant.scope.namespace,
      verbs: grant.verbs,
      apiGroups: grant.apiGroups,
      resources: grant.resources,
      resourceNames: grant.resourceNames ?? [],
      nonResourceURLs: grant.nonResourceURLs ?? [],
      risks,
      chains: [chainOf(grant)],
    });
  }
  return [...byKey.values()];
}

/** What a revoked item asked to remove, as stored with it. */
export type RevokedRight = {
  subjectKind: string; subjectName: string; subjectNamespace: string | null; namespace: string | null;
  verbs: string[]; apiGroups: string[]; resources: string[]; nonResourceURLs: string[]; rightKey: string;
};

/**
 * Whether a snapshot's grants still give the subject any part of the revoked right, by Kubernetes' matching rather
 * than by comparing rule text: a rule rewritten as `*`, or the same rule through another binding (or cluster-wide
 * instead of in the namespace), still grants it, so the revocation is not carried out.
 */
export function stillGranted(right: RevokedRight, grants: readonly Grant[]): boolean {
  const candidates = grants.filter((grant) =>
    grant.subject.kind === right.subjectKind && grant.subject.name === right.subjectName && (grant.subject.namespace ?? null) === right.subjectNamespace
    && (grant.scope === 'cluster' || grant.scope.namespace === right.namespace));
  if (candidates.length === 0) return false;
  if (right.resources.length === 0) return candidates.some((grant) => rightKeyOf(grant) === right.rightKey || right.nonResourceURLs.some((url) => (grant.nonResourceURLs ?? []).includes(url)));
  const resources = right.apiGroups.flatMap((group) => right.resources.map((resource) => ({ group, resource })));
  return candidates.some((grant) => {
    const rule: PolicyRule = { verbs: grant.verbs, apiGroups: grant.apiGroups, resources: grant.resources, resourceNames: grant.resourceNames ?? [], nonResourceURLs: grant.nonResourceURLs ?? [] };
    return grantedVerbs(rule, { verbs: right.verbs, resources }).length > 0;
  });
}

/** A right in words: "get, list secrets in payments" / "* * cluster-wide". */
export function describeRight(right: { verbs: readonly string[]; resources: readonly string[]; namespace: string | null }): string {
  const what = right.resources.length ? right.resources.join(', ') : 'non-resource URLs';
  return `${right.verbs.join(', ')} ${what} ${right.namespace ? `in ${right.namespace}` : 'cluster-wide'}`;
}

export { effectivePermissions };
