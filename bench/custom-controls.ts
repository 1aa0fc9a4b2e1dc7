/**
 * `npx tsx bench/custom-controls.ts [pods] [runs]`: what 50 custom controls (issue 23) add to evaluate() on a
 * synthetic cluster (default L, 50,000 Pods). The 50 are the five examples of the library, ten times each under
 * different keys (so every one compiles and runs; none is cached across keys), with the organization's registry
 * list as params. Prints the medians and the added share; the target is < 50%. Results: bench/CUSTOM-CONTROLS.md.
 */
import { CUSTOM_CONTROL_EXAMPLES } from '@/lib/analysis/cel';
import { evaluate, type CustomControlInput } from '@/lib/analysis/engine';
import { benchSnapshot, SIZES } from './synthetic';

const pods = Number(process.argv[2] ?? SIZES.L);
const runs = Number(process.argv[3] ?? 5);
const NOW = new Date('2025-01-01T00:00:00Z');
const generated = benchSnapshot(pods);
const { counts } = generated;
// What the worker evaluates: the snapshot as JSON.parse returns it (bench/engine.ts says why).
const snapshot = JSON.parse(JSON.stringify(generated.snapshot)) as typeof generated.snapshot;
const customControls: CustomControlInput[] = Array.from({ length: 50 }, (_, i) => {
  const example = CUSTOM_CONTROL_EXAMPLES[i % CUSTOM_CONTROL_EXAMPLES.length]!;
  return { id: `custom.${example.key}-${i}`, version: 1, severity: example.severity, remediation: example.remediation, rule: example.rule };
});
const params = { allowedRegistries: ['registry.acme.io/', 'ghcr.io/acme/'] };

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
function time(fn: () => number): { ms: number; findings: number } {
  const start = performance.now();
  const findings = fn();
  return { ms: performance.now() - start, findings };
}

const base: number[] = [];
const withCustom: number[] = [];
let baseFindings = 0;
let customFindings = 0;
// Alternate the two so drift on a busy machine hits both alike; one warm-up each.
time(() => evaluate(snapshot, { now: NOW }).findings.length);
time(() => evaluate(snapshot, { now: NOW, customControls, params }).findings.length);
for (let run = 0; run < runs; run += 1) {
  const a = time(() => evaluate(snapshot, { now: NOW }).findings.length);
  const b = time(() => evaluate(snapshot, { now: NOW, customControls, params }).findings.length);
  base.push(a.ms);
  withCustom.push(b.ms);
  baseFindings = a.findings;
  customFindings = b.findings - a.findings;
}
const objects = Object.values(counts).reduce((sum, n) => sum + n, 0);
const added = (median(withCustom) - median(base)) / median(base);
console.log(JSON.stringify({
  pods, objects, runs, customControls: customControls.length,
  baseMedianMs: Math.round(median(base)), withCustomMedianMs: Math.round(median(withCustom)),
  addedPercent: Math.round(added * 1000) / 10, baseFindings, customFindings, target: '< 50%', pass: added < 0.5,
}, null, 2));
