import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { disconnectDb } from '@/lib/platform/db/client';
import { dbFor, systemDb } from '@/lib/platform/db/tenant';
import { advisoryXactLock } from '@/lib/platform/db/locks';
import { closeProducers } from '@/lib/platform/queue/producers';
import { createClusterWithToken, createOrg } from '@/lib/testing/factories';
import { container, namespace, pod, snapshotOf } from '@/lib/testing/k8s';
import { pushSnapshot } from '@/lib/testing/push';
import { waitFor } from '@/lib/testing/wait-for';

const ROOT = path.resolve(import.meta.dirname, '..');
const children: ChildProcess[] = [];

/** A real worker process, as `npm run worker` starts it, on this file's database and Redis prefix. */
function startWorkerProcess(): ChildProcess {
  // `node --import tsx` runs the worker in this very process: the tsx CLI would run it in a child that a
  // SIGKILL of the CLI leaves alive, and the "killed" worker would quietly finish its job.
  const child = spawn(process.execPath, ['--import', 'tsx', 'workers/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, BULWARK_WORKER_MAIN: '1', LOG_LEVEL: 'warn', WORKER_LOCK_DURATION_MS: '3000', WORKER_STALLED_INTERVAL_MS: '1000' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  return child;
}


/** Sessions of this file's database waiting for an advisory lock (other files' databases run beside it). */
async function advisoryLockWaiters(): Promise<number> {
  const [row] = await systemDb().$queryRawUnsafe<{ waiting: number }[]>(
    `SELECT count(*)::int AS waiting FROM pg_locks WHERE locktype = 'advisory' AND NOT granted
       AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
  );
  return row!.waiting;
}

afterEach(() => { for (const child of children.splice(0)) child.kill('SIGKILL'); });
afterAll(async () => { await closeProducers(); await disconnectDb(); });

function manyPods(count: number, collectedAt: string) {
  const objects = [namespace('bulk')];
  for (let i = 0; i < count; i++) {
    objects.push(pod({ namespace: 'bulk', name: `p-${i}` }, { hostNetwork: true, containers: [container({ name: 'c', securityContext: { privileged: true } })] }));
  }
  return snapshotOf(objects, { collectedAt, clusterUid: 'uid-worker-test' });
}

describe('the evaluation worker process', () => {
  it('evaluates a pushed snapshot from the queue and stops cleanly on SIGTERM', async () => {
    const org = await createOrg();
    const { token } = await createClusterWithToken(org);
    const worker = startWorkerProcess();
    const pushed = await pushSnapshot(token, manyPods(3, '2026-05-01T00:00:00Z'));
    const db = dbFor({ organizationId: org.id });
    // A worker process starting under tsx on a loaded 2-core machine took 35 s: more than the default budget.
    await waitFor(async () => (await db.snapshot.findUnique({ where: { id: pushed.snapshotId } }))?.status === 'DONE', 'the snapshot to be evaluated', 150_000);
    expect(await db.finding.count({ where: { controlId: 'workload.privileged-container' } })).toBe(3);
    worker.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => worker.once('exit', resolve));
    expect(code).toBe(0);
  }, 240_000);

  it('retries an evaluation whose worker was killed mid-way, ending with the right findings and no duplicates', async () => {
    const org = await createOrg();
    const { cluster, token } = await createClusterWithToken(org);
    const db = dbFor({ organizationId: org.id });
    // The test holds the cluster's evaluation lock, so the worker is certain to be inside its transaction, waiting,
    // when it is killed: killing it on a poll that saw EVALUATING raced an evaluation that can finish in a second.
    let taken!: () => void;
    let release!: () => void;
    const lockTaken = new Promise<void>((resolve) => { taken = resolve; });
    const released = new Promise<void>((resolve) => { release = resolve; });
    const holder = db.$transaction(async (tx) => {
      await advisoryXactLock(tx, 'clusterEvaluation', cluster.id);
      taken();
      await released;
    }, { timeout: 300_000 });
    try {
      await lockTaken;
      const first = startWorkerProcess();
      const pushed = await pushSnapshot(token, manyPods(800, '2026-05-02T00:00:00Z'));
      // A worker process starting under tsx on a loaded 2-core machine took 35 s.
      await waitFor(async () => (await advisoryLockWaiters()) > 0, 'the worker to wait for the cluster\'s evaluation lock', 150_000);
      expect((await db.snapshot.findUnique({ where: { id: pushed.snapshotId } }))?.status).toBe('EVALUATING');
      first.kill('SIGKILL');
      await new Promise((resolve) => first.once('exit', resolve));
    } finally {
      release();
      await holder;
    }
    expect(await db.evaluationRun.count()).toBe(0); // the transaction died with the process: nothing half-written

    startWorkerProcess();
    const done = await waitFor(async () => {
      const row = await db.snapshot.findFirst({ where: { clusterId: cluster.id } });
      return row?.status === 'DONE' ? row : null;
    }, 'the retried evaluation', 150_000);
    expect(done.attempts).toBeGreaterThanOrEqual(2);
    expect(await db.evaluationRun.count()).toBe(1);
    expect(await db.finding.count({ where: { controlId: 'workload.privileged-container' } })).toBe(800);
    const duplicates = await db.finding.groupBy({ by: ['fingerprint'], _count: { _all: true }, having: { fingerprint: { _count: { gt: 1 } } } });
    expect(duplicates).toEqual([]);
  }, 240_000);
});
