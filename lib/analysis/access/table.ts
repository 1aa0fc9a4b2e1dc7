import { createHash } from 'node:crypto';
import { bootstrapClusterRoles } from '@/lib/analysis/model/rbac/bootstrap';
import { RbacModel, type RoleView } from '@/lib/analysis/model/rbac/model';
import type { PolicyRule } from '@/lib/analysis/model/rbac/rules';
import type { Snapshot } from '@/lib/analysis/snapshot/schema';
import { sortGrants, toAccessSubject, type AccessSubject, type Grant, type GrantChain, type GrantScope } from './grants';

/** A rule as stored: arrays sorted and deduplicated, empty restrictions left out. */
export type TableRule = { verbs: string[]; apiGroups: string[]; resources: string[]; resourceNames?: string[]; nonResourceURLs?: string[] };

/** A role some binding reaches (bound, or aggregated into a bound role), numbered within its table. */
export type TableRole = {
  no: number;
  kind: 'Role' | 'ClusterRole';
  name: string;
  namespace?: string;
  assumed?: true;
  /** The role's own rules; ruleIndex is the position. */
  rules: TableRule[];
  /** For an aggregated ClusterRole: the ClusterRoles whose rules it holds, with the chain of names to each (BFS order). */
  aggregates?: { no: number; path: string[] }[];
};

/** One subject of one binding whose role exists. */
export type TableBinding = {
  binding: GrantChain['binding'];
  roleNo: number;
  subject: AccessSubject;
  scope: GrantScope;
  subjectMissing?: true;
};

/**
 * The effective permissions of a cluster in normalized form: roles with their own rules and aggregation once,
 * bindings pointing at them. Grants are its product (grantsOfTable); storing this instead of the product keeps a
 * 5,000-binding cluster to thousands of rows rather than hundreds of thousands. Deterministic for the same RBAC.
 */
export type PermissionTable = { roles: TableRole[]; bindings: TableBinding[] };

export type EffectivePermissionsInput = Snapshot | RbacModel;

/**
 * Every effective grant of a snapshot (or of an RbacModel the caller built), resolved by the same model the RBAC
 * controls use (lib/analysis/model/rbac): aggregation resolved from the selectors, RoleBindings to ClusterRoles
 * scoped to the binding's namespace, bindings whose role is missing granting nothing. Stable-sorted.
 */
export function effectivePermissions(input: EffectivePermissionsInput): Grant[] {
  return grantsOfTable(permissionTable(input));
}

export function permissionTable(input: EffectivePermissionsInput): PermissionTable {
  const model = input instanceof RbacModel ? input : modelOf(input);
  const serviceAccountExists = input instanceof RbacModel ? undefined : serviceAccountLookup(input);

  // Roles reachable from bindings that have subjects, numbered in a stable order.
  const reached = new Map<RoleView, { path: string[] }[] | undefined>();
  const sources = new Map<RoleView, { source: RoleView; path: string[] }[]>();
  for (const binding of model.bindings) {
    if (!binding.role || binding.subjects.length === 0 || reached.has(binding.role)) continue;
    reached.set(binding.role, undefined);
    const list: { source: RoleView; path: string[] }[] = [];
    const seen = new Set<string>();
    for (const effective of model.effectiveRules(binding.role)) {
      if (!effective.viaAggregation) continue;
      const key = effective.viaAggregation.join('\u0000');
      if (seen.has(key)) continue;
      seen.add(key);
      const source = model.findRole('ClusterRole', null, effective.viaAggregation[effective.viaAggregation.length - 1] as string);
      if (source) list.push({ source, path: effective.viaAggregation });
    }
    if (list.length > 0) sources.set(binding.role, list);
  }
  const all = new Set<RoleView>(reached.keys());
  for (const list of sources.values()) for (const { source } of list) all.add(source);
  const ordered = [...all].map((role) => ({ role, key: roleSortKey(role) })).sort((a, b) => compare(a.key, b.key)).map((k) => k.role);
  const numbers = new Map(ordered.map((role, index) => [role, index]));

  // Aggregated roles whose sources have no rules of their own reach the same sources by BFS; keep the first path to each.
  const roles: TableRole[] = ordered.map((role, no) => {
    const aggregates = sources.get(role);
    return {
      no,
      kind: role.kind,
      name: role.name,
      ...(role.namespace ? { namespace: role.namespace } : {}),
      ...(role.assumed ? { assumed: true as const } : {}),
      rules: role.ownRules.map(tableRule),
      ...(aggregates ? { aggregates: aggregates.map(({ source, path }) => ({ no: numbers.get(source) as number, path })) } : {}),
    };
  });

  const bindings: TableBinding[] = [];
  const seenBinding = new Set<string>();
  for (const binding of model.bindings) {
    if (!binding.role) continue;
    const roleNo = numbers.get(binding.role) as number;
    const bindingRef: GrantChain['binding'] = { kind: binding.kind, name: binding.name, ...(binding.namespace ? { namespace: binding.namespace } : {}) };
    const scope: GrantScope = binding.namespace ? { namespace: binding.namespace } : 'cluster';
    for (const raw of binding.subjects) {
      const subject = toAccessSubject(raw);
      const missing = subject.kind === 'ServiceAccount' && serviceAccountExists && !serviceAccountExists(subject.namespace ?? '', subject.name);
      const row: TableBinding = { binding: bindingRef, roleNo, subject, scope, ...(missing ? { subjectMissing: true as const } : {}) };
      const key = JSON.stringify(row);
      if (seenBinding.has(key)) continue;
      seenBinding.add(key);
      bindings.push(row);
    }
  }
  // Keys computed once: 10,000 bindings sort in a few milliseconds instead of building two strings per comparison.
  const keyed = bindings.map((row) => ({ row, key: bindingSortKey(row, roles) }));
  keyed.sort((a, b) => compare(a.key, b.key));
  return { roles, bindings: keyed.map((k) => k.row) };
}

/** The grants a table stands for (every binding subject times every effective rule of its role), stable-sorted. */
export function grantsOfTable(table: PermissionTable): Grant[] {
  const byNo = new Map(table.roles.map((role) => [role.no, role]));
  const grants: Grant[] = [];
  for (const row of table.bindings) {
    const role = byNo.get(row.roleNo);
    if (!role) continue;
    grants.push(...grantsOfBinding(row, role, byNo));
  }
  return sortGrants(grants);
}

/** The grants of one binding row: its role's own rules, then each aggregated source's rules with their path. */
export function grantsOfBinding(row: TableBinding, role: TableRole, rolesByNo: ReadonlyMap<number, TableRole>): Grant[] {
  const roleRef: GrantChain['role'] = { kind: role.kind, name: role.name, ...(role.namespace ? { namespace: role.namespace } : {}) };
  const base = (ruleIndex: number, aggregatedFrom?: string[]): GrantChain => ({
    binding: row.binding,
    role: roleRef,
    ruleIndex,
    ...(aggregatedFrom ? { aggregatedFrom } : {}),
    ...(role.assumed ? { assumedRole: true as const } : {}),
  });
  const grants: Grant[] = [];
  const push = (rule: TableRule, chain: GrantChain) =>
    grants.push({ subject: row.subject, ...rule, scope: row.scope, chain, ...(row.subjectMissing ? { subjectMissing: true as const } : {}) });
  role.rules.forEach((rule, index) => push(rule, base(index)));
  for (const aggregate of role.aggregates ?? []) {
    const source = rolesByNo.get(aggregate.no);
    source?.rules.forEach((rule, index) => push(rule, base(index, aggregate.path)));
  }
  return grants;
}

/**
 * A digest of a table: two snapshots whose RBAC grants the same rights through the same chains have the same
 * digest, whatever else changed (pods, labels, resourceVersions, object order).
 */
export function permissionDigest(table: PermissionTable): string {
  return createHash('sha256').update(JSON.stringify(table)).digest('hex');
}

function tableRule(rule: PolicyRule): TableRule {
  return {
    verbs: sortedUnique(rule.verbs),
    apiGroups: sortedUnique(rule.apiGroups),
    resources: sortedUnique(rule.resources),
    ...(rule.resourceNames.length ? { resourceNames: sortedUnique(rule.resourceNames) } : {}),
    ...(rule.nonResourceURLs.length ? { nonResourceURLs: sortedUnique(rule.nonResourceURLs) } : {}),
  };
}

function modelOf(snapshot: Snapshot): RbacModel {
  // Same inputs as the engine (lib/analysis/engine/evaluate.ts): an offline manifest set binds to default roles it lacks.
  return new RbacModel(
    { ...snapshot.objects, assumedClusterRoles: snapshot.agent.mode === 'offline' ? bootstrapClusterRoles() : [] },
    () => undefined,
  );
}

/** Undefined when nobody can say a ServiceAccount is missing (not collected, or a manifest set). */
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

function sortedUnique(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function roleSortKey(role: RoleView): string {
  return `${role.kind}\u0000${role.namespace ?? ''}\u0000${role.name}\u0000${role.assumed ? 1 : 0}`;
}

function bindingSortKey(row: TableBinding, roles: TableRole[]): string {
  const role = roles[row.roleNo];
  return [row.binding.kind, row.binding.namespace ?? '', row.binding.name, role?.kind ?? '', role?.name ?? '', row.subject.kind, row.subject.namespace ?? '', row.subject.name].join('\u0000');
}
