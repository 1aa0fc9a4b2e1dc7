import { ParseIssue, readArray, readRecord, readStringList } from '../json';

/** One entry of a Role's or ClusterRole's `rules`. */
export type PolicyRule = {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames: string[];
  nonResourceURLs: string[];
};

/** A permission to look for: any of the verbs on any of the resources (resource or resource/subresource). */
export type PermissionQuery = {
  verbs: readonly string[];
  resources: readonly { group: string; resource: string }[];
  /**
   * The resources are cluster-scoped (nodes, persistentvolumes, webhook configurations, CSRs). A RoleBinding only
   * grants inside its namespace, so it can never grant these, even when its role lists them.
   */
  clusterScoped?: boolean;
};

export function readPolicyRules(raw: unknown, path: string): PolicyRule[] {
  return readArray(raw, path).map((item, index) => {
    const rule = readRecord(item, `${path}[${index}]`);
    if (!rule) throw new ParseIssue(`${path}[${index}]`, 'a policy rule');
    const at = `${path}[${index}]`;
    return {
      apiGroups: readStringList(rule.apiGroups, `${at}.apiGroups`),
      resources: readStringList(rule.resources, `${at}.resources`),
      verbs: readStringList(rule.verbs, `${at}.verbs`),
      resourceNames: readStringList(rule.resourceNames, `${at}.resourceNames`),
      nonResourceURLs: readStringList(rule.nonResourceURLs, `${at}.nonResourceURLs`),
    };
  });
}

export function verbMatches(rule: PolicyRule, verb: string): boolean {
  return rule.verbs.includes('*') || rule.verbs.includes(verb);
}

export function apiGroupMatches(rule: PolicyRule, group: string): boolean {
  return rule.apiGroups.includes('*') || rule.apiGroups.includes(group);
}

/**
 * Kubernetes' own matching (rbac ResourceMatches): `*` matches every resource and subresource, including ones
 * that do not exist yet; `*\/exec` matches the exec subresource of any resource; `pods/*` matches nothing special.
 */
export function resourceMatches(rule: PolicyRule, resource: string): boolean {
  const slash = resource.indexOf('/');
  for (const ruleResource of rule.resources) {
    if (ruleResource === '*' || ruleResource === resource) return true;
    // `*/scale` covers the subresource of every resource: compared in place, no string built per call.
    if (slash !== -1 && slash < resource.length - 1 && ruleResource.length === resource.length - slash + 1 && ruleResource.startsWith('*/') && resource.endsWith(ruleResource.slice(2))) {
      return true;
    }
  }
  return false;
}

/**
 * A rule limited by resourceNames only authorizes requests that name an object. `create` and `deletecollection`
 * never carry a name, so such a rule grants neither; Kubernetes documents this.
 */
export function resourceNamesAllow(rule: PolicyRule, verb: string): boolean {
  if (rule.resourceNames.length === 0) return true;
  return verb !== 'create' && verb !== 'deletecollection';
}

/** The verbs of `query` this rule grants (empty when it grants none of them). */
const NO_VERBS: readonly string[] = Object.freeze([]);

export function grantedVerbs(rule: PolicyRule, query: PermissionQuery): readonly string[] {
  if (rule.resources.length === 0) return NO_VERBS;
  // Loops, not some/filter with closures: the engine asks this of every rule of every binding, per RBAC control.
  let matchesResource = false;
  for (const r of query.resources) {
    if (apiGroupMatches(rule, r.group) && resourceMatches(rule, r.resource)) {
      matchesResource = true;
      break;
    }
  }
  if (!matchesResource) return NO_VERBS;
  const verbs: string[] = [];
  for (const verb of query.verbs) if (verbMatches(rule, verb) && resourceNamesAllow(rule, verb)) verbs.push(verb);
  return verbs;
}

export function ruleGrants(rule: PolicyRule, query: PermissionQuery): boolean {
  return grantedVerbs(rule, query).length > 0;
}

/** Every verb on every resource in every group: what the built-in cluster-admin role holds. */
export function isFullWildcard(rule: PolicyRule): boolean {
  return rule.apiGroups.includes('*') && rule.resources.includes('*') && rule.verbs.includes('*') && rule.resourceNames.length === 0;
}

/** Verbs that together are as good as `*` for a human: read, write and delete everything. */
const ADMIN_VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];

/** A rule equivalent to cluster-admin over resources: all groups, all resources, every usual verb. */
export function isAdminEquivalent(rule: PolicyRule): boolean {
  if (!rule.apiGroups.includes('*') || !rule.resources.includes('*') || rule.resourceNames.length > 0) return false;
  return rule.verbs.includes('*') || ADMIN_VERBS.every((verb) => rule.verbs.includes(verb));
}
