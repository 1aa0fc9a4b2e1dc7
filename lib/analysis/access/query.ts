import { apiGroupMatches, resourceMatches, resourceNamesAllow, verbMatches } from '@/lib/analysis/model/rbac/rules';
import { grantKey, scopeKey, sortGrants, subjectKey, type AccessSubject, type Grant, type GrantChain, type GrantScope } from './grants';
import { riskOf, riskRank, ruleOf, type RbacRiskId } from './risk';

/** A who-can question, as `kubectl auth can-i` asks it. Unknown verbs and resources are answered, not refused. */
export type WhoCanQuery = {
  verb: string;
  /** `secrets`, or `pods/exec` (then subresource is read from it). */
  resource: string;
  subresource?: string;
  /** One object's name: rules limited by resourceNames count only when they list it. */
  name?: string;
  /** Omitted: in any namespace (each answer says where). */
  namespace?: string;
  /** The API group; '' (core) when omitted. */
  apiGroup?: string;
};

export type WhoCanMatch = {
  grant: Grant;
  risks: RbacRiskId[];
  /** The grant covers only these objects (its rule has resourceNames and the question named none). */
  onlyNames?: string[];
};

/**
 * Resources that live outside namespaces. A RoleBinding grants only inside its namespace, so even a role listing
 * them grants nothing through one (as the API server decides). Unknown resources are taken as namespaced.
 */
const CLUSTER_SCOPED = new Set([
  'nodes', 'persistentvolumes', 'namespaces', 'clusterroles', 'clusterrolebindings', 'certificatesigningrequests',
  'validatingwebhookconfigurations', 'mutatingwebhookconfigurations', 'validatingadmissionpolicies', 'validatingadmissionpolicybindings',
  'customresourcedefinitions', 'apiservices', 'storageclasses', 'priorityclasses', 'runtimeclasses', 'ingressclasses', 'csidrivers',
  'csinodes', 'volumeattachments', 'tokenreviews', 'subjectaccessreviews', 'selfsubjectaccessreviews', 'selfsubjectrulesreviews',
  'users', 'groups', 'uids', 'userextras', 'componentstatuses', 'flowschemas', 'prioritylevelconfigurations',
]);

export function isClusterScopedResource(resource: string): boolean {
  return CLUSTER_SCOPED.has(resource.split('/')[0] ?? resource);
}

/** The resource string a rule matches against: `pods/exec` from (pods, exec) or from `pods/exec`. */
export function queryResource(query: Pick<WhoCanQuery, 'resource' | 'subresource'>): string {
  const resource = query.resource.trim();
  if (!query.subresource || resource.includes('/')) return resource;
  return `${resource}/${query.subresource}`;
}

/** Whether a grant's scope reaches the question's namespace (any namespace when it names none). */
function scopeAllows(scope: GrantScope, namespace: string | undefined, clusterScoped: boolean): boolean {
  if (scope === 'cluster') return true;
  if (clusterScoped) return false;
  return namespace === undefined || scope.namespace === namespace;
}

/** Why a grant answers the question, or undefined: the matching the API server's RBAC authorizer does. */
export function grantAnswers(grant: Grant, query: WhoCanQuery): WhoCanMatch | undefined {
  if (grant.resources.length === 0) return undefined;
  const resource = queryResource(query);
  const clusterScoped = isClusterScopedResource(resource);
  if (!scopeAllows(grant.scope, query.namespace, clusterScoped)) return undefined;
  const rule = ruleOf(grant);
  if (!verbMatches(rule, query.verb)) return undefined;
  if (!apiGroupMatches(rule, query.apiGroup ?? '')) return undefined;
  if (!resourceMatches(rule, resource)) return undefined;
  if (!resourceNamesAllow(rule, query.verb)) return undefined;
  const names = grant.resourceNames;
  if (names && names.length > 0) {
    if (query.name !== undefined) return names.includes(query.name) ? { grant, risks: riskOf(grant) } : undefined;
    return { grant, risks: riskOf(grant), onlyNames: names };
  }
  return { grant, risks: riskOf(grant) };
}

/**
 * Every grant that lets its subject do the question, subject by subject (grants are stable-sorted), through
 * wildcards, aggregation, groups and RoleBinding scoping. Groups are answered as the binding names them
 * (`Group system:serviceaccounts:payments`): describeSubject says who is in one.
 */
export function whoCan(grants: readonly Grant[], query: WhoCanQuery): WhoCanMatch[] {
  const matches: WhoCanMatch[] = [];
  for (const grant of grants) {
    const match = grantAnswers(grant, query);
    if (match) matches.push(match);
  }
  return matches;
}

/** The built-in groups a subject belongs to, and the other names it is bound by, for what-can. */
export function subjectsActingAs(subject: AccessSubject): AccessSubject[] {
  if (subject.kind === 'Group') return [subject];
  const sa = subject.kind === 'ServiceAccount' ? { namespace: subject.namespace ?? 'default', name: subject.name } : serviceAccountUser(subject.name);
  if (sa) {
    return [
      { kind: 'ServiceAccount', name: sa.name, namespace: sa.namespace },
      // The API server authenticates a ServiceAccount as this user, in these groups: bindings to them apply.
      { kind: 'User', name: `system:serviceaccount:${sa.namespace}:${sa.name}` },
      { kind: 'Group', name: 'system:serviceaccounts' },
      { kind: 'Group', name: `system:serviceaccounts:${sa.namespace}` },
      { kind: 'Group', name: 'system:authenticated' },
    ];
  }
  if (subject.name === 'system:anonymous') return [subject, { kind: 'Group', name: 'system:unauthenticated' }];
  // Other groups a user belongs to come from the identity provider; the cluster does not know them.
  return [subject, { kind: 'Group', name: 'system:authenticated' }];
}

function serviceAccountUser(name: string): { namespace: string; name: string } | undefined {
  const match = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(name);
  return match ? { namespace: match[1] as string, name: match[2] as string } : undefined;
}

/** Who a subject stands for, for people: groups Kubernetes fills itself are spelled out. */
export function describeAccessSubject(subject: AccessSubject): string {
  if (subject.kind === 'ServiceAccount') return `ServiceAccount ${subject.namespace ?? 'default'}/${subject.name}`;
  if (subject.kind === 'Group') {
    if (subject.name === 'system:authenticated') return 'Group system:authenticated (every signed-in user and ServiceAccount)';
    if (subject.name === 'system:unauthenticated') return 'Group system:unauthenticated (anonymous requests)';
    if (subject.name === 'system:serviceaccounts') return 'Group system:serviceaccounts (every ServiceAccount)';
    const ns = /^system:serviceaccounts:(.+)$/.exec(subject.name);
    if (ns) return `Group ${subject.name} (every ServiceAccount in ${ns[1]})`;
    return `Group ${subject.name}`;
  }
  return `User ${subject.name}`;
}

export type WhatCanEntry = {
  grant: Grant;
  risks: RbacRiskId[];
  /** The grant is held through this subject (a group, or the ServiceAccount's user name), not the subject itself. */
  through?: AccessSubject;
};

export type WhatCanGroup = {
  /** null: cluster-wide (every namespace and cluster-scoped resources). */
  namespace: string | null;
  entries: WhatCanEntry[];
  dangerous: number;
};

/**
 * Everything a subject can do, directly and through the groups Kubernetes puts it in, grouped by namespace
 * (cluster-wide first, then by name), the dangerous rights first in each group (controls' order).
 */
export function whatCan(grants: readonly Grant[], subject: AccessSubject): WhatCanGroup[] {
  const actingAs = subjectsActingAs(subject);
  const keys = new Map(actingAs.map((s) => [subjectKey(s), s]));
  const self = subjectKey(actingAs[0] as AccessSubject);
  const groups = new Map<string, WhatCanEntry[]>();
  for (const grant of grants) {
    const key = subjectKey(grant.subject);
    if (!keys.has(key)) continue;
    const entry: WhatCanEntry = { grant, risks: riskOf(grant), ...(key !== self ? { through: grant.subject } : {}) };
    const ns = scopeKey(grant.scope);
    const list = groups.get(ns) ?? [];
    list.push(entry);
    groups.set(ns, list);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a === b ? 0 : a === '' ? -1 : b === '' ? 1 : a < b ? -1 : 1))
    .map(([ns, entries]) => ({
      namespace: ns === '' ? null : ns,
      entries: sortByDanger(entries),
      dangerous: entries.filter((e) => e.risks.length > 0).length,
    }));
}

/** Dangerous first (controls' order), then the grants' own stable order. */
export function sortByDanger<T extends { grant: Grant; risks: RbacRiskId[] }>(entries: T[]): T[] {
  const order = new Map(sortGrants(entries.map((e) => e.grant)).map((g, i) => [grantKey(g), i]));
  return [...entries].sort((a, b) => riskRank(a.risks) - riskRank(b.risks) || (order.get(grantKey(a.grant)) ?? 0) - (order.get(grantKey(b.grant)) ?? 0));
}

/** One atomic right: one verb on one resource (or URL) of one group, in one scope, perhaps on one named object. */
export type Right = {
  scope: GrantScope;
  verb: string;
  apiGroup?: string;
  resource?: string;
  resourceName?: string;
  nonResourceURL?: string;
};

/** A grant split into its atomic rights (for compare and for freezing review items). */
export function rightsOf(grant: Grant): Right[] {
  const rights: Right[] = [];
  for (const verb of grant.verbs) {
    for (const apiGroup of grant.apiGroups) {
      for (const resource of grant.resources) {
        const names = grant.resourceNames ?? [undefined];
        for (const resourceName of names) rights.push({ scope: grant.scope, verb, apiGroup, resource, ...(resourceName !== undefined ? { resourceName } : {}) });
      }
    }
    for (const nonResourceURL of grant.nonResourceURLs ?? []) rights.push({ scope: grant.scope, verb, nonResourceURL });
  }
  return rights;
}

/** The risks of one atomic right of a grant (a rule on secrets and configmaps: only the secrets part is risky). */
export function riskOfRight(grant: Grant, right: Right): RbacRiskId[] {
  return riskOf({
    ...grant,
    verbs: [right.verb],
    apiGroups: right.apiGroup !== undefined ? [right.apiGroup] : [],
    resources: right.resource !== undefined ? [right.resource] : [],
    ...(right.resourceName !== undefined ? { resourceNames: [right.resourceName] } : { resourceNames: undefined }),
    ...(right.nonResourceURL !== undefined ? { nonResourceURLs: [right.nonResourceURL] } : { nonResourceURLs: undefined }),
  });
}

export function rightKey(right: Right): string {
  return [scopeKey(right.scope), right.verb, right.apiGroup ?? '', right.resource ?? '', right.resourceName ?? '', right.nonResourceURL ?? ''].join('\u0000');
}

export type RightChange = { right: Right; chain: GrantChain; risks: RbacRiskId[] };
export type SubjectChange = { subject: AccessSubject; gained: RightChange[]; lost: RightChange[] };

/**
 * Rights gained (in b, not a) and lost (in a, not b) per subject, compared right by right so that a rule split in
 * two, a binding renamed or a role re-aggregated without changing what the subject can do is no change. Subjects
 * with no change are left out; dangerous changes first.
 */
export function compareGrants(a: readonly Grant[], b: readonly Grant[]): SubjectChange[] {
  const before = rightsBySubject(a);
  const after = rightsBySubject(b);
  const subjects = new Map<string, AccessSubject>();
  for (const [key, value] of [...before, ...after]) subjects.set(key, value.subject);
  const changes: SubjectChange[] = [];
  for (const key of [...subjects.keys()].sort()) {
    const was = before.get(key)?.rights ?? new Map<string, RightChange>();
    const is = after.get(key)?.rights ?? new Map<string, RightChange>();
    const gained = [...is].filter(([k]) => !was.has(k)).map(([, v]) => v);
    const lost = [...was].filter(([k]) => !is.has(k)).map(([, v]) => v);
    if (gained.length || lost.length) changes.push({ subject: subjects.get(key) as AccessSubject, gained: byDanger(gained), lost: byDanger(lost) });
  }
  return changes;
}

function byDanger(changes: RightChange[]): RightChange[] {
  return changes.sort((x, y) => riskRank(x.risks) - riskRank(y.risks) || (rightKey(x.right) < rightKey(y.right) ? -1 : 1));
}

function rightsBySubject(grants: readonly Grant[]): Map<string, { subject: AccessSubject; rights: Map<string, RightChange> }> {
  const out = new Map<string, { subject: AccessSubject; rights: Map<string, RightChange> }>();
  for (const grant of sortGrants([...grants])) {
    const key = subjectKey(grant.subject);
    let entry = out.get(key);
    if (!entry) {
      entry = { subject: grant.subject, rights: new Map() };
      out.set(key, entry);
    }
    for (const right of rightsOf(grant)) {
      const rk = rightKey(right);
      if (!entry.rights.has(rk)) entry.rights.set(rk, { right, chain: grant.chain, risks: riskOfRight(grant, right) });
    }
  }
  return out;
}
