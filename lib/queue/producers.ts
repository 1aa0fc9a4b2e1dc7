import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { createRedis, ensureReady, queuePrefix } from './connection';
import { JOBS, QUEUES, type QueueName, type EvaluateSnapshotJob, type GenerateReportJob, type DeliverWebhookJob } from './jobs';

type Producer = { redis: Redis; queues: Map<QueueName, Queue> };
const globalForQueues = globalThis as unknown as { bulwarkProducer?: Producer };

function producer(): Producer {
  globalForQueues.bulwarkProducer ??= { redis: createRedis('producer'), queues: new Map() };
  return globalForQueues.bulwarkProducer;
}

function queue(name: QueueName): Queue {
  const p = producer();
  let q = p.queues.get(name);
  if (!q) {
    q = new Queue(name, { connection: p.redis, prefix: queuePrefix() });
    q.on('error', () => {}); // surfaced to callers through rejected add() calls
    p.queues.set(name, q);
  }
  return q;
}

/**
 * Enqueues a snapshot's evaluation. The snapshot id is the job id, so a retried upload or a sweeper pass never
 * evaluates the same snapshot twice. Throws quickly when Redis is down; the caller leaves the outbox row for
 * the sweeper.
 */
export async function enqueueEvaluation(job: EvaluateSnapshotJob): Promise<void> {
  await ensureReady(producer().redis);
  await queue(QUEUES.evaluation).add(JOBS.evaluateSnapshot, job, {
    jobId: job.snapshotId,
    attempts: 5,
    backoff: { type: 'exponential', delay: 2_000 },
    removeOnComplete: { age: 24 * 3600, count: 10_000 },
    removeOnFail: { age: 7 * 24 * 3600 },
  });
}

export async function enqueueReport(job: GenerateReportJob): Promise<void> {
  await ensureReady(producer().redis);
  await queue(QUEUES.reports).add(JOBS.generateReport, job, { jobId: job.reportId, attempts: 3, backoff: { type: 'exponential', delay: 2_000 } });
}

export async function enqueueWebhookDelivery(job: DeliverWebhookJob): Promise<void> {
  await ensureReady(producer().redis);
  await queue(QUEUES.webhooks).add(JOBS.deliverWebhook, job, {
    jobId: job.deliveryId, attempts: 6, backoff: { type: 'exponential', delay: 5_000 }, removeOnComplete: { count: 10_000 },
  });
}

/** Repeatable housekeeping: the outbox sweeper, acceptance expiry, stale agents, snapshot retention, finding tallies. */
export async function scheduleMaintenance(): Promise<void> {
  const q = queue(QUEUES.maintenance);
  await ensureReady(producer().redis, 5_000);
  await q.upsertJobScheduler(JOBS.sweepOutbox, { every: 15_000 }, { name: JOBS.sweepOutbox, data: {} });
  await q.upsertJobScheduler(JOBS.expireRiskAcceptances, { every: 60_000 }, { name: JOBS.expireRiskAcceptances, data: {} });
  await q.upsertJobScheduler(JOBS.markStaleClusters, { every: 60_000 }, { name: JOBS.markStaleClusters, data: {} });
  await q.upsertJobScheduler(JOBS.compactFindingTallies, { every: 60_000 }, { name: JOBS.compactFindingTallies, data: {} });
  await q.upsertJobScheduler(JOBS.pruneSnapshots, { every: 3_600_000 }, { name: JOBS.pruneSnapshots, data: {} });
  await q.upsertJobScheduler(JOBS.dispatchEvents, { every: 5_000 }, { name: JOBS.dispatchEvents, data: {} });
}

export async function closeProducers(): Promise<void> {
  const p = globalForQueues.bulwarkProducer;
  if (!p) return;
  await Promise.all([...p.queues.values()].map((q) => q.close()));
  p.redis.disconnect();
  globalForQueues.bulwarkProducer = undefined;
}

export function queueFor(name: QueueName): Queue {
  return queue(name);
}
  // Daily: each organization's audit chain head, HMAC-signed, as an audit entry and a line in the worker's log.
  await q.upsertJobScheduler(JOBS.anchorAuditChains, { every: 86_400_000 }, { name: JOBS.anchorAuditChains, data: {} });
