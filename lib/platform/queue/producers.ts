import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { env } from '../env';
import { createRedis, ensureReady, queuePrefix } from './connection';
import { dispatchFairJobs, offerFairJob, recoverParkedJobs, type FairEntry } from './fair';
import { JOBS, QUEUES, type QueueName, type EvaluateSnapshotJob, type GenerateReportJob, type DeliverWebhookJob, type DeliverMailJob, type OrgDigestsJob, type PollJiraOrgJob } from './jobs';

type Dispatch = { running: Promise<void> | null; again: boolean };
type Producer = { redis: Redis; queues: Map<QueueName, Queue>; dispatches: Map<QueueName, Dispatch> };
const globalForQueues = globalThis as unknown as { bulwarkProducer?: Producer };

function producer(): Producer {
  globalForQueues.bulwarkProducer ??= { redis: createRedis('producer'), queues: new Map(), dispatches: new Map() };
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

/** Queues whose jobs take turns by organization (lib/platform/queue/fair.ts); their payloads name the organization. */
export const FAIR_QUEUES: ReadonlySet<QueueName> = new Set([QUEUES.evaluation, QUEUES.reports, QUEUES.mail, QUEUES.digests, QUEUES.jira]);

/** Jobs kept waiting in a fair queue's BullMQ list: enough to keep a worker process busy, few enough to stay fair. */
function fairWindow(): number {
  return env().WORKER_CONCURRENCY;
}

/**
 * Refills a fair queue from the organizations' pending lists. Calls in one process are coalesced (one runs, a
 * call meanwhile makes it go round once more), so they never race each other for the same room.
 */
export function dispatchFairQueue(name: QueueName): Promise<void> {
  const p = producer();
  let state = p.dispatches.get(name);
  if (!state) {
    state = { running: null, again: false };
    p.dispatches.set(name, state);
  }
  const s = state;
  if (s.running) {
    s.again = true;
    return s.running;
  }
  s.running = (async () => {
    try {
      do {
        s.again = false;
        await ensureReady(p.redis);
        await dispatchFairJobs(p.redis, queue(name), name, fairWindow());
      } while (s.again);
    } finally {
      s.running = null;
    }
  })();
  return s.running;
}

/** A starting worker hands BullMQ the jobs a process took from a pending list but died before adding. */
export async function recoverFairQueue(name: QueueName): Promise<number> {
  await ensureReady(producer().redis, 5_000);
  return recoverParkedJobs(producer().redis, queue(name), name);
}

async function enqueueFair(name: QueueName, entry: FairEntry): Promise<void> {
  await ensureReady(producer().redis);
  await offerFairJob(producer().redis, name, entry);
  // The job is safe in Redis now. The refill is not awaited: under a stream of offers it may go round several
  // times, and an upload's answer must not wait for that; if it fails, the worker's next refill moves the job.
  void dispatchFairQueue(name).catch(() => {});
}

/**
 * Enqueues a snapshot's evaluation. The snapshot id is the job id, so a retried upload or a sweeper pass never
 * evaluates the same snapshot twice. Throws quickly when Redis is down; the caller leaves the outbox row for
 * the sweeper. Organizations take turns: one tenant's backlog does not starve the others.
 */
export async function enqueueEvaluation(job: EvaluateSnapshotJob): Promise<void> {
  await enqueueFair(QUEUES.evaluation, {
    name: JOBS.evaluateSnapshot,
    data: job,
    opts: {
      jobId: job.snapshotId,
      attempts: 5,
      backoff: { type: 'exponential', delay: 2_000 },
      removeOnComplete: { age: 24 * 3600, count: 10_000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    },
  });
}

/** Queues a report's generation; organizations take turns, as for evaluations. */
export async function enqueueReport(job: GenerateReportJob): Promise<void> {
  await enqueueFair(QUEUES.reports, { name: JOBS.generateReport, data: job, opts: { jobId: job.reportId, attempts: 3, backoff: { type: 'exponential', delay: 2_000 } } });
}

/**
 * Queues a delivery; the delivery id is the job id, so a delivery is never queued twice. "Retry now" passes
 * `retry` (a fresh number) for a new job beside the failed one BullMQ keeps.
 */
export async function enqueueWebhookDelivery(job: DeliverWebhookJob, options: { retry?: number } = {}): Promise<void> {
  await ensureReady(producer().redis);
  await queue(QUEUES.webhooks).add(JOBS.deliverWebhook, job, {
    jobId: options.retry === undefined ? job.deliveryId : `${job.deliveryId}-retry-${options.retry}`, attempts: 6, backoff: { type: 'exponential', delay: 5_000 }, removeOnComplete: { count: 10_000 },
  });
}

/** Mail retries: 6 attempts, 15 s doubling (15, 30, 60, 120, 240 s): about eight minutes before a message is given up. */
export const MAIL_JOB_OPTIONS = { attempts: 6, backoff: { type: 'exponential', delay: 15_000 } } as const;

/**
 * Queues one mail's delivery (lib/services/mail); the message id is the job id, so a message is never queued
 * twice. Organizations take turns: one tenant's burst of mail does not hold up the others'.
 */
export async function enqueueMail(job: DeliverMailJob): Promise<void> {
  await enqueueFair(QUEUES.mail, {
    name: JOBS.deliverMail,
    data: job,
    opts: { jobId: job.messageId, ...MAIL_JOB_OPTIONS, removeOnComplete: { age: 24 * 3600, count: 10_000 }, removeOnFail: { age: 7 * 24 * 3600 } },
  });
}

/**
 * Queues one organization's digest run (lib/services/digests/send-digests.ts). The job id names the organization
 * and the minute, so ticks do not pile up copies; the run itself is idempotent per member and period anyway.
 */
export async function enqueueOrgDigests(job: OrgDigestsJob, at: Date = new Date()): Promise<void> {
  await enqueueFair(QUEUES.digests, {
    name: JOBS.sendOrgDigests,
    data: job,
    opts: { jobId: `digests-${job.organizationId}-${Math.floor(at.getTime() / 60_000)}`, attempts: 3, backoff: { type: 'exponential', delay: 10_000 }, removeOnComplete: { age: 24 * 3600, count: 10_000 }, removeOnFail: { age: 7 * 24 * 3600 } },
  });
}

/**
 * Queues one organization's Jira status poll (lib/services/jira/sync.ts): organizations take turns, and a Jira that
 * hangs until the client's timeout holds up one worker slot, not everyone's poll. Job id: organization and minute.
 */
export async function enqueueJiraPoll(job: PollJiraOrgJob, at: Date = new Date()): Promise<void> {
  await enqueueFair(QUEUES.jira, {
    name: JOBS.pollJiraOrg,
    data: job,
    opts: { jobId: `jira-poll-${job.organizationId}-${Math.floor(at.getTime() / 60_000)}`, attempts: 1, removeOnComplete: { age: 24 * 3600, count: 10_000 }, removeOnFail: { age: 7 * 24 * 3600 } },
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
  // Daily: each organization's audit chain head, HMAC-signed, as an audit entry and a line in the worker's log.
  await q.upsertJobScheduler(JOBS.anchorAuditChains, { every: 86_400_000 }, { name: JOBS.anchorAuditChains, data: {} });
  // Hourly: owners of accepted evidence whose validity ends within 14 days are reminded (once).
  await q.upsertJobScheduler(JOBS.remindExpiringEvidence, { every: 3_600_000 }, { name: JOBS.remindExpiringEvidence, data: {} });
  // Every minute: scheduled reports whose time has come are requested (lib/services/reports/run-schedules.ts).
  await q.upsertJobScheduler(JOBS.runReportSchedules, { every: 60_000 }, { name: JOBS.runReportSchedules, data: {} });
  // Every 5 minutes: the status of linked Jira issues, one fair job per connected organization (lib/services/jira/sync.ts).
  await q.upsertJobScheduler(JOBS.pollJira, { every: 300_000 }, { name: JOBS.pollJira, data: {} });
  // Every minute: mail whose enqueue was lost (Redis away) is queued again (lib/services/mail/send-mail.ts).
  await q.upsertJobScheduler(JOBS.sweepQueuedMail, { every: 60_000 }, { name: JOBS.sweepQueuedMail, data: {} });
  // Hourly: requesters of risk acceptances that expire within 7 days are mailed (once per acceptance).
  await q.upsertJobScheduler(JOBS.remindExpiringRiskAcceptances, { every: 3_600_000 }, { name: JOBS.remindExpiringRiskAcceptances, data: {} });
  // Hourly: access review reminders, overdue revocations, quarterly campaigns' successors (lib/services/reviews/revocations.ts).
  await q.upsertJobScheduler(JOBS.accessReviews, { every: 3_600_000 }, { name: JOBS.accessReviews, data: {} });
  // Every 15 minutes: e-mail digests due at 08:00 in each member's time zone, one fair job per organization (lib/services/digests).
  await q.upsertJobScheduler(JOBS.sendDigests, { every: 900_000 }, { name: JOBS.sendDigests, data: {} });
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
