/**
 * Read-path phase, in one child process against the bench database: 1,000,000 findings over 100 organizations
 * (seeded once in bulk; a kept database is reused), then p50/p95 of the dashboard query set, of the findings
 * list with each filter and at page 50+ by following cursors, of the dashboard page and the findings API over
 * HTTP from `next start`, and EXPLAIN (ANALYZE, BUFFERS) of every statement those send.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { getDashboard } from '@/lib/services/dashboard/get-dashboard';
import { compactFindingTallies } from '@/lib/services/pipeline/tallies';
import { listFindings } from '@/lib/services/findings/list-findings';
import type { ListFindingsQueryInput } from '@/lib/services/findings/schemas';
import { dbFor } from '@/lib/platform/db/tenant';
import { disconnectDb } from '@/lib/platform/db/client';
import { explainAnalyze, listReadPathOrgs, seedReadPath, tableSizes, type ReadPathOrg } from './bench-sql';
import type { OrgContext } from '@/lib/platform/auth/context';
import { startCapture, stopCapture, statementShape, type CapturedQuery } from './sql-capture';
import { measurePages, type PageTimings } from './page';
import { OUT_DIR } from './paths';
import { progress, since, summarize, timed, type Summary } from './stats';

export const READ_ORGS = 100;
export const READ_FINDINGS = 1_000_000;
const SLUG_PREFIX = 'bench-read';
const DEEP_PAGE = 50;

export type ReadPathArgs = { iterations: number; http: boolean };
export type Timing = { name: string; ms: Summary; rows?: number; note?: string };
export type Plan = { query: string; statement: string; keyLines: string[]; executionMs: number };
export type ReadPathResult = {
  seed: { organizations: number; findings: number; seededNowMs: number | null; tables: Awaited<ReturnType<typeof tableSizes>> };
  orgs: (Pick<ReadPathOrg, 'slug' | 'findings' | 'clusters'> & { label: string })[];
  dashboard: Timing[];
  /** Each dashboard statement on its own (timed while the dashboard runs them concurrently). */
  dashboardStatements: Timing[];
  findingsList: Timing[];
  http: PageTimings;
  plans: Plan[];
};

const systemCtx = (org: ReadPathOrg): OrgContext => ({ organizationId: org.id, organizationSlug: org.slug, actor: { kind: 'system', reason: 'bench' } });
const userCtx = (org: ReadPathOrg): OrgContext => ({
  organizationId: org.id, organizationSlug: org.slug, actor: { kind: 'user', userId: org.ownerUserId, role: 'OWNER', email: org.ownerEmail, name: null },
});

/**
 * Warm-up runs before measuring: the pool opens up to 10 connections, and each new Postgres backend pays
 * once per statement shape for its catalog caches (the dashboard's first runs take 80-380 ms, then 17-40 ms).
 * 20 runs of the dashboard's 10 concurrent statements reach the steady state a serving process is in.
 */
const WARM_UP_RUNS = 20;

async function sample(iterations: number, fn: () => Promise<unknown>): Promise<Summary> {
  for (let i = 0; i < Math.min(WARM_UP_RUNS, iterations); i++) await fn(); // warm-up: plans, pool, buffer cache
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) samples.push((await timed(fn))[0]);
  return summarize(samples);
}

/** The findings-list cases: every filter, on the largest organization, with values its data actually has. */
async function listCases(org: ReadPathOrg): Promise<{ name: string; ctx: OrgContext; query: ListFindingsQueryInput }[]> {
  const db = dbFor(systemCtx(org));
  const [clusters, namespaces, controls, assignees, teams, requirement] = await Promise.all([
    db.cluster.findMany({ select: { id: true }, orderBy: { name: 'asc' } }),
    db.finding.groupBy({ by: ['resourceNamespace'], _count: { _all: true }, orderBy: { _count: { resourceNamespace: 'desc' } }, take: 400 }),
    db.finding.groupBy({ by: ['controlId'], _count: { _all: true }, orderBy: { _count: { controlId: 'desc' } } }),
    db.finding.groupBy({ by: ['assigneeUserId'], where: { assigneeUserId: { not: null } }, _count: { _all: true }, orderBy: { _count: { assigneeUserId: 'desc' } }, take: 1 }),
    db.team.findMany({ select: { id: true }, orderBy: { name: 'asc' }, take: 1 }),
    db.controlRequirement.groupBy({ by: ['requirementId'], _count: { _all: true }, orderBy: { _count: { requirementId: 'desc' } }, take: 1 }),
  ]);
  const named = namespaces.filter((n) => n.resourceNamespace !== null);
  const [frameworkId, requirementCode] = (requirement[0]?.requirementId ?? 'cis-k8s-1.9:5.2.2').split(/:(.*)/s);
  const pick = <T>(value: T | undefined, what: string): T => { if (value === undefined) throw new Error(`read-path seed has no ${what}`); return value; };
  const cluster = pick(clusters[0], 'cluster').id;
  const system = systemCtx(org);
  return [
    { name: 'no filter (sort severity)', ctx: system, query: {} },
    { name: 'sort lastSeenAt', ctx: system, query: { sort: 'lastSeenAt' } },
    { name: 'sort dueAt', ctx: system, query: { sort: 'dueAt' } },
    { name: 'status OPEN', ctx: system, query: { status: 'OPEN' } },
    { name: 'status OPEN,ACKNOWLEDGED, sort dueAt', ctx: system, query: { status: 'OPEN,ACKNOWLEDGED', sort: 'dueAt' } },
    { name: 'severity CRITICAL', ctx: system, query: { severity: 'CRITICAL' } },
    { name: 'severity CRITICAL,HIGH + status OPEN', ctx: system, query: { severity: 'CRITICAL,HIGH', status: 'OPEN' } },
    { name: 'cluster', ctx: system, query: { clusterId: cluster } },
    { name: 'cluster + status OPEN + sort lastSeenAt', ctx: system, query: { clusterId: cluster, status: 'OPEN', sort: 'lastSeenAt' } },
    { name: 'namespace (common)', ctx: system, query: { namespace: pick(named[0]?.resourceNamespace ?? undefined, 'namespace') } },
    { name: 'namespace (rare)', ctx: system, query: { namespace: pick(named.at(-1)?.resourceNamespace ?? undefined, 'namespace') } },
    { name: 'control (common)', ctx: system, query: { controlId: pick(controls[0]?.controlId, 'control') } },
    { name: 'control (rare)', ctx: system, query: { controlId: pick(controls.at(-1)?.controlId, 'control') } },
    { name: `requirement ${frameworkId} ${requirementCode}`, ctx: system, query: { frameworkId, requirementCode } },
    { name: 'assignee user', ctx: system, query: { assigneeUserId: pick(assignees[0]?.assigneeUserId ?? undefined, 'assignee') } },
    { name: 'team', ctx: system, query: { teamId: pick(teams[0]?.id, 'team') } },
    { name: 'mine (user + teams)', ctx: userCtx(org), query: { mine: 'true' } },
    { name: 'overdue', ctx: system, query: { overdue: 'true' } },
    { name: 'overdue, sort dueAt', ctx: system, query: { overdue: 'true', sort: 'dueAt' } },
    { name: 'search q="app-12"', ctx: system, query: { q: 'app-12' } },
    { name: 'search q="rbac" + status OPEN', ctx: system, query: { q: 'rbac', status: 'OPEN' } },
  ];
}

/** Follows cursors from the first page to DEEP_PAGE; returns the cursors of pages DEEP_PAGE.. (fewer if the list ends). */
async function deepCursors(ctx: OrgContext, query: ListFindingsQueryInput, now: Date): Promise<{ cursors: string[]; reached: number; walkMs: number }> {
  const start = performance.now();
  const cursors: string[] = [];
  let cursor: string | null | undefined;
  let page = 1;
  for (; page < DEEP_PAGE + 10; page++) {
    const result = await listFindings(ctx, { ...query, cursor: cursor ?? undefined }, now);
    if (!result.nextCursor) break;
    cursor = result.nextCursor;
    if (page + 1 >= DEEP_PAGE) cursors.push(cursor);
  }
  return { cursors, reached: page, walkMs: since(start) };
}

function keyLines(plan: string[]): string[] {
  const nodes = plan.filter((line, index) => index === 0 || /->/.test(line) || /Index Cond|Filter:|Rows Removed|Sort Method|Heap Fetches/.test(line));
  const trailer = plan.filter((line) => /^(Planning|Execution) Time/.test(line.trim()));
  const buffers = plan.find((line) => line.trim().startsWith('Buffers:'));
  return [...nodes.slice(0, 14), ...(buffers ? [buffers] : []), ...trailer].map((line) => line.replace(/\s+$/, ''));
}

/** EXPLAIN (ANALYZE, BUFFERS) every distinct SELECT the captured calls sent, with their own parameters. */
async function explainCaptured(url: string, organizationId: string, label: string, queries: CapturedQuery[], seen: Set<string>): Promise<Plan[]> {
  const plans: Plan[] = [];
  for (const query of queries) {
    // The findings-list SQL differs by its parameters (a requirement is a list of controls): key on both.
    const shape = statementShape(query.text);
    const key = query.text.includes('"Finding" AS f') ? `${shape} ${JSON.stringify(query.values)}` : shape;
    if (!/^\s*(SELECT|WITH)/i.test(query.text) || query.text.includes('set_config(') || seen.has(key)) continue;
    seen.add(key);
    const plan = await explainAnalyze(url, organizationId, query.text, query.values);
    const execution = plan.find((line) => line.startsWith('Execution Time'));
    plans.push({ query: label, statement: shape, keyLines: keyLines(plan), executionMs: Number(/([\d.]+) ms/.exec(execution ?? '')?.[1] ?? 0) });
    await writeFile(path.join(OUT_DIR, 'explain-full.txt'), `-- ${label}\n${query.text}\n-- ${JSON.stringify(query.values).slice(0, 400)}\n${plan.join('\n')}\n\n`, { flag: 'a' });
  }
  return plans;
}

export async function runReadPath({ iterations, http: withHttp }: ReadPathArgs): Promise<ReadPathResult> {
  const url = process.env.DATABASE_URL ?? '';
  let orgs = await listReadPathOrgs(url, SLUG_PREFIX);
  let seededNowMs: number | null = null;
  if (orgs.length < READ_ORGS) {
    if (orgs.length) throw new Error(`the bench database holds a partial read-path data set (${orgs.length} orgs): rerun with --fresh`);
    progress(`seeding ${READ_FINDINGS.toLocaleString('en')} findings over ${READ_ORGS} organizations (once; --keep reuses it)`);
    const [ms] = await timed(() => seedReadPath(url, { organizations: READ_ORGS, findings: READ_FINDINGS, days: 90, slugPrefix: SLUG_PREFIX, now: new Date() }, progress));
    seededNowMs = ms;
    orgs = await listReadPathOrgs(url, SLUG_PREFIX);
  }
  // As the worker's maintenance does every minute: fold the tally's deltas (a no-op when there are none).
  const tally = await compactFindingTallies();
  if (tally.folded) progress(`finding tally: folded ${tally.folded} rows into ${tally.kept}`);
  const largest = orgs[0];
  const median = orgs[Math.floor(orgs.length / 2)];
  if (!largest || !median) throw new Error('no read-path organizations');
  const now = new Date();
  await writeFile(path.join(OUT_DIR, 'explain-full.txt'), '');
  const seen = new Set<string>();
  const plans: Plan[] = [];

  const dashboard: Timing[] = [];
  let dashboardStatements: Timing[] = [];
  for (const [label, org] of [['largest', largest], ['median', median]] as const) {
    const ctx = systemCtx(org);
    startCapture();
    const ms = await sample(iterations, () => getDashboard(ctx, now));
    const captured = stopCapture();
    dashboard.push({ name: `getDashboard, ${label} org (${org.findings.toLocaleString('en')} findings, ${org.clusters} clusters)`, ms });
    progress(`dashboard ${label}: p50 ${ms.p50.toFixed(1)} ms, p95 ${ms.p95.toFixed(1)} ms`);
    if (label === 'largest') {
      const byShape = new Map<string, number[]>();
      for (const query of captured) byShape.set(statementShape(query.text), [...(byShape.get(statementShape(query.text)) ?? []), query.ms]);
      dashboardStatements = [...byShape.entries()].map(([statement, samples]) => ({ name: statement.slice(0, 150), ms: summarize(samples) }))
        .sort((a, b) => b.ms.p95 - a.ms.p95);
      startCapture();
      await getDashboard(ctx, now);
      plans.push(...await explainCaptured(url, org.id, 'dashboard', stopCapture(), seen));
    }
  }

  const findingsList: Timing[] = [];
  for (const { name, ctx, query } of await listCases(largest)) {
    const first = await listFindings(ctx, query, now);
    const ms = await sample(iterations, () => listFindings(ctx, query, now));
    findingsList.push({ name: `${name}: page 1`, ms, rows: first.items.length });
    startCapture();
    await listFindings(ctx, query, now);
    plans.push(...await explainCaptured(url, largest.id, `findings list: ${name}`, stopCapture(), seen));
    const deep = await deepCursors(ctx, query, now);
    if (deep.cursors.length) {
      let index = 0;
      const deepMs = await sample(iterations, () => listFindings(ctx, { ...query, cursor: deep.cursors[index++ % deep.cursors.length] }, now));
      findingsList.push({ name: `${name}: page ${DEEP_PAGE}+`, ms: deepMs, note: `walked to page ${deep.reached} in ${(deep.walkMs / 1000).toFixed(1)} s` });
      startCapture();
      await listFindings(ctx, { ...query, cursor: deep.cursors[0] }, now);
      plans.push(...await explainCaptured(url, largest.id, `findings list: ${name}, page ${DEEP_PAGE}`, stopCapture(), seen));
    }
    progress(`findings list ${name}: p50 ${ms.p50.toFixed(1)} ms, p95 ${ms.p95.toFixed(1)} ms${deep.cursors.length ? `; page ${DEEP_PAGE}+ p95 ${findingsList.at(-1)?.ms.p95.toFixed(1)} ms` : ` (only ${deep.reached} pages)`}`);
  }

  await disconnectDb();
  const http: PageTimings = withHttp ? await measurePages({ org: largest, iterations }) : { skipped: '--skip-http', appDir: '', timings: [] };
  return {
    seed: { organizations: orgs.length, findings: orgs.reduce((sum, org) => sum + org.findings, 0), seededNowMs, tables: await tableSizes(url) },
    orgs: [{ label: 'largest', ...pickOrg(largest) }, { label: 'median', ...pickOrg(median) }],
    dashboard,
    dashboardStatements,
    findingsList,
    http,
    plans,
  };
}

function pickOrg(org: ReadPathOrg) {
  return { slug: org.slug, findings: org.findings, clusters: org.clusters };
}
