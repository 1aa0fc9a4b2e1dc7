/**
 * Report phase: a PDF report for an organization with about 20,000 findings, timed with its memory.
 * Two child processes, so the measured one's peak RSS is the report's alone: `setup` pushes and evaluates a
 * synthetic cluster through the real pipeline (findings, timeline events, evaluation, scores), `measure`
 * requests and generates the report (generateReport, what the worker runs) several times.
 */
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import v8 from 'node:v8';
import { gzipSync } from 'node:zlib';
import { ROOT } from './paths';
import { benchSnapshot } from './synthetic';
import { progress, summarize, timed, type Summary } from './stats';

/** About 3.1 findings per pod in the synthetic cluster: 6,450 pods give ~20,000 findings (BENCH_REPORT_PODS to vary it). */
const REPORT_PODS = Number(process.env.BENCH_REPORT_PODS ?? 6_450);

export type ReportArgs = { step: 'setup' } | { step: 'measure'; organizationId: string; organizationSlug: string; runs: number };
export type ReportSetup = { organizationId: string; organizationSlug: string; findings: number };
export type ReportResult = {
  skipped: string | null;
  findings: number;
  ms: Summary | null;
  bytes: number;
  rssPeakBytes: number;
  heapPeakBytes: number;
};

export function reportsAvailable(): boolean {
  return existsSync(path.join(ROOT, 'lib/services/reports/generate-report.ts')) && existsSync(path.join(ROOT, 'lib/services/reports/request-report.ts'));
}

async function setup(): Promise<ReportSetup> {
  const { createOrganization } = await import('@/lib/services/orgs/create-organization');
  const { createCluster } = await import('@/lib/services/clusters/create-cluster');
  const { systemContext } = await import('@/lib/platform/auth/context');
  const { resolveAgentToken } = await import('@/lib/platform/auth/agent-token-context');
  const { ingestSnapshot } = await import('@/lib/services/ingest/ingest-snapshot');
  const { evaluateStoredSnapshot } = await import('@/lib/services/pipeline/evaluate-stored-snapshot');
  const slug = `bench-report-${randomBytes(3).toString('hex')}`;
  const org = await createOrganization({ name: 'Bench report', slug, ownerEmail: `${slug}@bench.example` });
  const ctx = systemContext(org.id, 'bench', org.slug);
  const { token } = await createCluster(ctx, { name: 'bench' });
  const { snapshot } = benchSnapshot(REPORT_PODS);
  const body = gzipSync(JSON.stringify(snapshot));
  const agent = await resolveAgentToken(`Bearer ${token}`);
  const stream = new ReadableStream<Uint8Array>({ start(controller) { controller.enqueue(new Uint8Array(body)); controller.close(); } });
  const { snapshotId } = await ingestSnapshot(agent, { body: stream, contentEncoding: 'gzip', contentType: 'application/json', idempotencyKey: null });
  const outcome = await evaluateStoredSnapshot(ctx, snapshotId);
  if (outcome.outcome !== 'done') throw new Error(`report setup: evaluation ${outcome.reason}`);
  progress(`report setup: ${outcome.total} findings in ${slug}`);
  return { organizationId: org.id, organizationSlug: org.slug, findings: outcome.total };
}

async function measure(organizationId: string, organizationSlug: string, runs: number): Promise<ReportResult> {
  const { requestReport } = await import('@/lib/services/reports/request-report');
  const { generateReport } = await import('@/lib/services/reports/generate-report');
  const { systemContext } = await import('@/lib/platform/auth/context');
  const { dbFor } = await import('@/lib/platform/db/tenant');
  const ctx = systemContext(organizationId, 'bench', organizationSlug);
  const findings = await dbFor(ctx).finding.count();
  const samples: number[] = [];
  let bytes = 0;
  let heapPeakBytes = 0;
  const today = new Date().toISOString().slice(0, 10);
  for (let run = 0; run < runs; run++) {
    const report = await requestReport(ctx, { frameworkId: 'cis-k8s-1.9', format: 'PDF', periodStart: '2020-01-01', periodEnd: today });
    const profiler = new v8.GCProfiler();
    profiler.start();
    const [ms, outcome] = await timed(() => generateReport(ctx, report.id));
    const { statistics } = profiler.stop();
    heapPeakBytes = Math.max(heapPeakBytes, process.memoryUsage().heapUsed,
      ...statistics.map((gc) => (gc.beforeGC.heapStatistics as unknown as Record<string, number>).usedHeapSize ?? 0));
    if (outcome.outcome !== 'done') throw new Error(`report ${outcome.reason}`);
    bytes = outcome.sizeBytes;
    samples.push(ms);
    progress(`report run ${run + 1}/${runs}: ${(ms / 1000).toFixed(1)} s, ${(bytes / 1024 / 1024).toFixed(1)} MiB`);
  }
  return { skipped: null, findings, ms: summarize(samples), bytes, rssPeakBytes: process.resourceUsage().maxRSS * 1024, heapPeakBytes };
}

export async function runReport(args: ReportArgs): Promise<ReportSetup | ReportResult> {
  return args.step === 'setup' ? setup() : measure(args.organizationId, args.organizationSlug, args.runs);
}
