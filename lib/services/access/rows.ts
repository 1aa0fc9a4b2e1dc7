import type { AccessSubject, Grant, GrantChain, PermissionTable, TableRole, TableRule } from '../../analysis/access';
import type { AccessAggregationRow, AccessBindingRow, AccessRoleRow, AccessRuleRow } from '../../platform/db/access-sql';

/** The permission table as rows ('' for "no namespace"), in the table's order. */
export function rowsOfTable(table: PermissionTable): { roles: AccessRoleRow[]; aggregations: AccessAggregationRow[]; rules: AccessRuleRow[]; bindings: AccessBindingRow[] } {
  const roles: AccessRoleRow[] = table.roles.map((role) => ({
    no: role.no,
    kind: role.kind,
    namespace: role.namespace ?? '',
    name: role.name,
    assumed: role.assumed === true,
    aggregates: role.aggregates ?? null,
    sourceNos: (role.aggregates ?? []).map((a) => a.no),
  }));
  const aggregations: AccessAggregationRow[] = table.roles.flatMap((role) => (role.aggregates ?? []).map((a) => ({ roleNo: role.no, sourceNo: a.no, path: a.path })));
  const rules: AccessRuleRow[] = table.roles.flatMap((role) =>
    role.rules.map((rule, ruleIndex) => ({
      roleNo: role.no,
      ruleIndex,
      verbs: rule.verbs,
      apiGroups: rule.apiGroups,
      resources: rule.resources,
      resourceNames: rule.resourceNames ?? [],
      nonResourceURLs: rule.nonResourceURLs ?? [],
    })),
  );
  const bindings: AccessBindingRow[] = table.bindings.map((row, position) => ({
    position,
    bindingKind: row.binding.kind,
    bindingNamespace: row.binding.namespace ?? '',
    bindingName: row.binding.name,
    roleNo: row.roleNo,
    subjectKind: row.subject.kind,
    subjectNamespace: row.subject.namespace ?? '',
    subjectName: row.subject.name,
    scopeNamespace: row.scope === 'cluster' ? '' : row.scope.namespace,
    subjectMissing: row.subjectMissing === true,
  }));
  return { roles, aggregations, rules, bindings };
}

function tableRule(row: AccessRuleRow): TableRule {
  return {
    verbs: row.verbs,
    apiGroups: row.apiGroups,
    resources: row.resources,
    ...(row.resourceNames.length ? { resourceNames: row.resourceNames } : {}),
    ...(row.nonResourceURLs.length ? { nonResourceURLs: row.nonResourceURLs } : {}),
  };
}

function aggregatesOf(row: AccessRoleRow): TableRole['aggregates'] {
  if (!Array.isArray(row.aggregates)) return undefined;
  return (row.aggregates as { no: number; path: string[] }[]).map((a) => ({ no: a.no, path: a.path }));
}

export function subjectOfRow(row: AccessBindingRow): AccessSubject {
  return row.subjectKind === 'ServiceAccount'
    ? { kind: 'ServiceAccount', name: row.subjectName, namespace: row.subjectNamespace }
    : { kind: row.subjectKind as 'User' | 'Group', name: row.subjectName };
}

/**
 * The grants of binding rows through the given rules (all of a role's rules, or only the who-can candidates):
 * each binding's role's own rules, then the rules of the ClusterRoles it aggregates, with their chain.
 */
export function grantsOfRows(bindings: AccessBindingRow[], roles: AccessRoleRow[], rules: AccessRuleRow[]): Grant[] {
  const roleByNo = new Map(roles.map((r) => [r.no, r]));
  const rulesByRole = new Map<number, AccessRuleRow[]>();
  for (const rule of rules) {
    const list = rulesByRole.get(rule.roleNo) ?? [];
    list.push(rule);
    rulesByRole.set(rule.roleNo, list);
  }
  const grants: Grant[] = [];
  for (const row of bindings) {
    const role = roleByNo.get(row.roleNo);
    if (!role) continue;
    const subject = subjectOfRow(row);
    const chainBase = {
      binding: { kind: row.bindingKind as GrantChain['binding']['kind'], name: row.bindingName, ...(row.bindingNamespace ? { namespace: row.bindingNamespace } : {}) },
      role: { kind: role.kind as GrantChain['role']['kind'], name: role.name, ...(role.namespace ? { namespace: role.namespace } : {}) },
    };
    const scope: Grant['scope'] = row.scopeNamespace ? { namespace: row.scopeNamespace } : 'cluster';
    const push = (rule: AccessRuleRow, aggregatedFrom: string[] | undefined) =>
      grants.push({
        subject,
        ...tableRule(rule),
        scope,
        chain: { ...chainBase, ruleIndex: rule.ruleIndex, ...(aggregatedFrom ? { aggregatedFrom } : {}), ...(role.assumed ? { assumedRole: true as const } : {}) },
        ...(row.subjectMissing ? { subjectMissing: true as const } : {}),
      });
    for (const rule of rulesByRole.get(role.no) ?? []) push(rule, undefined);
    for (const aggregate of aggregatesOf(role) ?? []) {
      for (const rule of rulesByRole.get(aggregate.no) ?? []) push(rule, aggregate.path);
    }
  }
  return grants;
}
