import { z } from 'zod';

/**
 * Command-line options of `npm run load`. Every knob has an upper bound: the run must stop by itself and stay
 * a load test of one machine, not a traffic generator.
 */
export const LoadOptionsSchema = z.object({
  durationSeconds: z.coerce.number().int().min(10).max(1_800).default(120),
  pushIntervalSeconds: z.coerce.number().min(1).max(600).default(30),
  agents: z.coerce.number().int().min(1).max(200).default(50),
  users: z.coerce.number().int().min(0).max(100).default(20),
  pods: z.coerce.number().int().min(10).max(10_000).default(1_000),
  /** Pause between two page views of one simulated user (±50% jitter). */
  thinkMs: z.coerce.number().int().min(0).max(60_000).default(1_000),
  workers: z.coerce.number().int().min(1).max(8).default(2),
  /** Evaluations each worker process runs at once (WORKER_CONCURRENCY). */
  workerConcurrency: z.coerce.number().int().min(1).max(16).default(2),
  port: z.coerce.number().int().min(1_024).max(65_535).default(3300),
  /** How long to wait, after the load stops, for the evaluation backlog to drain before giving up. */
  drainTimeoutSeconds: z.coerce.number().int().min(10).max(3_600).default(600),
  /** Evaluate one snapshot per cluster before the load, so the run measures steady state, not onboarding. */
  baseline: z.boolean().default(false),
  /** Add a hostile tenant (scripts/load/noisy.ts) and check the other tenants' service against the noisy-neighbour targets. */
  noisy: z.boolean().default(false),
  keep: z.boolean().default(false),
  skipBuild: z.boolean().default(false),
});
export type LoadOptions = z.infer<typeof LoadOptionsSchema>;

const FLAGS: Record<string, keyof LoadOptions> = {
  '--duration': 'durationSeconds',
  '--push-interval': 'pushIntervalSeconds',
  '--agents': 'agents',
  '--users': 'users',
  '--pods': 'pods',
  '--think-ms': 'thinkMs',
  '--workers': 'workers',
  '--worker-concurrency': 'workerConcurrency',
  '--port': 'port',
  '--drain-timeout': 'drainTimeoutSeconds',
};
const SWITCHES: Record<string, keyof LoadOptions> = { '--baseline': 'baseline', '--noisy': 'noisy', '--keep': 'keep', '--skip-build': 'skipBuild' };

export const USAGE = `usage: npm run load -- [--duration 120] [--push-interval 30] [--agents 50] [--users 20] [--pods 1000]
  [--think-ms 1000] [--workers 2] [--worker-concurrency 2] [--port 3300] [--drain-timeout 600] [--baseline] [--noisy] [--keep] [--skip-build]`;

/** `--name value` and `--name=value`; unknown flags are an error rather than silently ignored. */
export function parseLoadOptions(argv: readonly string[]): LoadOptions {
  const raw: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const [flag = '', inline] = arg.split('=', 2);
    const switchKey = SWITCHES[flag];
    if (switchKey) {
      raw[switchKey] = true;
      continue;
    }
    const key = FLAGS[flag];
    if (!key) throw new Error(`unknown option "${arg}"\n${USAGE}`);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
    raw[key] = value;
  }
  const parsed = LoadOptionsSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('\n')}\n${USAGE}`);
  }
  return parsed.data;
}
