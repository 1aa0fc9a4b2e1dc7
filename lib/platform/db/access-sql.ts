import type { TenantTx } from './tenant';

/**
 * Raw SQL of the access explorer (issue 22): the permission table's bulk insert (one statement per table, rows
 * passed as one JSON parameter: an ORM insert of 10,000 rows costs seconds of CPU) and the who-can lookup (one
 * round trip). Every statement filters on the organization and has a cross-tenant test
 * (lib/services/access/access.integration.test.ts).
 */

export type AccessRoleRow = { no: number; kind: string; namespace: string; name: string; assumed: boolean; aggregates: unknown; sourceNos: number[] };
export type AccessAggregationRow = { roleNo: number; sourceNo: number; path: string[] };
export type AccessRuleRow = { roleNo: number; ruleIndex: number; verbs: string[]; apiGroups: string[]; resources: string[]; resourceNames: string[]; nonResourceURLs: string[] };
export type AccessBindingRow = {
  position: number;
  bindingKind: string;
  bindingNamespace: string;
  bindingName: string;
  roleNo: number;
  subjectKind: string;
  subjectNamespace: string;
  subjectName: string;
  scopeNamespace: string;
  subjectMissing: boolean;
};

const CHUNK = 20_000;

function chunks<T>(rows: T[]): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < rows.length; start += CHUNK) out.push(rows.slice(start, start + CHUNK));
  return out;
}

export async function insertAccessRows(
  tx: TenantTx,
  organizationId: string,
  setId: string,
  rows: { roles: AccessRoleRow[]; aggregations: AccessAggregationRow[]; rules: AccessRuleRow[]; bindings: AccessBindingRow[] },
): Promise<void> {
  for (const chunk of chunks(rows.aggregations)) {
    await tx.$executeRaw`
      INSERT INTO "AccessAggregation" ("organizationId", "setId", "roleNo", "sourceNo", "path")
      SELECT ${organizationId}::uuid, ${setId}::uuid, a."roleNo", a."sourceNo", a.path
      FROM jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb) AS a("roleNo" int, "sourceNo" int, path text[])`;
  }
  for (const chunk of chunks(rows.roles)) {
    await tx.$executeRaw`
      INSERT INTO "AccessRole" ("organizationId", "setId", "no", "kind", "namespace", "name", "assumed", "aggregates", "sourceNos")
      SELECT ${organizationId}::uuid, ${setId}::uuid, r.no, r.kind, r.namespace, r.name, r.assumed, r.aggregates, r."sourceNos"
      FROM jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb) AS r(no int, kind text, namespace text, name text, assumed boolean, aggregates jsonb, "sourceNos" int[])`;
  }
  for (const chunk of chunks(rows.rules)) {
    await tx.$executeRaw`
      INSERT INTO "AccessRule" ("organizationId", "setId", "roleNo", "ruleIndex", "verbs", "apiGroups", "resources", "resourceNames", "nonResourceURLs")
      SELECT ${organizationId}::uuid, ${setId}::uuid, r."roleNo", r."ruleIndex", r.verbs, r."apiGroups", r.resources, r."resourceNames", r."nonResourceURLs"
      FROM jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb)
        AS r("roleNo" int, "ruleIndex" int, verbs text[], "apiGroups" text[], resources text[], "resourceNames" text[], "nonResourceURLs" text[])`;
  }
  for (const chunk of chunks(rows.bindings)) {
    await tx.$executeRaw`
      INSERT INTO "AccessBinding" ("organizationId", "setId", "position", "bindingKind", "bindingNamespace", "bindingName", "roleNo", "subjectKind",
        "subjectNamespace", "subjectName", "scopeNamespace", "subjectMissing")
      SELECT ${organizationId}::uuid, ${setId}::uuid, b.position, b."bindingKind", b."bindingNamespace", b."bindingName", b."roleNo", b."subjectKind",
        b."subjectNamespace", b."subjectName", b."scopeNamespace", b."subjectMissing"
      FROM jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb)
        AS b(position int, "bindingKind" text, "bindingNamespace" text, "bindingName" text, "roleNo" int, "subjectKind" text,
          "subjectNamespace" text, "subjectName" text, "scopeNamespace" text, "subjectMissing" boolean)`;
  }
}

/** What the who-can prefilter matches: any of these values in each array column ('*' included by the caller). */
export type AccessRuleFilter = { verbs: string[]; apiGroups: string[]; resources: string[] };

/**
 * The who-can candidates of a set in one statement (one round trip): the rules whose verbs, groups and resources
 * overlap the question (the exact matching, resourceNames and subresources, is the pure engine's, on these few
 * rows); the aggregated roles holding them (an index join on AccessAggregation); those roles; and the binding
 * subjects of them in the namespace or cluster-wide (any namespace when null).
 */
export async function accessCandidates(db: Pick<TenantTx, '$queryRaw'>, organizationId: string, setId: string, filter: AccessRuleFilter, namespace: string | null) {
  const [row] = await db.$queryRaw<{ rules: AccessRuleRow[]; aggregations: AccessAggregationRow[]; roles: Omit<AccessRoleRow, 'aggregates' | 'sourceNos'>[]; bindings: AccessBindingRow[] }[]>`
    WITH r AS (
      SELECT "roleNo", "ruleIndex", "verbs", "apiGroups", "resources", "resourceNames", "nonResourceURLs" FROM "AccessRule"
      WHERE "organizationId" = ${organizationId}::uuid AND "setId" = ${setId}::uuid
        AND "verbs" && ${filter.verbs}::text[] AND "apiGroups" && ${filter.apiGroups}::text[] AND "resources" && ${filter.resources}::text[]
    ), src AS (
      SELECT DISTINCT "roleNo" AS no FROM r
    ), agg AS (
      SELECT g."roleNo", g."sourceNo", g."path" FROM "AccessAggregation" g JOIN src ON g."sourceNo" = src.no
      WHERE g."organizationId" = ${organizationId}::uuid AND g."setId" = ${setId}::uuid
    ), nos AS (
      SELECT no FROM src UNION SELECT "roleNo" FROM agg
    ), ro AS (
      SELECT x."no", x."kind", x."namespace", x."name", x."assumed" FROM "AccessRole" x JOIN nos ON x."no" = nos.no
      WHERE x."organizationId" = ${organizationId}::uuid AND x."setId" = ${setId}::uuid
    ), b AS (
      SELECT "position", "bindingKind", "bindingNamespace", "bindingName", "roleNo", "subjectKind", "subjectNamespace", "subjectName", "scopeNamespace", "subjectMissing"
      FROM "AccessBinding"
      WHERE "organizationId" = ${organizationId}::uuid AND "setId" = ${setId}::uuid AND "roleNo" IN (SELECT no FROM nos)
        AND (${namespace}::text IS NULL OR "scopeNamespace" IN ('', ${namespace}::text))
    ), bound AS (
      SELECT DISTINCT "roleNo" AS no FROM b
    ), agg_out AS (
      SELECT * FROM agg WHERE "roleNo" IN (SELECT no FROM bound)
    )
    -- Only what the bound roles need goes back: at 10,000 bindings most candidate rules belong to roles nobody in
    -- the namespace holds.
    SELECT (SELECT coalesce(jsonb_agg(r), '[]'::jsonb) FROM r WHERE "roleNo" IN (SELECT no FROM bound) OR "roleNo" IN (SELECT "sourceNo" FROM agg_out)) AS rules,
      (SELECT coalesce(jsonb_agg(agg_out), '[]'::jsonb) FROM agg_out) AS aggregations,
      (SELECT coalesce(jsonb_agg(ro), '[]'::jsonb) FROM ro WHERE no IN (SELECT no FROM bound)) AS roles,
      (SELECT coalesce(jsonb_agg(b ORDER BY b."position"), '[]'::jsonb) FROM b) AS bindings`;
  if (!row) return { rules: [], roles: [], bindings: [] };
  // The aggregated roles' lists, cut down to the sources that hold a candidate rule.
  const aggregates = new Map<number, { no: number; path: string[] }[]>();
  for (const a of row.aggregations) {
    const list = aggregates.get(a.roleNo) ?? [];
    list.push({ no: a.sourceNo, path: a.path });
    aggregates.set(a.roleNo, list);
  }
  const roles: AccessRoleRow[] = row.roles.map((role) => {
    const list = aggregates.get(role.no);
    return { ...role, aggregates: list ?? null, sourceNos: (list ?? []).map((a) => a.no) };
  });
  return { rules: row.rules, roles, bindings: row.bindings };
}
