import { setTimeout as delay } from 'node:timers/promises';
import type { Snapshot } from '@/lib/analysis/snapshot/schema';
import { deliverSnapshot, drainSpool } from './deliver';
import type { Logger } from './log';
import type { PushConfig } from './push';
import type { Spool } from './spool';

export type RunOptions = {
  intervalMs: number;
  makeSnapshot: () => Promise<{ snapshot: Snapshot }>;
  spool: Spool;
  push: PushConfig;
  log: Logger;
  /** Aborted on SIGTERM/SIGINT: the loop finishes its step and returns. */
  signal: AbortSignal;
  /** Stop after this many rounds (tests). */
  maxRounds?: number;
};

/**
 * Collects and pushes on a schedule. A failed collection or an unreachable server never ends the loop:
 * the next round tries again, and snapshots wait in the spool meanwhile. Each round ends with a heartbeat.
 */
export async function runAgent(options: RunOptions): Promise<void> {
  const { log, signal } = options;
  const push = { ...options.push, signal };
  log.info('agent started', { intervalMs: options.intervalMs, spoolDir: options.spool.directory });
  for (let round = 1; !signal.aborted && (options.maxRounds === undefined || round <= options.maxRounds); round += 1) {
    const started = Date.now();
    let result;
    try {
      const { snapshot } = await options.makeSnapshot();
      if (signal.aborted) break;
      result = await deliverSnapshot(snapshot, options.spool, push);
    } catch (error) {
      log.error('round failed', { round, message: (error as Error).message });
      // Whatever was spooled before still deserves a delivery attempt.
      result = await drainSpool(options.spool, push).catch(() => undefined);
    }
    const nextRunInMs = Math.max(0, options.intervalMs - (Date.now() - started));
    log.info('heartbeat', {
      round,
      delivered: result?.delivered.length ?? 0,
      spooled: result?.remaining,
      stoppedBy: result?.stoppedBy,
      nextRunInMs,
    });
    if (options.maxRounds !== undefined && round >= options.maxRounds) break;
    await delay(nextRunInMs, undefined, { signal }).catch(() => undefined);
  }
  log.info('agent stopped');
}
