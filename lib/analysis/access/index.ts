/**
 * The access room's door: who can do what in a cluster, from the same RBAC model the RBAC controls read
 * (lib/analysis/model/rbac). Pure: grants in, answers out.
 *
 * - effectivePermissions(snapshot | RbacModel) -> Grant[] (subject -> binding -> role -> rule, stable-sorted)
 * - whoCan(grants, query), whatCan(grants, subject), compareGrants(a, b)
 * - riskOf(grant): the RBAC controls' risk vocabulary (lib/analysis/model/rbac/risks.ts)
 * - rightsOf / rightKey: a grant as atomic rights (compare, freezing review items)
 * - permissionDigest(grants): equal for two snapshots whose effective RBAC is the same
 */
export {
  effectivePermissions,
  grantKey,
  scopeKey,
  sortGrants,
  subjectKey,
  type AccessSubject,
  type EffectivePermissionsInput,
  type Grant,
  type GrantChain,
  type GrantScope,
} from './grants';
export {
  compareGrants,
  describeAccessSubject,
  grantAnswers,
  isClusterScopedResource,
  queryResource,
  rightKey,
  rightsOf,
  riskOfRight,
  sortByDanger,
  subjectsActingAs,
  whatCan,
  whoCan,
  type Right,
  type RightChange,
  type SubjectChange,
  type WhatCanEntry,
  type WhatCanGroup,
  type WhoCanMatch,
  type WhoCanQuery,
} from './query';
export { isWildcardGrant, riskLabel, riskOf, riskRank, RBAC_RISK_IDS, RBAC_RISKS, type RbacRisk, type RbacRiskId } from './risk';
export { permissionDigest } from './digest';
