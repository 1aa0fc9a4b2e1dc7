import pg from 'pg';
import type { TenantTx } from '@/lib/platform/db/tenant';

/**
 * Raw SQL for `npm run bench` only (bench/**): the benchmark database's lifecycle, bulk seeding of the read-path
 * data set, a plain bulk insert to compare the pipeline with, and EXPLAIN of captured queries. Nothing in the
 * app imports this file. Seeding writes many organizations at once, so it takes a connection string, not a
 * tenant-scoped client; the one function that writes a single organization's rows takes it first.
 */

function withDatabase(url: string, pathname: string): string {
  const next = new URL(url);
  next.pathname = `/${pathname}`;
  return next.toString();
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unexpected database name "${name}"`);
  return `"${name}"`;
}

/** Creates the database unless it exists; with `fresh`, drops it first. Returns whether it was created now. */
export async function ensureDatabase(serverUrl: string, name: string, fresh = false): Promise<boolean> {
  return withClient(withDatabase(serverUrl, 'postgres'), async (client) => {
    if (fresh) await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount) return false;
    await client.query(`CREATE DATABASE ${quoteIdent(name)}`);
    return true;
  });
}

export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  await withClient(withDatabase(serverUrl, 'postgres'), (client) => client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`));
}

export type BulkFindingRow = {
  controlId: string; fingerprint: string; severity: string; resourceApiVersion: string; resourceKind: string;
  resourceNamespace: string | null; resourceName: string; resourceUid: string | null; message: string; evidence: string;
  isPlatform: boolean; dueAt: Date;
};

/**
 * The floor the pipeline is compared with: the same finding rows written by one INSERT ... SELECT FROM unnest,
 * with nothing read back and no events, scores or bookkeeping.
 */
export async function bulkInsertFindings(db: TenantTx, organizationId: string, clusterId: string, rows: BulkFindingRow[], seenAt: Date): Promise<number> {
  const column = <K extends keyof BulkFindingRow>(key: K) => rows.map((row) => row[key]);
  return db.$executeRaw`
    INSERT INTO "Finding" ("organizationId", "clusterId", "controlId", "fingerprint", "severity", "resourceApiVersion", "resourceKind",
      "resourceNamespace", "resourceName", "resourceUid", "message", "evidence", "isPlatform", "firstSeenAt", "lastSeenAt", "dueAt", "updatedAt")
    SELECT ${organizationId}::uuid, ${clusterId}::uuid, r.control, r.fingerprint, r.severity::"Severity", r.api, r.kind, r.namespace, r.name, r.uid,
      r.message, r.evidence::jsonb, r.platform, ${seenAt}, ${seenAt}, r.due, ${seenAt}
    FROM unnest(${column('controlId')}::text[], ${column('fingerprint')}::text[], ${column('severity')}::text[], ${column('resourceApiVersion')}::text[],
      ${column('resourceKind')}::text[], ${column('resourceNamespace')}::text[], ${column('resourceName')}::text[], ${column('resourceUid')}::text[],
      ${column('message')}::text[], ${column('evidence')}::text[], ${column('isPlatform')}::boolean[], ${column('dueAt')}::timestamp[])
      AS r(control, fingerprint, severity, api, kind, namespace, name, uid, message, evidence, platform, due)`;
}

/**
 * What the first evaluation's writes could cost with the same statement shape as the floor: the rows inserted
 * from unnest, ids returned, and their "opened" timeline events written from those ids, in one statement.
 * The bench times it to size the fix it proposes for reconcileFindings (createManyAndReturn + createMany).
 */
export async function bulkInsertFindingsWithEvents(db: TenantTx, organizationId: string, clusterId: string, rows: BulkFindingRow[], seenAt: Date, snapshotId: string): Promise<number> {
  const column = <K extends keyof BulkFindingRow>(key: K) => rows.map((row) => row[key]);
  return db.$executeRaw`
    WITH inserted AS (
      INSERT INTO "Finding" ("organizationId", "clusterId", "controlId", "fingerprint", "severity", "resourceApiVersion", "resourceKind",
        "resourceNamespace", "resourceName", "resourceUid", "message", "evidence", "isPlatform", "firstSeenAt", "lastSeenAt", "lastSnapshotId", "dueAt", "updatedAt")
      SELECT ${organizationId}::uuid, ${clusterId}::uuid, r.control, r.fingerprint, r.severity::"Severity", r.api, r.kind, r.namespace, r.name, r.uid,
        r.message, r.evidence::jsonb, r.platform, ${seenAt}, ${seenAt}, ${snapshotId}::uuid, r.due, ${seenAt}
      FROM unnest(${column('controlId')}::text[], ${column('fingerprint')}::text[], ${column('severity')}::text[], ${column('resourceApiVersion')}::text[],
        ${column('resourceKind')}::text[], ${column('resourceNamespace')}::text[], ${column('resourceName')}::text[], ${column('resourceUid')}::text[],
        ${column('message')}::text[], ${column('evidence')}::text[], ${column('isPlatform')}::boolean[], ${column('dueAt')}::timestamp[])
        AS r(control, fingerprint, severity, api, kind, namespace, name, uid, message, evidence, platform, due)
      RETURNING "id")
    INSERT INTO "FindingEvent" ("organizationId", "findingId", "type", "snapshotId", "data", "createdAt")
    SELECT ${organizationId}::uuid, inserted."id", 'opened', ${snapshotId}::uuid, '{}'::jsonb, ${seenAt} FROM inserted`;
}

export async function deleteClusterFindings(db: TenantTx, organizationId: string, clusterId: string): Promise<number> {
  return db.$executeRaw`DELETE FROM "Finding" WHERE "organizationId" = ${organizationId}::uuid AND "clusterId" = ${clusterId}::uuid`;
}

export type ReadPathSpec = { organizations: number; findings: number; days: number; slugPrefix: string; now: Date };
export type ReadPathOrg = { id: string; slug: string; findings: number; clusters: number; ownerUserId: string; ownerEmail: string };

/** The seeded organizations, largest first (empty when the data set is not there yet). */
export async function listReadPathOrgs(url: string, slugPrefix: string): Promise<ReadPathOrg[]> {
  return withClient(url, async (client) => (await client.query<ReadPathOrg>(`
    SELECT o.id::text AS id, o.slug,
      (SELECT count(*)::int FROM "Finding" f WHERE f."organizationId" = o.id) AS findings,
      (SELECT count(*)::int FROM "Cluster" c WHERE c."organizationId" = o.id) AS clusters,
      u.id::text AS "ownerUserId", u.email AS "ownerEmail"
    FROM "Organization" o
    JOIN "Membership" m ON m."organizationId" = o.id AND m.role = 'OWNER'
    JOIN "User" u ON u.id = m."userId"
    WHERE o.slug LIKE $1 || '-%'
    ORDER BY findings DESC, o.slug`, [slugPrefix])).rows);
}

/**
 * Seeds the read-path data set in bulk: organizations whose sizes follow a power law (a few large tenants, a
 * long tail), their clusters, members, teams and tickets, findings with realistic shares of status, severity,
 * control, namespace, assignee and due date, and `days` of hourly snapshots and score points with daily rollups.
 * Deterministic in shape (setseed); ids are random.
 */
export async function seedReadPath(url: string, spec: ReadPathSpec, log: (line: string) => void = () => {}): Promise<void> {
  await withClient(url, async (client) => {
    const step = async (label: string, sql: string, values: unknown[] = []) => {
      const start = performance.now();
      const result = await client.query(sql, values);
      log(`seed ${label}: ${result.rowCount ?? 0} rows in ${((performance.now() - start) / 1000).toFixed(1)} s`);
    };
    const now = spec.now.toISOString();
    await client.query('SET max_parallel_workers_per_gather = 0'); // one process, so setseed gives the same draws
    await client.query('SET synchronous_commit = off');
    // One transaction: a seed cut short (a restarted server) leaves nothing behind, and a rerun starts clean.
    await client.query('BEGIN');
    await client.query('SELECT setseed(0.42)');
    await step('plan', `CREATE TEMP TABLE bench_org AS
      SELECT k, gen_random_uuid() AS id, $2 || '-' || lpad(k::text, 3, '0') AS slug,
        greatest(50, round($3::numeric * w / sum(w) OVER ()))::int AS findings
      FROM (SELECT k, power(k, -0.7) AS w FROM generate_series(1, $1::int) k) weights`, [spec.organizations, spec.slugPrefix, spec.findings]);
    await client.query(`ALTER TABLE bench_org ADD COLUMN clusters int, ADD COLUMN users int, ADD COLUMN teams int, ADD COLUMN namespaces int`);
    await client.query(`UPDATE bench_org SET clusters = least(10, 1 + findings / 15000), users = least(40, 3 + findings / 4000),
      teams = least(8, 2 + findings / 20000), namespaces = greatest(8, least(400, findings / 250))`);
    await step('organizations', `INSERT INTO "Organization" (id, slug, name, "updatedAt") SELECT id, slug, 'Bench ' || slug, $1::timestamp FROM bench_org`, [now]);
    await step('users', `INSERT INTO "User" (id, email, name) SELECT gen_random_uuid(), o.slug || '-user-' || u || '@bench.example', 'User ' || u || ' of ' || o.slug
      FROM bench_org o CROSS JOIN LATERAL generate_series(1, o.users) u`);
    await step('memberships', `INSERT INTO "Membership" ("organizationId", "userId", role, source)
      SELECT o.id, usr.id, (CASE WHEN u = 1 THEN 'OWNER' WHEN u = 2 THEN 'ADMIN' WHEN u % 7 = 0 THEN 'AUDITOR' ELSE 'MEMBER' END)::"Role", 'INVITATION'
      FROM bench_org o CROSS JOIN LATERAL generate_series(1, o.users) u JOIN "User" usr ON usr.email = o.slug || '-user-' || u || '@bench.example'`);
    await step('teams', `INSERT INTO "Team" ("organizationId", name) SELECT o.id, 'team-' || t FROM bench_org o CROSS JOIN LATERAL generate_series(1, o.teams) t`);
    await step('team members', `INSERT INTO "TeamMember" ("organizationId", "teamId", "userId")
      SELECT m."organizationId", t.id, m."userId" FROM "Membership" m JOIN bench_org o ON o.id = m."organizationId"
      JOIN "User" usr ON usr.id = m."userId"
      JOIN "Team" t ON t."organizationId" = o.id AND t.name = 'team-' || (1 + (split_part(split_part(usr.email, '-user-', 2), '@', 1)::int % o.teams))`);
    await step('clusters', `INSERT INTO "Cluster" (id, "organizationId", name, provider, "kubeSystemUid", "agentVersion", "lastSnapshotAt", "lastCollectedAt", "lastEvaluatedAt", "createdAt")
      SELECT gen_random_uuid(), o.id, 'cluster-' || c, (ARRAY['eks', 'gke', 'aks', 'kind'])[1 + c % 4], md5(o.slug || c), '0.1.0',
        $1::timestamp - c * interval '1 minute', $1::timestamp - c * interval '1 minute' - interval '20 seconds', $1::timestamp - c * interval '1 minute' + interval '5 seconds',
        $1::timestamp - interval '200 days'
      FROM bench_org o CROSS JOIN LATERAL generate_series(1, o.clusters) c`, [now]);
    await client.query(`CREATE TEMP TABLE bench_refs AS SELECT o.id AS org,
      (SELECT array_agg(c.id ORDER BY c.name) FROM "Cluster" c WHERE c."organizationId" = o.id) AS clusters,
      (SELECT array_agg(c."lastEvaluatedAt" ORDER BY c.name) FROM "Cluster" c WHERE c."organizationId" = o.id) AS evaluated,
      (SELECT array_agg(m."userId" ORDER BY m."userId") FROM "Membership" m WHERE m."organizationId" = o.id) AS users,
      (SELECT array_agg(t.id ORDER BY t.name) FROM "Team" t WHERE t."organizationId" = o.id) AS teams
      FROM bench_org o`);
    await client.query(`CREATE TEMP TABLE bench_controls AS SELECT array_agg(id ORDER BY id) AS ids, array_agg(severity::text ORDER BY id) AS severities, count(*)::int AS n
      FROM "Control" WHERE id NOT LIKE 'platform.%'`);
    // Draws first (the subquery keeps each row's random() values fixed), then the columns derived from them.
    await step('findings', `INSERT INTO "Finding" ("organizationId", "clusterId", "controlId", fingerprint, severity, status, "resourceApiVersion", "resourceKind",
        "resourceNamespace", "resourceName", "resourceUid", message, evidence, "firstSeenAt", "lastSeenAt", "resolvedAt", "resolutionReason",
        "assigneeUserId", "assigneeTeamId", "dueAt", "acknowledgedAt", "createdAt", "updatedAt")
      SELECT d.org, d.cluster, d.control, md5(d.slug || ':' || d.g), d.severity::"Severity", d.status::"FindingStatus", d.api, d.kind,
        CASE WHEN d.kind IN ('ClusterRoleBinding', 'Namespace') THEN NULL ELSE d.namespace END, d.name, md5(d.slug || ':uid:' || d.g),
        d.control || ': ' || d.kind || ' ' || d.name || ' in ' || d.namespace || ' does not meet the control',
        jsonb_build_object('type', split_part(d.control, '.', 1), 'path', 'spec.template.spec.containers[0].securityContext',
          'container', d.name, 'actual', CASE WHEN d.r_ack < 0.5 THEN 'true' ELSE 'unset' END, 'expected', 'false', 'namespace', d.namespace),
        d.first_seen, CASE WHEN d.status = 'RESOLVED' THEN greatest(d.first_seen, d.resolved - interval '5 minutes') ELSE d.evaluated END,
        CASE WHEN d.status = 'RESOLVED' THEN d.resolved END,
        CASE WHEN d.status <> 'RESOLVED' THEN NULL WHEN d.r_reason < 0.9 THEN 'FIXED' WHEN d.r_reason < 0.95 THEN 'FALSE_POSITIVE' ELSE 'EXCEPTION' END::"ResolutionReason",
        CASE WHEN d.r_user < 0.25 THEN d.users[1 + floor(d.r_pick * array_length(d.users, 1))::int] END,
        CASE WHEN d.r_team < 0.15 THEN d.teams[1 + floor(d.r_pick * array_length(d.teams, 1))::int] END,
        d.first_seen + (CASE d.severity WHEN 'CRITICAL' THEN 7 WHEN 'HIGH' THEN 30 WHEN 'MEDIUM' THEN 90 ELSE 180 END) * interval '1 day',
        CASE WHEN d.status = 'ACKNOWLEDGED' THEN d.first_seen + d.r_ack * interval '3 days' END,
        d.first_seen, $1::timestamp
      FROM (
        SELECT r.*, o.slug, o.id AS org, ref.clusters[ci] AS cluster, ref.evaluated[ci] AS evaluated, ref.users, ref.teams,
          ctl.ids[1 + floor(power(r.r_control, 1.8) * ctl.n)::int] AS control, ctl.severities[1 + floor(power(r.r_control, 1.8) * ctl.n)::int] AS severity,
          CASE WHEN r.r_status < 0.52 THEN 'OPEN' WHEN r.r_status < 0.62 THEN 'ACKNOWLEDGED' WHEN r.r_status < 0.65 THEN 'RISK_ACCEPTED' ELSE 'RESOLVED' END AS status,
          $1::timestamp - power(r.r_first, 1.3) * interval '180 days' AS first_seen,
          'team-' || lpad(floor(power(r.r_ns, 1.5) * o.namespaces)::text, 4, '0') AS namespace,
          (ARRAY['apps/v1', 'apps/v1', 'v1', 'rbac.authorization.k8s.io/v1', 'batch/v1', 'networking.k8s.io/v1'])[1 + floor(r.r_kind * 6)::int] AS api,
          (ARRAY['Deployment', 'StatefulSet', 'Pod', 'RoleBinding', 'CronJob', 'NetworkPolicy', 'ClusterRoleBinding', 'Namespace'])[1 + floor(power(r.r_kind, 2) * 8)::int] AS kind,
          'app-' || floor(r.r_name * 5000)::int AS name
        FROM bench_org o JOIN bench_refs ref ON ref.org = o.id CROSS JOIN bench_controls ctl
        CROSS JOIN LATERAL (
          SELECT g, 1 + floor(random() * o.clusters)::int AS ci, random() AS r_control, random() AS r_status, random() AS r_first, random() AS r_ns,
            random() AS r_kind, random() AS r_name, random() AS r_user, random() AS r_team, random() AS r_pick, random() AS r_reason, random() AS r_ack,
            random() AS r_resolved
          FROM generate_series(1, o.findings) g
        ) r
      ) d0
      CROSS JOIN LATERAL (SELECT d0.*, d0.first_seen + d0.r_resolved * ($1::timestamp - d0.first_seen) AS resolved) d`, [now]);
    await step('tickets', `INSERT INTO "Ticket" ("organizationId", number, title, severity, status, "createdAt", "updatedAt")
      SELECT o.id, n, 'Ticket ' || n, (ARRAY['SEV1', 'SEV2', 'SEV3', 'SEV4'])[1 + n % 4]::"TicketSeverity",
        (ARRAY['OPEN', 'INVESTIGATING', 'MITIGATED', 'RESOLVED', 'CLOSED', 'CLOSED'])[1 + n % 6]::"TicketStatus", $1::timestamp - n * interval '1 day', $1::timestamp
      FROM bench_org o CROSS JOIN LATERAL generate_series(1, least(60, 3 + o.findings / 2000)) n`, [now]);
    await step('snapshots', `INSERT INTO "Snapshot" ("organizationId", "clusterId", "idempotencyKey", "contentSha256", "collectedAt", "receivedAt", "schemaVersion",
        "agentVersion", "compressedBytes", "rawBytes", "objectCounts", collection, status, "enqueuedAt", "evaluatedAt", "prunedAt")
      SELECT c."organizationId", c.id, md5(c.id::text || h), md5(c.id::text || h), c."lastCollectedAt" - h * interval '1 hour', c."lastSnapshotAt" - h * interval '1 hour',
        1, '0.1.0', 400000, 4000000, '{"pods": 1000}', '{}', 'DONE', c."lastSnapshotAt" - h * interval '1 hour', c."lastEvaluatedAt" - h * interval '1 hour',
        CASE WHEN h > 24 * 30 THEN $1::timestamp END
      FROM "Cluster" c JOIN bench_org o ON o.id = c."organizationId" CROSS JOIN generate_series(0, $2::int * 24 - 1) h`, [now, spec.days]);
    // One series per scope (each cluster, and "org") and framework: hourly points and one rollup row a day.
    await client.query(`CREATE TEMP TABLE bench_scopes AS
      SELECT o.id AS org, c.id AS cluster, c.id::text AS scope_key, c."lastEvaluatedAt" AS last_at, f.id AS framework, random() AS phase
      FROM bench_org o JOIN "Cluster" c ON c."organizationId" = o.id CROSS JOIN "Framework" f
      UNION ALL
      SELECT o.id, NULL, 'org', $1::timestamp, f.id, random() FROM bench_org o CROSS JOIN "Framework" f`, [now]);
    await step('score points', `INSERT INTO "ScorePoint" ("organizationId", "clusterId", "frameworkId", at, score, passed, failed, "notApplicable", manual, accepted, "catalogVersion")
      SELECT s.org, s.cluster, s.framework, s.last_at - h * interval '1 hour', round((70 + 15 * sin(h / 200.0 + s.phase * 6) + 5 * random())::numeric, 1),
        30 + (h % 7), 10 + (h % 5), 4, 6, h % 3, 'bench'
      FROM bench_scopes s CROSS JOIN generate_series(0, $1::int * 24 - 1) h`, [spec.days]);
    await step('score daily', `INSERT INTO "ScoreDaily" ("organizationId", "scopeKey", "frameworkId", day, score, "minScore", "maxScore", accepted, points)
      SELECT s.org, s.scope_key, s.framework, (s.last_at - d * interval '1 day')::date, round((70 + 15 * sin(d * 24 / 200.0 + s.phase * 6))::numeric, 1),
        round((63 + 15 * sin(d * 24 / 200.0 + s.phase * 6))::numeric, 1), round((77 + 15 * sin(d * 24 / 200.0 + s.phase * 6))::numeric, 1), d % 3, 24
      FROM bench_scopes s CROSS JOIN generate_series(0, $1::int - 1) d`, [spec.days]);
    await client.query('COMMIT');
    for (const table of ['Finding', 'ScorePoint', 'ScoreDaily', 'Snapshot', 'Cluster', 'Membership', 'TeamMember', 'Ticket', 'User', 'Organization']) {
      const start = performance.now();
      await client.query(`VACUUM (ANALYZE) "${table}"`);
      log(`vacuum analyze ${table}: ${((performance.now() - start) / 1000).toFixed(1)} s`);
    }
  });
}

/**
 * EXPLAIN (ANALYZE, BUFFERS) of one captured statement, with the parameters it was sent with, as the tenant
 * role with the organization set (as lib/platform/db/tenant.ts runs it), so row-level security is in the plan. Rolled back.
 */
export async function explainAnalyze(url: string, organizationId: string, text: string, values: readonly unknown[]): Promise<string[]> {
  return withClient(url, async (client) => {
    await client.query('BEGIN');
    try {
      const role = await client.query<{ exists: boolean }>(`SELECT EXISTS (SELECT FROM pg_roles WHERE rolname = 'bulwark_tenant') AS "exists"`);
      if (role.rows[0]?.exists) await client.query(`SELECT set_config('role', 'bulwark_tenant', true), set_config('bulwark.org_id', $1, true)`, [organizationId]);
      const result = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${text}`, [...values]);
      return result.rows.map((row) => row['QUERY PLAN']);
    } finally {
      await client.query('ROLLBACK');
    }
  });
}

/** On-disk size of the tables the read path uses, with their indexes. */
export async function tableSizes(url: string): Promise<{ table: string; rows: number; totalBytes: number; indexBytes: number }[]> {
  return withClient(url, async (client) => (await client.query<{ table: string; rows: number; totalBytes: number; indexBytes: number }>(`
    SELECT c.relname AS table, c.reltuples::bigint::float8 AS rows, pg_total_relation_size(c.oid)::float8 AS "totalBytes", pg_indexes_size(c.oid)::float8 AS "indexBytes"
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname IN ('Finding', 'ScorePoint', 'ScoreDaily', 'Snapshot', 'FindingEvent')
    ORDER BY pg_total_relation_size(c.oid) DESC`)).rows);
}
