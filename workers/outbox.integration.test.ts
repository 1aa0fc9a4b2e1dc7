import { afterAll, describe, expect, it } from 'vitest';
import { disconnectDb } from '@/lib/platform/db/client';
import { dbFor } from '@/lib/platform/db/tenant';
import { resetEnvForTests } from '@/lib/platform/env';
import { QUEUES } from '@/lib/platform/queue/jobs';
import { closeProducers, queueFor } from '@/lib/platform/queue/producers';
import { sweepSnapshotOutbox } from '@/lib/services/events/sweep-snapshot-outbox';
import { createClusterWithToken, createOrg } from '@/lib/testing/factories';
import { namespace, pod, snapshotOf } from '@/lib/testing/k8s';
import { pushSnapshot } from '@/lib/testing/push';
import { startWorkers } from './main';

const LIVE_REDIS = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

afterAll(async () => { await closeProducers(); await disconnectDb(); });

describe('a push while Redis is unavailable', () => {
  it('is accepted with 202, kept in the outbox, and evaluated once Redis is back', async () => {
    const org = await createOrg();
    const { token } = await createClusterWithToken(org);
    const db = dbFor({ organizationId: org.id });

    // Redis "down": nothing listens on port 1. The database is fine.
    process.env.REDIS_URL = 'redis://127.0.0.1:1';
    resetEnvForTests();
    await closeProducers();
    const snapshot = snapshotOf([namespace('shop'), pod({ namespace: 'shop', name: 'api' }, { hostPID: true })], { collectedAt: '2026-06-01T00:00:00Z', clusterUid: 'uid-outbox' });
    const pushed = await pushSnapshot(token, snapshot);
    expect(pushed).toMatchObject({ status: 'queued', duplicate: false, enqueued: false });
    expect(await db.snapshot.findUniqueOrThrow({ where: { id: pushed.snapshotId } })).toMatchObject({ status: 'QUEUED', enqueuedAt: null });
    expect(await sweepSnapshotOutbox()).toBe(0); // still down: the row waits

    // Redis "returns".
    process.env.REDIS_URL = LIVE_REDIS;
    resetEnvForTests();
    await closeProducers();
    // Without the worker's own schedule: its sweeper would race this test's sweep for the same row (the test
    // then saw 0 enqueued, on a loaded machine). The row must be enqueued by exactly this call.
    const workers = await startWorkers({ scheduled: false });
    try {
      expect(await queueFor(QUEUES.maintenance).getJobSchedulersCount()).toBe(0);
      expect(await sweepSnapshotOutbox()).toBe(1);
      const deadline = Date.now() + 30_000;
      let status = '';
      while (Date.now() < deadline && status !== 'DONE') {
        status = (await db.snapshot.findUniqueOrThrow({ where: { id: pushed.snapshotId } })).status;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(status).toBe('DONE');
      expect(await db.finding.count({ where: { controlId: 'workload.host-pid' } })).toBe(1);
      expect(await sweepSnapshotOutbox()).toBe(0); // enqueued once, not again
    } finally {
      await workers.close();
    }
  });
});
