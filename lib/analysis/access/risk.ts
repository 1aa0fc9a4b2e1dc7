import { RBAC_RISKS, RBAC_RISK_IDS, type RbacRisk, type RbacRiskId } from '@/lib/analysis/model/rbac/risks';
import { grantedVerbs, type PolicyRule } from '@/lib/analysis/model/rbac/rules';
import type { Grant } from './grants';

export type { RbacRisk, RbacRiskId };
export { RBAC_RISKS, RBAC_RISK_IDS };

/** The rule a grant carries, in the shape the RBAC model's matchers read. */
export function ruleOf(grant: Grant): PolicyRule {
  return {
    verbs: grant.verbs,
    apiGroups: grant.apiGroups,
    resources: grant.resources,
    resourceNames: grant.resourceNames ?? [],
    nonResourceURLs: grant.nonResourceURLs ?? [],
  };
}

/** `*` in verbs, resources or apiGroups: what rbac.wildcard-in-role reports. */
export function isWildcardGrant(grant: Grant): boolean {
  return grant.verbs.includes('*') || grant.resources.includes('*') || grant.apiGroups.includes('*');
}

/**
 * The dangerous rights a grant carries, in the RBAC controls' vocabulary (lib/analysis/model/rbac/risks.ts) and
 * order, with the same matching: a RoleBinding never grants cluster-scoped rights (nodes/proxy, CSR approval,
 * webhook configurations, PersistentVolumes), and a resourceNames rule never grants `create`.
 */
export function riskOf(grant: Grant): RbacRiskId[] {
  const rule = ruleOf(grant);
  const risks: RbacRiskId[] = [];
  for (const risk of RBAC_RISKS) {
    if (!risk.query) {
      if (risk.id === 'wildcard' && isWildcardGrant(grant)) risks.push(risk.id);
      continue;
    }
    if (risk.query.clusterScoped && grant.scope !== 'cluster') continue;
    if (grantedVerbs(rule, risk.query).length > 0) risks.push(risk.id);
  }
  return risks;
}

/** Lower is more dangerous; a grant with no risk ranks after every risky one. */
export function riskRank(risks: readonly RbacRiskId[]): number {
  if (risks.length === 0) return RBAC_RISK_IDS.length;
  return Math.min(...risks.map((id) => RBAC_RISK_IDS.indexOf(id)));
}

export function riskLabel(id: RbacRiskId): string {
  return RBAC_RISKS.find((risk) => risk.id === id)?.label ?? id;
}
