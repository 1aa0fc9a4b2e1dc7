/**
 * `npx tsx bench/findings-page.ts [--findings 30000] [--iterations 30] [--keep]`: the findings page's numbered list
 * (listFindingsPage: one page of ids plus the total, then the rows) on one organization of `--findings` findings,
 * seeded like the read-path data set (bench/bench-sql.ts seedReadPath), in its own throwaway database. p50/p95 per
 * sort, direction and page, a few filters, and the count alone; EXPLAIN (ANALYZE) of the count and of the slowest order.
 */
import { parseArgs } from 'node:util';
import pg from 'pg';
import { migrate } from '../lib/platform/db/migrate';
import { dropDatabase, ensureDatabase, listReadPathOrgs, seedReadPath } from './bench-sql';
import { progress, summarize, type Summary } from './stats';

const { values: args } = parseArgs({ options: { findings: { type: 'string', default: '30000' }, iterations: { type: 'string', default: '30' }, keep: { type: 'boolean', default: false } } });
const FINDINGS = Number(args.findings);
const ITERATIONS = Number(args.iterations);
const DATABASE = 'bulwark_bench_findings_page';
const SERVER_URL = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/bulwark';
const url = (() => { const u = new URL(SERVER_URL); u.pathname = `/${DATABASE}`; return u.toString(); })();

async function main() {
  await ensureDatabase(SERVER_URL, DATABASE, !args.keep);
  await migrate(url);
  Object.assign(process.env, { DATABASE_URL: url, REDIS_PREFIX: 'bulwark-bench-findings-page', LOG_LEVEL: 'warn' });
  const { seedCatalog } = await import('../lib/services/catalog/seed-catalog');
  await seedCatalog();
  if ((await listReadPathOrgs(url, 'fp')).length === 0) {
    await seedReadPath(url, { organizations: 1, findings: FINDINGS, days: 1, slugPrefix: 'fp', now: new Date() }, progress);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query('VACUUM ANALYZE');
    await client.end();
  }
  const [org] = await listReadPathOrgs(url, 'fp');
  if (!org) throw new Error('no seeded organization');
  progress(`organization ${org.slug}: ${org.findings} findings, ${org.clusters} clusters`);

  const { listFindingsPage } = await import('../lib/services/findings/list-findings');
  const { countFindings } = await import('../lib/platform/db/findings-list-sql');
  const { dbFor } = await import('../lib/platform/db/tenant');
  const { disconnectDb } = await import('../lib/platform/db/client');
  const ctx = { organizationId: org.id, organizationSlug: org.slug, actor: { kind: 'user' as const, userId: org.ownerUserId, role: 'OWNER' as const, email: org.ownerEmail, name: null } };

  const measure = async (fn: () => Promise<unknown>): Promise<Summary> => {
    for (let i = 0; i < 3; i++) await fn();
    const samples: number[] = [];
    for (let i = 0; i < ITERATIONS; i++) {
      const start = performance.now();
      await fn();
      samples.push(performance.now() - start);
    }
    return summarize(samples);
  };
  const active = { status: ['OPEN', 'ACKNOWLEDGED'] as ('OPEN' | 'ACKNOWLEDGED')[] };
  const rows: { name: string; total: number; ms: Summary }[] = [];
  const run = async (name: string, input: Parameters<typeof listFindingsPage>[1]) => {
    const first = await listFindingsPage(ctx, { limit: 25, ...input });
    const ms = await measure(() => listFindingsPage(ctx, { limit: 25, ...input }));
    rows.push({ name, total: first.total, ms });
    progress(`${name}: total ${first.total}, p50 ${ms.p50.toFixed(1)} ms, p95 ${ms.p95.toFixed(1)} ms`);
  };

  const count = await measure(() => countFindings(dbFor(ctx), org.id, { statuses: ['OPEN', 'ACKNOWLEDGED'] }));
  rows.push({ name: 'count alone (open or acknowledged)', total: -1, ms: count });
  await run('default (severity, most severe first) page 1', active);
  await run('default page 2', { ...active, page: 2 });
  await run('default page 200 (offset 4,975)', { ...active, page: 200 });
  for (const sort of ['control', 'resource', 'cluster', 'status', 'assignee', 'dueAt', 'lastSeenAt'] as const) {
    for (const dir of ['asc', 'desc'] as const) await run(`${sort} ${dir} page 1`, { ...active, sort, dir });
  }
  await run('assignee asc page 200', { ...active, sort: 'assignee', dir: 'asc', page: 200 });
  await run('any status, cluster desc page 2', { sort: 'cluster', dir: 'desc', page: 2 });
  await run('severity HIGH, control asc', { ...active, severity: ['HIGH'], sort: 'control' });
  await run('search q=app-12, lastSeenAt desc', { ...active, q: 'app-12', sort: 'lastSeenAt' });

  console.log(`\n| case (${org.findings.toLocaleString('en')} findings, 25 a page, ${ITERATIONS} runs) | matches | p50 ms | p95 ms |\n|---|---|---|---|`);
  for (const row of rows) console.log(`| ${row.name} | ${row.total < 0 ? '' : row.total.toLocaleString('en')} | ${row.ms.p50.toFixed(1)} | ${row.ms.p95.toFixed(1)} |`);

  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const explain = async (label: string, sql: string) => {
    const plan = (await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`)).rows.map((r) => r['QUERY PLAN']);
    console.log(`\n${label}\n${plan.join('\n')}`);
  };
  await explain('count', `SELECT count(*)::int FROM "Finding" WHERE "organizationId" = '${org.id}' AND "status" = ANY('{OPEN,ACKNOWLEDGED}'::"FindingStatus"[])`);
  await explain('assignee asc page 1', `SELECT f."id" FROM (SELECT * FROM "Finding" WHERE "organizationId" = '${org.id}' AND "status" = ANY('{OPEN,ACKNOWLEDGED}'::"FindingStatus"[])) AS f
    LEFT JOIN "User" AS u ON u."id" = f."assigneeUserId" LEFT JOIN "Team" AS t ON t."organizationId" = f."organizationId" AND t."id" = f."assigneeTeamId"
    ORDER BY lower(coalesce(u."name", u."email")) ASC NULLS LAST, lower(t."name") ASC NULLS LAST, f."id" ASC OFFSET 0 LIMIT 25`);
  await client.end();
  await disconnectDb();
  if (!args.keep) await dropDatabase(SERVER_URL, DATABASE);
}

main().then(() => process.exit(0), (error: unknown) => { console.error(error); process.exit(1); });
