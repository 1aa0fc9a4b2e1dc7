/**
 * Each measurement runs in a child process: memory peaks of different sizes never mix, and the phases that
 * touch the database get DATABASE_URL / REDIS_PREFIX in their environment before any lib module reads it.
 * run.ts calls runChild(); the child runs this file, which writes its result as JSON to BENCH_RESULT_FILE.
 */
import { spawn } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { OUT_DIR, ROOT } from './paths';


const PHASES = {
  engine: async (args: unknown) => (await import('./engine')).runEngine(args as never),
  pipeline: async (args: unknown) => (await import('./pipeline')).runPipeline(args as never),
  read: async (args: unknown) => (await import('./read-path')).runReadPath(args as never),
  report: async (args: unknown) => (await import('./report')).runReport(args as never),
  detect: async (args: unknown) => (await import('./detect')).runDetect(args as never),
} as const;
export type ChildPhase = keyof typeof PHASES;

export type ChildOptions = { env?: Record<string, string>; nodeFlags?: string[]; label: string; timeoutMs?: number };

/** Runs one phase in a fresh Node process and returns what it wrote. Rejects when the child fails. */
export async function runChild<T>(phase: ChildPhase, args: unknown, options: ChildOptions): Promise<T> {
  await mkdir(OUT_DIR, { recursive: true });
  const resultFile = path.join(OUT_DIR, `${phase}-${options.label}.result.json`);
  await rm(resultFile, { force: true });
  const child = spawn(process.execPath, [...(options.nodeFlags ?? []), '--import', 'tsx', path.join(ROOT, 'bench/child.ts'), phase, JSON.stringify(args)], {
    cwd: ROOT,
    env: { ...process.env, ...options.env, BENCH_RESULT_FILE: resultFile },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  let timedOut = false;
  const timer = options.timeoutMs ? setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, options.timeoutMs) : undefined;
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (exitCode, signal) => resolve(signal ? 128 : exitCode));
  }).finally(() => clearTimeout(timer));
  if (timedOut) throw new Error(`bench child ${phase} (${options.label}) did not finish within ${((options.timeoutMs ?? 0) / 60_000).toFixed(0)} min`);
  if (code !== 0) throw new Error(`bench child ${phase} (${options.label}) exited with ${code}`);
  return JSON.parse(await readFile(resultFile, 'utf8')) as T;
}

async function main(): Promise<void> {
  const [phase, argsJson] = process.argv.slice(2);
  const run = PHASES[phase as ChildPhase];
  const resultFile = process.env.BENCH_RESULT_FILE;
  if (!run || !resultFile) throw new Error(`usage: BENCH_RESULT_FILE=... bench/child.ts <${Object.keys(PHASES).join('|')}> '<json args>'`);
  const result = await run(JSON.parse(argsJson ?? '{}'));
  await writeFile(resultFile, JSON.stringify(result, null, 2));
}

const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]) === path.resolve(import.meta.filename);
if (isMain) {
  main().then(
    () => process.exit(0), // open pools and Redis connections would otherwise keep the child alive
    (error: unknown) => {
      process.stderr.write(`[bench] child failed: ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    },
  );
}
