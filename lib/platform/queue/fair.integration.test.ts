import { randomUUID } from 'node:crypto';
import type { Queue } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { createRedis } from './connection';
import { countPendingFairJobs, dispatchFairJobs, listPendingFairJobIds, offerFairJob, type FairEntry } from './fair';
import { JOBS, QUEUES } from './jobs';
import { closeProducers, queueFor, recoverFairQueue } from './producers';

const redis = createRedis('worker');
afterAll(async () => { redis.disconnect(); await closeProducers(); });

const reportJob = (organizationId: string): FairEntry => {
  const reportId = randomUUID();
  return { name: JOBS.generateReport, data: { organizationId, reportId }, opts: { jobId: reportId, attempts: 3 } };
};

describe('the fair queue', () => {
  it('keeps a job offered twice (a retried request, a sweeper pass) once', async () => {
    const org = randomUUID();
    const job = reportJob(org);
    expect(await offerFairJob(redis, QUEUES.reports, job)).toBe(true);
    expect(await offerFairJob(redis, QUEUES.reports, job)).toBe(false);
    expect(await listPendingFairJobIds(redis, QUEUES.reports, org)).toEqual([job.opts.jobId]);
  });

  it('hands out one job per organization in turn, each organization\'s in the order offered', async () => {
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    const queue = queueFor(QUEUES.evaluation);
    await queue.obliterate({ force: true });
    const offered = { [a]: [] as string[], [b]: [] as string[], [c]: [] as string[] };
    for (const [org, count] of [[a, 4], [b, 2], [c, 1]] as const) {
      for (let i = 0; i < count; i++) {
        const snapshotId = randomUUID();
        offered[org]?.push(snapshotId);
        await offerFairJob(redis, QUEUES.evaluation, { name: JOBS.evaluateSnapshot, data: { organizationId: org, snapshotId }, opts: { jobId: snapshotId } });
      }
    }
    expect(await dispatchFairJobs(redis, queue, QUEUES.evaluation, 100)).toBe(7);
    const handedOut = (await queue.getJobs(['waiting'], 0, -1, true)).map((job) => String(job.id));
    const [a1, a2, a3, a4] = offered[a] ?? [];
    const [b1, b2] = offered[b] ?? [];
    expect(handedOut).toEqual([a1, b1, offered[c]?.[0], a2, b2, a3, a4]);
  });

  it('hands BullMQ a job that a process took from the pending list but died before adding', async () => {
    await dispatchFairJobs(redis, queueFor(QUEUES.reports), QUEUES.reports, 100); // earlier tests' jobs out of the way
    const job = reportJob(randomUUID());
    await offerFairJob(redis, QUEUES.reports, job);
    // A process that dies between taking the job and BullMQ's add (the add fails in its place).
    const dying = { getJobCounts: () => Promise.resolve({ waiting: 0, prioritized: 0 }), add: () => Promise.reject(new Error('process died')) } as unknown as Queue;
    await expect(dispatchFairJobs(redis, dying, QUEUES.reports, 5)).rejects.toThrow('process died');
    expect(await countPendingFairJobs(redis, QUEUES.reports)).toBe(0);
    expect(await queueFor(QUEUES.reports).getJob(job.opts.jobId)).toBeUndefined();

    expect(await recoverFairQueue(QUEUES.reports)).toBe(1); // what a starting worker (and its tick) does
    expect((await queueFor(QUEUES.reports).getJob(job.opts.jobId))?.data).toEqual(job.data);
    expect(await recoverFairQueue(QUEUES.reports)).toBe(0);
  });
});
