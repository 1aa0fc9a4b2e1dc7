/**
 * Engine benchmark: evaluate() on synthetic clusters of 1k, 10k and 50k pods.
 * Prints median/min/max evaluation time, its ratio to JSON.parse of the same snapshot, and peak RSS.
 * Run: npx tsx bench/engine.ts [--sizes 1000,10000,50000]
 */
import os from 'node:os';
import { evaluate } from '@/lib/engine/evaluate';
import { syntheticSnapshot } from '@/lib/engine/synthetic';
import type { Snapshot } from '@/lib/snapshot/schema';

const sizesArg = process.argv.indexOf('--sizes');
const SIZES = sizesArg > 0 ? (process.argv[sizesArg + 1] ?? '').split(',').map(Number) : [1_000, 10_000, 50_000];
const NOW = new Date('2025-01-01T00:00:00Z');

/** Wall time and CPU time (this process, all threads: GC helpers included) of one call, in ms. */
function time<T>(fn: () => T): [number, number, T] {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  const value = fn();
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  const used = process.cpuUsage(cpu);
  return [wall, (used.user + used.system) / 1000, value];
}

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)] ?? 0, min: sorted[0] ?? 0, max: sorted[sorted.length - 1] ?? 0 };
}

const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

console.log(`JSON.parse is of the same snapshot serialized; cpu counts every thread of the process (GC helpers too). Load average: ${os.loadavg()[0]?.toFixed(1)}`);
console.log('size      objects   findings  evaluate median (min-max)        JSON.parse median  ratio  cpu median');
for (const pods of SIZES) {
  const snapshot = syntheticSnapshot({ pods, seed: 42 });
  const json = JSON.stringify(snapshot);
  const objects = Object.values(snapshot.objects).reduce((sum, list) => sum + list.length, 0);
  const runs = pods <= 1_000 ? 21 : pods <= 10_000 ? 9 : 3;
  evaluate(snapshot, { now: NOW }); // warm-up: JIT and lazy module state
  const parse: number[] = [];
  const evals: number[] = [];
  const cpu: number[] = [];
  let findings = 0;
  for (let i = 0; i < runs; i++) {
    parse.push(time(() => JSON.parse(json) as Snapshot)[0]);
    const [ms, cpuMs, result] = time(() => evaluate(snapshot, { now: NOW }));
    evals.push(ms);
    cpu.push(cpuMs);
    findings = result.findings.length;
  }
  const e = stats(evals);
  const p = stats(parse);
  console.log(
    `${String(pods).padEnd(9)} ${String(objects).padEnd(9)} ${String(findings).padEnd(9)} ${`${fmt(e.median)} (${fmt(e.min)}-${fmt(e.max)})`.padEnd(32)} ${fmt(p.median).padEnd(18)} ${(e.median / p.median).toFixed(2).padEnd(6)} ${fmt(stats(cpu).median)}`,
  );
}
console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
