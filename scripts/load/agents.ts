/**
 * Simulated agents: each pushes its cluster's snapshot at a steady pace, the way bulwark-agent does (gzip,
 * bearer token, Idempotency-Key = sha256 of the JSON). The objects stay the same from push to push; only
 * `collectedAt` moves, so every push is a new snapshot of the same cluster (`cluster.uid` never changes, or
 * the intake would refuse it as another cluster's).
 */
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { syntheticSnapshot } from '../../lib/testing/synthetic';
import type { LoadCluster } from './fixture';
import type { Recorder } from './recorder';

const gzipAsync = promisify(gzip);
export const INGEST_ROUTE = 'POST /api/v1/snapshots';
const PLACEHOLDER = '__LOAD_COLLECTED_AT__';

/** The snapshot JSON around its collectedAt, built once per cluster so the generator spends no CPU on it later. */
export type SnapshotTemplate = { before: string; after: string; rawBytes: number };

export function buildTemplate(seed: number, pods: number): SnapshotTemplate {
  const json = JSON.stringify({ ...syntheticSnapshot({ pods, seed }), collectedAt: PLACEHOLDER });
  const [before = '', after = ''] = json.split(`"${PLACEHOLDER}"`);
  return { before, after, rawBytes: json.length };
}

export type AgentRun = { cluster: LoadCluster; template: SnapshotTemplate };
export type PushLog = { accepted: string[]; duplicates: number };

type PushOptions = Pick<AgentLoopOptions, 'baseUrl' | 'signal' | 'recorder' | 'log'>;
type AgentLoopOptions = { baseUrl: string; intervalMs: number; offsetMs: number; deadline: number; signal: AbortSignal; recorder: Recorder; log: PushLog };

async function pushOnce(run: AgentRun, options: PushOptions): Promise<void> {
  const json = `${run.template.before}"${new Date().toISOString()}"${run.template.after}`;
  const idempotencyKey = createHash('sha256').update(json).digest('hex');
  const body = await gzipAsync(json);
  const started = performance.now();
  try {
    const response = await fetch(`${options.baseUrl}/api/v1/snapshots`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${run.cluster.token}`,
        'content-type': 'application/json',
        'content-encoding': 'gzip',
        'idempotency-key': idempotencyKey,
      },
      body,
      signal: AbortSignal.any([options.signal, AbortSignal.timeout(120_000)]),
    });
    const text = await response.text();
    const ms = performance.now() - started;
    if (response.status === 202) {
      options.recorder.ok(INGEST_ROUTE, ms);
      options.log.accepted.push((JSON.parse(text) as { snapshotId: string }).snapshotId);
    } else if (response.status === 200) {
      // A repeat of a key we never reuse: count it, it means two pushes collided.
      options.log.duplicates += 1;
      options.recorder.fail(INGEST_ROUTE, 200, `duplicate: ${text}`);
    } else {
      options.recorder.fail(INGEST_ROUTE, response.status, text);
    }
  } catch (error) {
    if (options.signal.aborted) return;
    options.recorder.fail(INGEST_ROUTE, 0, error instanceof Error ? `${error.name}: ${error.message}` : String(error));
  }
}

/** One agent: first push at `offsetMs` (staggered), then every `intervalMs` until the deadline. */
export async function runAgent(run: AgentRun, options: AgentLoopOptions): Promise<void> {
  let next = Date.now() + options.offsetMs;
  while (!options.signal.aborted) {
    // Never sleep past the deadline: a push due after it will not happen, and the load must stop on time.
    const wait = Math.min(next, options.deadline) - Date.now();
    if (wait > 0) await sleep(wait, undefined, { signal: options.signal }).catch(() => {});
    if (options.signal.aborted || Date.now() >= options.deadline) return;
    await pushOnce(run, options);
    // A push slower than the interval delays the next one instead of piling requests up, as the agent does.
    next = Math.max(next + options.intervalMs, Date.now());
  }
}

/**
 * One snapshot per cluster, a few at a time, before the measured load (--baseline): a cluster's first
 * evaluation writes all of its findings and costs several times a later one, so without this the run measures
 * 50 clusters onboarding at once rather than steady state. Returns the snapshot ids.
 */
export async function pushBaselines(runs: readonly AgentRun[], options: Omit<PushOptions, 'log'>): Promise<string[]> {
  const log: PushLog = { accepted: [], duplicates: 0 };
  const queue = [...runs];
  await Promise.all(Array.from({ length: 5 }, async () => {
    for (let run = queue.shift(); run && !options.signal.aborted; run = queue.shift()) await pushOnce(run, { ...options, log });
  }));
  if (log.accepted.length !== runs.length) throw new Error(`baseline: ${log.accepted.length} of ${runs.length} snapshots accepted`);
  return log.accepted;
}
