/**
 * `npx tsx scripts/demo-history.ts` (run by scripts/demo.sh after prisma/seed.ts, before the worker starts):
 * gives the demo organizations 30 days of history. Each demo cluster is created with its one-time agent
 * token, then every day's snapshot is built from demo/manifests (with that day's changes, see
 * demo/timeline.ts), pushed through the ingest service and evaluated at its historical time, so findings,
 * their timelines and the score charts are what the product itself would have recorded. Idempotent: once
 * Acme's prod cluster has a snapshot it does nothing. `--wait-for URL` is accepted and ignored.
 */
import 'dotenv/config';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { readManifestPaths } from '../agent/src/offline';
import { AGENT_VERSION } from '../agent/src/version';
import { systemContext, type OrgContext } from '../lib/platform/auth/context';
import { createClusterWithToken } from '../lib/testing/factories';
import { disconnectDb } from '../lib/platform/db/client';
import { dbFor } from '../lib/platform/db/tenant';
import { bootstrapClusterRoles } from '../lib/analysis/model/rbac/bootstrap';
import { resolveAgentToken } from '../lib/platform/auth/agent-token-context';
import { ingestSnapshot } from '../lib/services/ingest/ingest-snapshot';
import { logger } from '../lib/platform/log';
import { findOrganizationBySlug } from '../lib/services/orgs/create-organization';
import { evaluateStoredSnapshot } from '../lib/services/pipeline/evaluate-stored-snapshot';
import { closeProducers } from '../lib/platform/queue/producers';
import { buildSnapshot, snapshotIdempotencyKey } from '../lib/analysis/snapshot/build';
import type { Snapshot } from '../lib/analysis/snapshot/schema';
import { DEMO_CLUSTERS, DEMO_DAYS, objectsOn, toManifest, type DemoCluster, type Manifest } from '../demo/timeline';
import { pushDemoNodeReports } from './demo-node-reports';
import { NODE_REPORT_MAX_AGE_DAYS } from '../lib/services/pipeline/node-reports';

const MANIFESTS_DIR = path.resolve(import.meta.dirname, '../demo/manifests');
const DAY_MS = 86_400_000;
const COLLECTED_AT_HOUR_UTC = 6;
const EVALUATION_DELAY_MS = 5 * 60_000;

export type LoadDemoHistoryOptions = {
  /** The moment the history ends; the last day is the latest whose 06:05 UTC evaluation is not after it. */
  now?: Date;
  log?: (line: string) => void;
};

export type DemoHistorySummary = {
  status: 'loaded' | 'already-loaded';
  clusters: number;
  snapshots: number;
  findings: { open: number; resolved: number; reopened: number };
  /** Acme's organization-wide score per framework, on the first and the last day. */
  acmeScores: { frameworkId: string; first: number; latest: number }[];
  /** Each Acme cluster's latest score per framework. */
  acmeClusterScores: { cluster: string; frameworkId: string; score: number }[];
};

type PreparedCluster = { spec: DemoCluster; ctx: OrgContext; token: string; manifests: Manifest[] };

/** 06:00 UTC of each of the DEMO_DAYS days, oldest first. */
export function collectionTimes(now: Date): Date[] {
  const latest = now.getTime() - COLLECTED_AT_HOUR_UTC * 3_600_000 - EVALUATION_DELAY_MS;
  const lastDay = Math.floor(latest / DAY_MS) * DAY_MS;
  return Array.from({ length: DEMO_DAYS }, (_, i) => new Date(lastDay - (DEMO_DAYS - 1 - i) * DAY_MS + COLLECTED_AT_HOUR_UTC * 3_600_000));
}

async function organizationContexts(): Promise<Record<DemoCluster['org'], OrgContext>> {
  const contexts: Partial<Record<DemoCluster['org'], OrgContext>> = {};
  for (const slug of ['acme', 'globex'] as const) {
    const org = await findOrganizationBySlug(slug);
    if (!org) throw new Error(`organization "${slug}" not found: run prisma/seed.ts first`);
    contexts[slug] = systemContext(org.id, 'demo', org.slug);
  }
  return contexts as Record<DemoCluster['org'], OrgContext>;
}

// What a live cluster has that nobody keeps in Git: the kube-system namespace (whose uid the agent reports)
// and the default ClusterRoles. Both are platform defaults, which the engine leaves out of findings.
function platformObjects(spec: DemoCluster): Manifest[] {
  const kubeSystem: Manifest = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-system', uid: spec.uid } };
  return [kubeSystem, ...(bootstrapClusterRoles() as Manifest[])];
}

function snapshotOf(cluster: PreparedCluster, day: number, collectedAt: Date): Snapshot {
  const { spec } = cluster;
  const objects = [...platformObjects(spec), ...objectsOn(spec, day, cluster.manifests)].filter((o) => spec.includeSecrets || o.kind !== 'Secret');
  const { snapshot, skipped } = buildSnapshot({
    objects,
    cluster: { uid: spec.uid, name: spec.name, provider: spec.provider, serverVersion: spec.serverVersion },
    collectedAt,
    agentVersion: AGENT_VERSION,
    mode: 'in-cluster',
    collection: spec.includeSecrets ? undefined : { secrets: { status: 'disabled', count: 0, message: 'Secrets are not collected unless the agent runs with --include-secrets' } },
  });
  const [first] = skipped;
  if (first) throw new Error(`demo/manifests/${spec.manifests}: ${first.kind} ${first.name} was skipped (${first.reason})`);
  return snapshot;
}

/** What the agent's push does (gzip, bearer token, idempotency key), through the services behind the route. */
async function pushSnapshot(token: string, snapshot: Snapshot): Promise<string> {
  const ctx = await resolveAgentToken(`Bearer ${token}`);
  const body = gzipSync(Buffer.from(JSON.stringify(snapshot)));
  const result = await ingestSnapshot(ctx, {
    body: new ReadableStream({ start(controller) { controller.enqueue(new Uint8Array(body)); controller.close(); } }),
    contentEncoding: 'gzip',
    contentType: 'application/json',
    idempotencyKey: snapshotIdempotencyKey(snapshot),
  });
  return result.snapshotId;
}

async function prepareCluster(spec: DemoCluster, ctx: OrgContext): Promise<PreparedCluster> {
  const source = path.join(MANIFESTS_DIR, spec.manifests);
  const manifests = (await readManifestPaths([source])).map((object) => toManifest(object, source));
  // A daily reporting interval matches the history: the cluster turns stale three days after the last one.
  const environments: Record<string, 'PRODUCTION' | 'STAGING' | 'DEVELOPMENT'> = { prod: 'PRODUCTION', staging: 'STAGING', dev: 'DEVELOPMENT', main: 'PRODUCTION' };
  const environment = environments[spec.name];
  const { token } = await createClusterWithToken(ctx, spec.name, { reportingIntervalSeconds: 86_400, ...(environment ? { environment } : {}) });
  return { spec, ctx, token, manifests };
}

/** Loads the demo history (see the file comment). Needs the catalog and the demo organizations seeded. */
export async function loadDemoHistory(options: LoadDemoHistoryOptions = {}): Promise<DemoHistorySummary> {
  const log = options.log ?? (() => {});
  const orgs = await organizationContexts();
  const acme = dbFor(orgs.acme);
  if (await acme.snapshot.count({ where: { cluster: { name: 'prod' } } }) > 0) return { status: 'already-loaded', ...(await summarize(orgs)) };

  const clusters: PreparedCluster[] = [];
  for (const spec of DEMO_CLUSTERS) clusters.push(await prepareCluster(spec, orgs[spec.org]));
  const times = collectionTimes(options.now ?? new Date());
  log(`${clusters.length} clusters, ${times.length} days from ${times[0]?.toISOString().slice(0, 10)}`);

  // Day by day across every cluster, so each organization-wide score point covers all clusters of that day.
  for (const [index, collectedAt] of times.entries()) {
    const day = index + 1;
    for (const cluster of clusters) {
      const snapshotId = await pushSnapshot(cluster.token, snapshotOf(cluster, day, collectedAt));
      // The node collector was installed a week before the history ends (older reports would be left out of the
      // last evaluations): its reports arrive while this snapshot is queued, so its evaluation reads them.
      if (index === Math.max(0, times.length - NODE_REPORT_MAX_AGE_DAYS)) await pushDemoNodeReports(`${cluster.spec.org}/${cluster.spec.name}`, cluster.token, collectedAt);
      const evaluatedAt = new Date(collectedAt.getTime() + EVALUATION_DELAY_MS);
      const outcome = await evaluateStoredSnapshot(cluster.ctx, snapshotId, () => evaluatedAt);
      if (outcome.outcome !== 'done') {
        throw new Error(`day ${day}, ${cluster.spec.org}/${cluster.spec.name}: evaluation ${outcome.reason}; is a worker running? Load the history before starting it.`);
      }
    }
  }
  return { status: 'loaded', ...(await summarize(orgs)) };
}

async function summarize(orgs: Record<DemoCluster['org'], OrgContext>): Promise<Omit<DemoHistorySummary, 'status'>> {
  const totals = { clusters: 0, snapshots: 0, findings: { open: 0, resolved: 0, reopened: 0 } };
  for (const ctx of Object.values(orgs)) {
    const db = dbFor(ctx);
    totals.clusters += await db.cluster.count();
    totals.snapshots += await db.snapshot.count();
    totals.findings.open += await db.finding.count({ where: { status: { in: ['OPEN', 'ACKNOWLEDGED', 'RISK_ACCEPTED'] } } });
    totals.findings.resolved += await db.finding.count({ where: { status: 'RESOLVED' } });
    totals.findings.reopened += await db.finding.count({ where: { reopenedCount: { gt: 0 } } });
  }
  const acme = dbFor(orgs.acme);
  const daily = await acme.scoreDaily.findMany({ where: { scopeKey: 'org' }, orderBy: { day: 'asc' }, select: { frameworkId: true, score: true } });
  const acmeScores = [...new Set(daily.map((d) => d.frameworkId))].sort().map((frameworkId) => {
    const series = daily.filter((d) => d.frameworkId === frameworkId);
    return { frameworkId, first: series[0]?.score ?? 0, latest: series.at(-1)?.score ?? 0 };
  });
  const acmeClusterScores: DemoHistorySummary['acmeClusterScores'] = [];
  for (const cluster of await acme.cluster.findMany({ orderBy: { createdAt: 'asc' }, select: { id: true, name: true } })) {
    const latest = await acme.scorePoint.findMany({ where: { clusterId: cluster.id }, orderBy: { at: 'desc' }, distinct: ['frameworkId'], select: { frameworkId: true, score: true } });
    for (const point of latest.sort((a, b) => a.frameworkId.localeCompare(b.frameworkId))) acmeClusterScores.push({ cluster: cluster.name, frameworkId: point.frameworkId, score: point.score });
  }
  return { ...totals, acmeScores, acmeClusterScores };
}

function printSummary(summary: DemoHistorySummary, seconds: string): void {
  const { findings } = summary;
  console.log(`[demo-history] ${summary.status === 'loaded' ? `loaded in ${seconds}s` : 'demo history already loaded'}: ${summary.clusters} clusters, ${summary.snapshots} snapshots; findings ${findings.open} open, ${findings.resolved} resolved, ${findings.reopened} reopened at least once`);
  for (const s of summary.acmeScores) console.log(`[demo-history]   Acme ${s.frameworkId}: ${s.first} -> ${s.latest}`);
  const byCluster = new Map<string, string[]>();
  for (const s of summary.acmeClusterScores) byCluster.set(s.cluster, [...(byCluster.get(s.cluster) ?? []), `${s.frameworkId} ${s.score}`]);
  for (const [cluster, scores] of byCluster) console.log(`[demo-history]   Acme ${cluster}: ${scores.join(', ')}`);
}

const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]) === path.resolve(import.meta.filename);
if (isMain) {
  // The lead's demo.sh passes --wait-for; the history is loaded before the app starts, so there is nothing to wait for.
  parseArgs({ args: process.argv.slice(2), options: { 'wait-for': { type: 'string' } }, strict: true });
  // One info line per ingested and evaluated snapshot would bury the summary.
  logger.level = 'warn';
  const started = performance.now();
  loadDemoHistory({ log: (line) => console.log(`[demo-history] ${line}`) })
    .then((summary) => printSummary(summary, ((performance.now() - started) / 1000).toFixed(1)))
    .catch((error: unknown) => {
      console.error(`[demo-history] ERROR: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      process.exitCode = 1;
    })
    .finally(async () => {
      await closeProducers();
      await disconnectDb();
    });
}
