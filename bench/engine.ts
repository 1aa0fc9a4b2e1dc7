/**
 * Engine phase: evaluate() on a synthetic cluster of one size, in its own child process (started by
 * bench/run.ts with --expose-gc) so the memory peaks of different sizes never mix.
 * Reports evaluate() wall and CPU time, its ratio to JSON.parse of the same serialized snapshot, and memory:
 * the heap peak while evaluate() runs (from V8's GC profiler) and the process' peak RSS.
 */
import v8 from 'node:v8';
import { evaluate } from '@/lib/analysis/engine';
import type { Snapshot } from '@/lib/analysis/snapshot/schema';
import type { NodeReport } from '@/lib/analysis/snapshot/node-report';
import { benchNodeReports } from './node-reports';
import { benchSnapshot, sizeName } from './synthetic';
import { progress, summarize, type Summary } from './stats';

const NOW = new Date('2025-01-01T00:00:00Z');

/** Node reports per size (issue 21): 500 nodes at L (50,000 pods), proportionally fewer below, at least 3. */
export function nodesFor(pods: number): number {
  return Math.max(3, Math.round(pods / 100));
}

export type EngineArgs = { pods: number; runs: number };
export type EngineResult = {
  size: string;
  pods: number;
  objects: number;
  /** Node reports evaluated with the snapshot (CIS sections 1-4); parsed together with it for the ratio. */
  nodes: number;
  findings: number;
  jsonBytes: number;
  deviations: string[];
  evaluateMs: Summary;
  evaluateCpuMs: Summary;
  parseMs: Summary;
  /** evaluate median / JSON.parse median. */
  ratioToParse: number;
  memory: {
    /** Heap used with the snapshot loaded, before evaluate(). */
    heapBeforeBytes: number;
    /** Highest heap use seen during one evaluate(): before each GC, and at its end. */
    heapPeakBytes: number;
    /** Peak RSS of the process up to the end of that evaluate(): generator, snapshot and evaluate. */
    rssPeakEvaluateBytes: number;
    /** Peak RSS of the whole child, including the serialized JSON and JSON.parse copies. */
    rssPeakProcessBytes: number;
  };
};

/** Wall time and CPU time (this process, every thread: GC helpers included) of one call, in ms. */
function measure<T>(fn: () => T): { wall: number; cpu: number; value: T } {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const value = fn();
  const wall = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { wall, cpu: (used.user + used.system) / 1000, value };
}

function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function maxRssBytes(): number {
  return process.resourceUsage().maxRSS * 1024;
}

/** The heap peak of one call: V8 reports heap use before every GC; the peak is the largest of those and the end. */
function heapPeakOf(fn: () => void): number {
  const profiler = new v8.GCProfiler();
  profiler.start();
  fn();
  const end = process.memoryUsage().heapUsed;
  const { statistics } = profiler.stop();
  const before = statistics.map((gc) => (gc.beforeGC.heapStatistics as unknown as Record<string, number>).usedHeapSize ?? 0);
  return Math.max(end, ...before);
}

type EngineInput = { snapshot: Snapshot; nodeReports: NodeReport[] };

/**
 * The worker evaluates a snapshot read from JSON (the intake's body, then Postgres' jsonb), never the generator's
 * object graph, whose strings are concatenations and whose objects are built field by field: the bench evaluates
 * what JSON.parse returns, as the worker does. The generator's graph is dropped on return.
 */
function engineInput(pods: number): { input: EngineInput; counts: Record<string, number>; deviations: string[] } {
  const { snapshot, counts, deviations } = benchSnapshot(pods);
  const input = JSON.parse(JSON.stringify({ snapshot, nodeReports: benchNodeReports(nodesFor(pods)) })) as EngineInput;
  return { input, counts, deviations };
}

export async function runEngine({ pods, runs }: EngineArgs): Promise<EngineResult> {
  const { input, counts, deviations } = engineInput(pods);
  const { snapshot, nodeReports } = input;
  const objects = Object.values(counts).reduce((sum, n) => sum + n, 0);
  collectGarbage();
  const heapBeforeBytes = process.memoryUsage().heapUsed;
  // Memory first, on a cold engine, as the worker's first evaluation of the day would be.
  let findings = 0;
  const heapPeakBytes = heapPeakOf(() => { findings = evaluate(snapshot, { now: NOW, nodeReports }).findings.length; });
  const rssPeakEvaluateBytes = maxRssBytes();

  // JSON.parse of the same input is the yardstick.
  const json = JSON.stringify(input);
  const parse: number[] = [];
  const evals: number[] = [];
  const cpu: number[] = [];
  evaluate(snapshot, { now: NOW, nodeReports }); // warm-up: JIT and lazy module state
  for (let i = 0; i < runs; i++) {
    collectGarbage();
    parse.push(measure(() => JSON.parse(json) as EngineInput).wall);
    collectGarbage();
    const run = measure(() => evaluate(snapshot, { now: NOW, nodeReports }));
    evals.push(run.wall);
    cpu.push(run.cpu);
    progress(`engine ${sizeName(pods)} run ${i + 1}/${runs}: evaluate ${run.wall.toFixed(0)} ms, parse ${parse.at(-1)?.toFixed(0)} ms`);
  }
  const evaluateMs = summarize(evals);
  const parseMs = summarize(parse);
  return {
    size: sizeName(pods),
    pods,
    objects,
    nodes: nodeReports.length,
    findings,
    jsonBytes: Buffer.byteLength(json),
    deviations,
    evaluateMs,
    evaluateCpuMs: summarize(cpu),
    parseMs,
    ratioToParse: evaluateMs.median / parseMs.median,
    memory: { heapBeforeBytes, heapPeakBytes, rssPeakEvaluateBytes, rssPeakProcessBytes: maxRssBytes() },
  };
}
