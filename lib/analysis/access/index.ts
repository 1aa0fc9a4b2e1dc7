/**
 * The access room's door: who can do what in a cluster, from the same RBAC model the RBAC controls read
 * (lib/analysis/model/rbac). Pure: grants in, answers out.
 *
 * - effectivePermissions(snapshot | RbacModel) -> Grant[] (subject -> binding -> role -> rule, stable-sorted)
 * - whoCan(grants, query), whatCan(grants, subject), compareGrants(a, b)
 * - riskOf(grant): the RBAC controls' risk vocabulary (lib/analysis/model/rbac/risks.ts)
 * - rightsOf / rightKey: a grant as atomic rights (compare, freezing review items)
 * - permissionTable(snapshot): the normalized form storage keeps (roles once, bindings pointing at them);
 *   grantsOfTable expands it; permissionDigest(table) is equal for snapshots whose effective RBAC is the same
 */
export {
  grantKey,
  scopeKey,
  sortGrants,
  subjectKey,
  type AccessSubject,
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
export {
  effectivePermissions,
  grantsOfBinding,
  grantsOfTable,
  permissionDigest,
  permissionTable,
  type EffectivePermissionsInput,
  type PermissionTable,
  type TableBinding,
  type TableRole,
  type TableRule,
} from './table';
