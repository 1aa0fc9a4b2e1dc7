/** The run's figures as JSON (bench/load-results.json) and as the Markdown tables printed at the end. */
import type { LoadOptions } from './options';
import type { DrainResult, EvaluationStats } from './evaluations';
import type { RouteErrors, Summary } from './recorder';
import type { describeMachine } from './proc';
import { renderHostile, type HostileTally } from './noisy';

export const TARGETS = { ingestP95Ms: 300, lagMs: 60_000 } as const;

export type RouteResult = { route: string; latencyMs: Summary; errors: RouteErrors };
export type CpuShare = { component: string; cpuSeconds: number; coresUsed: number; peakRssMiB: number | null };
export type TargetResult = { target: string; actual: string; met: boolean };

export type LoadResults = {
  date: string;
  machine: ReturnType<typeof describeMachine>;
  loadAverage: { atStart: number[]; duringMean1m: number; atEnd: number[] };
  options: LoadOptions;
  load: { seconds: number; pushesAccepted: number; duplicates: number; ingestPerSecond: number; ingestPerMinute: number; rawSnapshotBytes: number; gzipSnapshotBytes: number };
  routes: RouteResult[];
  drain: DrainResult;
  evaluations: EvaluationStats;
  cpu: { windowSeconds: number; components: CpuShare[]; machineBusyCores: number; otherBusyCores: number; workerCpuSecondsPerEvaluation: number | null;
    /** pg_stat_activity of the load database sampled every 2 s: how often a backend was seen in each state. */
    postgresBackendSamples: Record<string, number> };
  targets: TargetResult[];
  /** Postgres or Redis restarted by someone else during the run: the figures then include an outage. */
  serviceRestarts: string[];
  logs: string;
  /** --noisy: what the hostile tenant sent and what it got back. */
  hostile?: HostileTally;
};

function ms(value: number): string {
  if (value >= 10_000) return `${(value / 1000).toFixed(1)} s`;
  if (value >= 1_000) return `${(value / 1000).toFixed(2)} s`;
  return `${value.toFixed(0)} ms`;
}

export function evaluateTargets(results: Omit<LoadResults, 'targets'>, ingestRoute: string): TargetResult[] {
  const errors = results.routes.reduce((sum, route) => sum + route.errors.count, 0);
  const ingest = results.routes.find((route) => route.route === ingestRoute)?.latencyMs;
  const statuses = results.drain.statuses;
  const evaluated = (statuses.DONE ?? 0) + (statuses.SUPERSEDED ?? 0);
  const notEvaluated = results.load.pushesAccepted - evaluated;
  return [
    { target: 'zero errors (non-2xx or no answer)', actual: `${errors}`, met: errors === 0 },
    { target: `ingest 202 p95 < ${TARGETS.ingestP95Ms} ms`, actual: ingest?.n ? ms(ingest.p95) : 'no 202 answers', met: Boolean(ingest?.n) && (ingest?.p95 ?? Infinity) < TARGETS.ingestP95Ms },
    {
      target: 'every pushed snapshot evaluated (DONE or SUPERSEDED)',
      actual: `${evaluated} of ${results.load.pushesAccepted}${notEvaluated ? ` (${Object.entries(statuses).filter(([status]) => status !== 'DONE' && status !== 'SUPERSEDED').map(([status, n]) => `${n} ${status}`).join(', ') || `${notEvaluated} missing`})` : ''}`,
      met: results.load.pushesAccepted > 0 && notEvaluated === 0 && results.drain.missing === 0,
    },
    {
      target: `evaluation backlog drained within ${TARGETS.lagMs / 1000} s after the load stops`,
      actual: results.drain.drained ? ms(results.drain.lagMs) : `not drained after ${ms(results.drain.lagMs)}`,
      met: results.drain.drained && results.drain.lagMs <= TARGETS.lagMs,
    },
  ];
}

function summaryRow(label: string, s: Summary, extra = ''): string {
  return `| ${label} | ${s.n} | ${s.n ? ms(s.p50) : '-'} | ${s.n ? ms(s.p95) : '-'} | ${s.n ? ms(s.max) : '-'} | ${extra} |`;
}

export function renderMarkdown(results: LoadResults): string {
  const { machine, load, evaluations: ev, cpu } = results;
  const lines = [
    `## Load, ${results.date}`,
    '',
    `Machine: ${machine.cpus} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB, Node ${machine.node}. Load average ${results.loadAverage.atStart.map((v) => v.toFixed(2)).join(' ')} at start, ${results.loadAverage.duringMean1m.toFixed(2)} mean (1 min) during the load, ${results.loadAverage.atEnd.map((v) => v.toFixed(2)).join(' ')} at the end.`,
    `Shape: ${results.options.agents} agents × ${results.options.pods}-pod snapshot every ${results.options.pushIntervalSeconds} s (${(load.rawSnapshotBytes / 1024 / 1024).toFixed(1)} MiB JSON, ${(load.gzipSnapshotBytes / 1024).toFixed(0)} KiB gzip), ${results.options.users} users with ${results.options.thinkMs} ms think time, ${results.options.workers} worker processes × concurrency ${results.options.workerConcurrency}, for ${load.seconds.toFixed(0)} s; ${results.options.baseline ? 'every cluster evaluated once before the load (--baseline: steady state)' : 'clusters new at the start (their first evaluations fall inside the load)'}.`,
    '',
    ...results.serviceRestarts.map((line) => `**Warning: ${line}; the figures below include that outage.**\n`),
    '| route | ok | p50 | p95 | max | errors |',
    '|---|---:|---:|---:|---:|---|',
    ...results.routes.map((route) => summaryRow(route.route, route.latencyMs, route.errors.count ? `**${route.errors.count}** ${Object.entries(route.errors.byStatus).map(([status, n]) => `${n}×${status}`).join(' ')}` : '0')),
    '',
    `Ingest: ${load.pushesAccepted} snapshots accepted in ${load.seconds.toFixed(0)} s = ${load.ingestPerSecond.toFixed(2)}/s (${load.ingestPerMinute.toFixed(0)}/min).`,
    '',
    '| evaluation | n | p50 | p95 | max | |',
    '|---|---:|---:|---:|---:|---|',
    summaryRow('first evaluation of a cluster (EvaluationRun.durationMs)', ev.firstEvaluationMs, `${ev.findingsPerCluster.p50.toFixed(0)} findings per cluster`),
    summaryRow('repeat evaluation (same objects, new collectedAt)', ev.repeatEvaluationMs),
    summaryRow('received → evaluated (queue wait + evaluation)', ev.receivedToEvaluatedMs),
    '',
    `Evaluations: ${ev.done} DONE, ${ev.superseded} SUPERSEDED of ${ev.snapshots} snapshots; ${ev.evaluationsPerMinute.toFixed(1)} DONE/min over ${ev.windowSeconds.toFixed(0)} s, against ${load.ingestPerMinute.toFixed(0)}/min arriving.`,
    `Drain after the load stopped: ${results.drain.drained ? ms(results.drain.lagMs) : `not drained after ${ms(results.drain.lagMs)}`}; statuses ${Object.entries(results.drain.statuses).map(([status, n]) => `${status} ${n}`).join(', ')}.`,
    '',
    `| CPU, load start → drained (${cpu.windowSeconds.toFixed(0)} s) | CPU s | cores | peak RSS |`,
    '|---|---:|---:|---:|',
    ...cpu.components.map((c) => `| ${c.component} | ${c.cpuSeconds.toFixed(0)} | ${c.coresUsed.toFixed(2)} | ${c.peakRssMiB === null ? '-' : `${c.peakRssMiB.toFixed(0)} MiB`} |`),
    `| whole machine (busy) | | ${cpu.machineBusyCores.toFixed(2)} | |`,
    `| other processes on the machine | | ${cpu.otherBusyCores.toFixed(2)} | |`,
    '',
    cpu.workerCpuSecondsPerEvaluation === null ? '' : `Worker CPU per DONE evaluation: ${cpu.workerCpuSecondsPerEvaluation.toFixed(2)} s.`,
    `Postgres backends seen (every 2 s): ${Object.entries(cpu.postgresBackendSamples).sort(([, a], [, b]) => b - a).map(([activity, n]) => `${activity} ${n}`).join('; ')}.`,
    '',
    '| target | actual | |',
    '|---|---|---|',
    ...results.targets.map((t) => `| ${t.target} | ${t.actual} | ${t.met ? 'met' : '**missed**'} |`),
  ];
  if (results.hostile) lines.push('', 'The hostile tenant (--noisy):', '', renderHostile(results.hostile));
  const errorDetails = results.routes.filter((route) => route.errors.count > 0);
  if (errorDetails.length) {
    lines.push('', 'First error bodies:');
    for (const route of errorDetails) for (const body of route.errors.firstBodies) lines.push(`- ${route.route}: \`${body.replace(/`/g, "'")}\``);
  }
  return lines.join('\n');
}
