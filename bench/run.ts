/**
 * `npm run bench`: engine, pipeline, read path, report and credential detector benchmarks (not part of `npm test`).
 *
 *   npm run bench -- [--sizes S,M,L] [--runs N] [--only engine,pipeline,read,report,detect] [--iterations N]
 *                    [--profile] [--fresh] [--keep]
 *
 * --only      phases to run: engine, pipeline, read, report, detect (credential detectors on 1 MiB adversarial input)
 * --sizes     cluster sizes for engine and pipeline: S, M, L or pod counts (default S,M,L)
 * --runs      runs per size (default: engine 9, 5 at L; pipeline 5 at S, 3 at M, 2 at L; report 3)
 * --iterations  read-path iterations per query (default 60)
 * --profile   CPU-profile the last pipeline run of each size
 * --fresh     drop the bench database first (otherwise a kept one, with its seeded read set, is reused)
 * --keep      keep the bench database at the end (default: dropped, with the bench's Redis keys)
 * --skip-http   leave out the read path's HTTP measurements (next start)
 *
 * Writes bench/results.json and bench/results.md, and prints the tables. Child processes do the measuring.
 */
import os from 'node:os';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runChild } from './child';
import { OUT_DIR, ROOT } from './paths';
import { SIZES } from './synthetic';
import { benchEnv, cleanUpBench, prepareBenchDatabase } from './bench-db';
import { progress } from './stats';
import { renderPlans, renderResults, type BenchResults, type Machine } from './tables';
import type { EngineResult } from './engine';
import type { PipelineResult } from './pipeline';
import type { ReadPathResult } from './read-path';
import { reportsAvailable, type ReportResult, type ReportSetup } from './report';
import type { DetectResult } from './detect';

const PHASES = ['engine', 'pipeline', 'read', 'report', 'detect'] as const;
type Phase = (typeof PHASES)[number];

function parseSizes(value: string): number[] {
  return value.split(',').map((part) => {
    const name = part.trim().toUpperCase();
    const pods = name in SIZES ? SIZES[name as keyof typeof SIZES] : Number(name);
    if (!Number.isInteger(pods) || pods <= 0) throw new Error(`--sizes: "${part}" is not S, M, L or a pod count`);
    return pods;
  });
}

function parsePhases(value: string): Phase[] {
  return value.split(',').map((part) => {
    const phase = part.trim() as Phase;
    if (!PHASES.includes(phase)) throw new Error(`--only: "${part}" is not one of ${PHASES.join(', ')}`);
    return phase;
  });
}

function machine(): Machine {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = /model name\s*:\s*(.+)/.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown';
  let freeH = '';
  try { freeH = execFileSync('free', ['-h'], { encoding: 'utf8' }).trim(); } catch { freeH = `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB total`; }
  let postgres = 'unknown';
  try { postgres = execFileSync('psql', ['--version'], { encoding: 'utf8' }).trim(); } catch { /* psql is optional */ }
  return { nproc: os.availableParallelism(), cpuModel: model, memory: freeH, node: process.version, postgres, loadAverage: { start: os.loadavg(), end: [] } };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: 'S,M,L' },
      runs: { type: 'string' },
      only: { type: 'string', default: PHASES.join(',') },
      iterations: { type: 'string', default: '60' },
      profile: { type: 'boolean', default: false },
      fresh: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      'skip-http': { type: 'boolean', default: false },
    },
  });
  const sizes = parseSizes(values.sizes);
  const phases = parsePhases(values.only);
  const runsFlag = values.runs === undefined ? undefined : Number(values.runs);
  if (runsFlag !== undefined && (!Number.isInteger(runsFlag) || runsFlag < 1)) throw new Error('--runs must be a positive integer');
  const iterations = Number(values.iterations);
  const results: BenchResults = {
    startedAt: new Date().toISOString(), finishedAt: '', machine: machine(),
    options: { sizes, phases, runs: runsFlag ?? null, iterations, profile: values.profile },
    engine: [], pipeline: [], read: null, report: null, detect: null, failures: [],
  };
  /** A child that crashes or runs out of time is recorded, and the other phases still run. */
  const attempt = async <T>(phase: string, label: string, fn: () => Promise<T>): Promise<T | null> => {
    try {
      return await fn();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      progress(`${phase} ${label} failed: ${message}`);
      results.failures.push({ phase, label, error: message });
      return null;
    }
  };
  progress(`load average at start: ${results.machine.loadAverage.start.map((l) => l.toFixed(2)).join(' ')} on ${results.machine.nproc} cores`);

  if (phases.includes('engine')) {
    for (const pods of sizes) {
      const runs = runsFlag ?? (pods >= SIZES.L ? 5 : 9);
      const result = await attempt('engine', String(pods), () => runChild<EngineResult>('engine', { pods, runs }, { label: String(pods), nodeFlags: ['--expose-gc'] }));
      if (result) results.engine.push(result);
    }
  }

  if (phases.includes('detect')) {
    results.detect = await attempt('detect', 'detect', () => runChild<DetectResult>('detect', { random: 20, seed: 20261206 }, { label: 'detect' }));
  }

  const usesDatabase = phases.some((phase) => phase !== 'engine' && phase !== 'detect');
  if (usesDatabase) await prepareBenchDatabase(values.fresh);
  try {
    if (phases.includes('pipeline')) {
      for (const pods of sizes) {
        const runs = runsFlag ?? (pods >= SIZES.L ? 2 : pods >= SIZES.M ? 3 : 5);
        const result = await attempt('pipeline', String(pods), () => runChild<PipelineResult>('pipeline', { pods, runs, profile: values.profile }, {
          label: String(pods), env: benchEnv(), nodeFlags: ['--max-old-space-size=4096'], timeoutMs: 60 * 60_000,
        }));
        if (result) results.pipeline.push(result);
      }
    }
    if (phases.includes('read')) {
      // Retried once: other sessions on this machine restart Postgres in their fault tests.
      const read = () => runChild<ReadPathResult>('read', { iterations, http: !values['skip-http'] }, { label: 'read', env: benchEnv() });
      results.read = await attempt('read', 'read', () => read().catch(() => { progress('read path failed; retrying once'); return read(); }));
    }
    if (phases.includes('report')) {
      if (!reportsAvailable()) {
        results.report = { skipped: 'reports not available yet', findings: 0, ms: null, bytes: 0, rssPeakBytes: 0, heapPeakBytes: 0 };
      } else {
        const setup = await attempt('report', 'setup', () => runChild<ReportSetup>('report', { step: 'setup' }, { label: 'report-setup', env: benchEnv() }));
        if (setup) {
          results.report = await attempt('report', 'measure', () => runChild<ReportResult>('report', { step: 'measure', ...setup, runs: runsFlag ?? 3 }, { label: 'report', env: benchEnv() }));
        }
      }
    }
  } finally {
    if (usesDatabase && !values.keep) await cleanUpBench();
    else if (usesDatabase) progress('kept the bench database (--keep)');
  }

  results.finishedAt = new Date().toISOString();
  results.machine.loadAverage.end = os.loadavg();
  const markdown = renderResults(results);
  await writeFile(path.join(ROOT, 'bench/results.json'), JSON.stringify(results, null, 2));
  await writeFile(path.join(ROOT, 'bench/results.md'), markdown);
  if (results.read) await writeFile(path.join(OUT_DIR, 'explain-keylines.md'), renderPlans(results.read));
  process.stdout.write(`${markdown}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`[bench] ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
