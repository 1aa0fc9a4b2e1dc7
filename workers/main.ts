import path from 'node:path';
import { Worker } from 'bullmq';
import { QUEUES, JOBS, type QueueName } from '@/lib/platform/queue/jobs';
import { createRedis, queuePrefix } from '@/lib/platform/queue/connection';
import { FAIR_QUEUES, dispatchFairQueue, recoverFairQueue, scheduleMaintenance } from '@/lib/platform/queue/producers';
import { env, exitOnInvalidEnv } from '@/lib/platform/env';
import { logger } from '@/lib/platform/log';
import { disconnectDb } from '@/lib/platform/db/client';
import { sweepSnapshotOutbox } from '@/lib/services/events/sweep-snapshot-outbox';
import { warnIfMailDisabled } from '@/lib/services/mail/transport';
import { jobHandler } from './job-handler';

const log = logger.child({ component: 'worker' });

export type StartWorkersOptions = {
  /**
   * Off: no repeatable maintenance jobs are scheduled and the worker runs no maintenance timers of its own
   * (outbox sweep, re-scheduling). For tests that drive the sweeper themselves: a background sweep would race
   * their assertions. The fair queues' refill tick runs either way.
   */
  scheduled?: boolean;
};

/** Starts one BullMQ worker per queue and closes them on SIGTERM/SIGINT (the job in hand finishes or returns). */
export async function startWorkers(options: StartWorkersOptions = {}): Promise<{ close(): Promise<void> }> {
  const scheduled = options.scheduled ?? true;
  const workers = (Object.values(QUEUES) as QueueName[]).map((queue) => {
    const worker = new Worker(
      queue,
      jobHandler(queue),
      {
        connection: createRedis('worker'),
        prefix: queuePrefix(),
        concurrency: queue === QUEUES.evaluation ? env().WORKER_CONCURRENCY : 2,
        lockDuration: env().WORKER_LOCK_DURATION_MS,
        stalledInterval: env().WORKER_STALLED_INTERVAL_MS,
        // A job whose worker died is retried up to its attempts; past that it fails (and the org sees why).
        maxStalledCount: 3,
      },
    );
    worker.on('failed', (job, error) => log.error({ queue, job: job?.name, jobId: job?.id, attempts: job?.attemptsMade, err: error.message }, 'job failed'));
    worker.on('error', (error) => log.error({ queue, err: error.message }, 'worker error'));
    return worker;
  });
  // Redis may lose its repeatable-job schedules (a restart without persistence), and the outbox exists for
  // exactly the times Redis was away: so the schedules are re-asserted, and the outbox swept, from here too.
  const reschedule = () => scheduleMaintenance().catch((error: unknown) => log.warn({ err: String(error) }, 'could not schedule maintenance jobs; retrying'));
  // Fair queues (lib/platform/queue/fair.ts) are refilled when a job is offered or starts; this tick is the safety net
  // for a refill that failed, and hands BullMQ any job a dead process had taken but not added. It is part of
  // the queues' working, not maintenance, so it runs in every mode.
  let refilling = false; // while Redis is down a refill waits for it: ticks must not pile up behind it
  const refill = () => {
    if (refilling) return;
    refilling = true;
    void Promise.all([...FAIR_QUEUES].map((queue) => recoverFairQueue(queue).then(() => dispatchFairQueue(queue))))
      .catch((error: unknown) => log.warn({ err: String(error) }, 'could not refill the fair queues'))
      .finally(() => { refilling = false; });
  };
  refill();
  const timers: NodeJS.Timeout[] = [setInterval(refill, 1_000)];
  if (scheduled) {
    await reschedule();
    timers.push(
      setInterval(() => void reschedule(), 60_000),
      setInterval(() => void sweepSnapshotOutbox().catch((error: unknown) => log.warn({ err: String(error) }, 'outbox sweep failed')), 10_000),
    );
  }
  log.info({ queues: Object.values(QUEUES), jobs: Object.values(JOBS), scheduled }, 'workers started');
  return {
    async close() {
      for (const timer of timers) clearInterval(timer);
      await Promise.all(workers.map((worker) => worker.close()));
    },
  };
}

const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]) === import.meta.filename;
if (isMain || process.env.BULWARK_WORKER_MAIN === '1') {
  exitOnInvalidEnv('worker');
  warnIfMailDisabled();
  const running = await startWorkers();
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'shutting down workers');
    await running.close();
    await disconnectDb();
    log.info('workers stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}
