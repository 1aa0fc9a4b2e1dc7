/**
 * `npx tsx bench/access.ts [--pods 50000] [--iterations 60] [--keep]` (issue 22): the access explorer on the
 * synthetic cluster of `--pods` pods (bench/synthetic.ts: a binding per 5 pods, so 10,000 bindings at 50,000 pods,
 * with aggregated ClusterRoles, groups and wildcards), in its own throwaway database:
 * - the pure permission table (lib/analysis/access permissionTable + digest) and what it stores,
 * - recordPermissions as the evaluation runs it (new RBAC: rows written; unchanged re-push: rows added),
 * - whoCanAt through the service as the API calls it, p50/p95 over `--iterations` after 10 warm-up runs.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { migrate } from '../lib/platform/db/migrate';
import { dropDatabase, ensureDatabase } from './bench-sql';
import { benchSnapshot } from './synthetic';
import { progress, summarize, type Summary } from './stats';

const { values: args } = parseArgs({ options: { pods: { type: 'string', default: '50000' }, iterations: { type: 'string', default: '60' }, keep: { type: 'boolean', default: false } } });
const PODS = Number(args.pods);
const ITERATIONS = Number(args.iterations);
const DATABASE = 'bulwark_bench_access';
const SERVER_URL = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/bulwark';
const url = (() => { const u = new URL(SERVER_URL); u.pathname = `/${DATABASE}`; return u.toString(); })();

async function main() {
  await ensureDatabase(SERVER_URL, DATABASE, true);
  await migrate(url);
  Object.assign(process.env, { DATABASE_URL: url, REDIS_PREFIX: 'bulwark-bench-access', LOG_LEVEL: 'warn' });
  const { systemDb, dbFor } = await import('../lib/platform/db/tenant');
  const { disconnectDb } = await import('../lib/platform/db/client');
  const { preparePermissions, recordPermissions } = await import('../lib/services/access/record-permissions');
  const { whoCanAt } = await import('../lib/services/access/explore');
  const { systemContext } = await import('../lib/platform/auth/context');

  const { snapshot, counts } = benchSnapshot(PODS);
  const bindings = (counts.rolebindings ?? 0) + (counts.clusterrolebindings ?? 0);
  progress(`synthetic cluster: ${counts.pods} pods, ${bindings} bindings, ${(counts.roles ?? 0) + (counts.clusterroles ?? 0)} roles`);

  const org = await systemDb().organization.create({ data: { slug: `access-bench-${Date.now()}`, name: 'Access bench' } });
  const cluster = await systemDb().cluster.create({ data: { organizationId: org.id, name: 'bench-l' } });
  const ctx = systemContext(org.id, 'bench', org.slug);
  const snapshotRow = async (collectedAt: Date) =>
    systemDb().snapshot.create({
      data: { organizationId: org.id, clusterId: cluster.id, idempotencyKey: randomUUID(), contentSha256: randomUUID(), collectedAt, schemaVersion: 1, agentVersion: 'bench', compressedBytes: 0, rawBytes: 0, objectCounts: counts, collection: {}, status: 'DONE' },
      select: { id: true },
    });

  const prepareMs: number[] = [];
  let prepared = preparePermissions(snapshot);
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    prepared = preparePermissions(snapshot);
    prepareMs.push(performance.now() - start);
  }
  const rules = prepared.table.roles.reduce((n, r) => n + r.rules.length, 0);
  progress(`table: ${prepared.table.roles.length} roles, ${rules} rules, ${prepared.table.bindings.length} binding subjects; prepare p50 ${summarize(prepareMs).p50.toFixed(0)} ms`);

  const record = async (collectedAt: Date) => {
    const row = await snapshotRow(collectedAt);
    const start = performance.now();
    const outcome = await dbFor(ctx).$transaction((tx) => recordPermissions(tx, { organizationId: org.id, clusterId: cluster.id, snapshotId: row.id, evaluationRunId: randomUUID(), collectedAt, prepared }), { timeout: 300_000 });
    return { ms: performance.now() - start, created: outcome.created };
  };
  const rowCount = async () => {
    const db = dbFor(ctx);
    const [r, b, s] = await Promise.all([db.accessRule.count(), db.accessBinding.count(), db.accessRole.count()]);
    return r + b + s;
  };
  const first = await record(new Date(Date.now() - 2 * 3_600_000));
  const afterFirst = await rowCount();
  const again = await record(new Date(Date.now() - 3_600_000));
  const afterAgain = await rowCount();
  progress(`record: new RBAC ${first.ms.toFixed(0)} ms (${afterFirst} rows); unchanged re-push ${again.ms.toFixed(0)} ms, created ${again.created}, rows added ${afterAgain - afterFirst}`);
  const client = (await import('pg')).default;
  const pg = new client.Client({ connectionString: url });
  await pg.connect();
  await pg.query('VACUUM ANALYZE');
  const size = (await pg.query<{ bytes: string }>(`SELECT sum(pg_total_relation_size(c.oid))::text AS bytes FROM pg_class c WHERE c.relname IN ('AccessRole', 'AccessRule', 'AccessBinding', 'AccessSnapshot', 'AccessPermissionSet')`)).rows[0]?.bytes ?? '0';

  const namespace = (snapshot.objects.namespaces[7]?.metadata.name ?? 'default');
  const cases: { name: string; query: Record<string, string> }[] = [
    { name: `get secrets in ${namespace}`, query: { verb: 'get', resource: 'secrets', namespace } },
    { name: 'list secrets, any namespace', query: { verb: 'list', resource: 'secrets' } },
    { name: `create pods/exec in ${namespace}`, query: { verb: 'create', resource: 'pods', subresource: 'exec', namespace } },
    { name: 'get nodes/proxy (cluster-scoped)', query: { verb: 'get', resource: 'nodes', subresource: 'proxy' } },
    { name: 'frobnicate widgets.example.com (unknown)', query: { verb: 'frobnicate', resource: 'widgets', apiGroup: 'example.com', namespace } },
  ];
  const rows: { name: string; subjects: number; ms: Summary }[] = [];
  for (const c of cases) {
    let subjects = 0;
    for (let i = 0; i < 10; i++) subjects = (await whoCanAt(ctx, cluster.id, c.query as never)).subjects.length;
    const samples: number[] = [];
    for (let i = 0; i < ITERATIONS; i++) {
      const start = performance.now();
      await whoCanAt(ctx, cluster.id, c.query as never);
      samples.push(performance.now() - start);
    }
    const ms = summarize(samples);
    rows.push({ name: c.name, subjects, ms });
    progress(`${c.name}: ${subjects} subjects, p50 ${ms.p50.toFixed(1)} ms, p95 ${ms.p95.toFixed(1)} ms`);
  }

  console.log(`\n${counts.pods} pods, ${bindings} bindings: table ${prepared.table.roles.length} roles / ${rules} rules / ${prepared.table.bindings.length} binding subjects, ${(Number(size) / 1024 / 1024).toFixed(1)} MiB with indexes`);
  console.log(`prepare (pure) p50 ${summarize(prepareMs).p50.toFixed(0)} ms; record new RBAC ${first.ms.toFixed(0)} ms; unchanged re-push ${again.ms.toFixed(0)} ms, ${afterAgain - afterFirst} permission rows added`);
  console.log(`\n| who-can (${ITERATIONS} runs after 10 warm-up) | subjects | p50 ms | p95 ms |\n|---|---:|---:|---:|`);
  for (const row of rows) console.log(`| ${row.name} | ${row.subjects.toLocaleString('en')} | ${row.ms.p50.toFixed(1)} | ${row.ms.p95.toFixed(1)} |`);
  await pg.end();
  await disconnectDb();
  if (!args.keep) await dropDatabase(SERVER_URL, DATABASE);
}

main().then(() => process.exit(0), (error: unknown) => { console.error(error); process.exit(1); });
