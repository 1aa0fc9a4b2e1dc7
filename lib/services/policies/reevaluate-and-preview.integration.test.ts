import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CUSTOM_CONTROL_EXAMPLES } from '../../analysis/cel';
import { systemContext, type OrgContext } from '../../platform/auth/context';
import { disconnectDb } from '../../platform/db/client';
import { dbFor } from '../../platform/db/tenant';
import { createRedis } from '../../platform/queue/connection';
import { listPendingFairJobIds } from '../../platform/queue/fair';
import { QUEUES } from '../../platform/queue/jobs';
import { closeProducers, dispatchFairQueue, queueFor } from '../../platform/queue/producers';
import { createClusterWithToken, createMember, createOrg } from '../../testing/factories';
import { ingress, namespace, snapshotOf } from '../../testing/k8s';
import { pushSnapshot } from '../../testing/push';
import { seedCatalog } from '../catalog/seed-catalog';
import { listFindings } from '../findings/list-findings';
import { getFinding } from '../findings/get-finding';
import { evaluateStoredSnapshot } from '../pipeline/evaluate-stored-snapshot';
import { createCustomControl, setCustomControlEnabled, updateCustomControl } from './custom-controls';
import { previewRule } from './preview';
import { PreviewPool, replacePreviewPoolForTests } from './preview-pool';

/*
 * Issue 23's follow-ups: a change to a custom control re-evaluates each cluster's latest stored snapshot through the
 * evaluation queue (no new snapshot pushed), findings name the control by its title; previews run in the preview
 * pool's threads, one per organization at a time, with 503 when the pool is full and a stopped cluster when a
 * preview exceeds its time limit. No worker runs here: the test takes the queued job and runs it itself, and a
 * gated worker script (__fixtures__/gated-preview-worker.mjs) holds a preview "in progress" for as long as needed.
 */

afterAll(async () => { await replacePreviewPoolForTests(undefined); await closeProducers(); await disconnectDb(); });

const example = CUSTOM_CONTROL_EXAMPLES.find((e) => e.key === 'ingress-security-review')!;
const content = { title: example.title, severity: example.severity, rationale: example.rationale, remediation: example.remediation, rule: example.rule };
const rules = (host: string) => [{ host, http: { paths: [] } }];
const objects = [
  namespace('web'),
  ...['shop', 'api'].map((name) => ingress({ name, namespace: 'web' }, { rules: rules(`${name}.example.com`) })),
  ingress({ name: 'admin', namespace: 'web' }, { rules: rules('admin.corp.internal') }),
];

let org: Awaited<ReturnType<typeof createOrg>>;
let admin: OrgContext;
let cluster: { id: string };
let baseSnapshotId: string;

beforeEach(async () => {
  await seedCatalog();
  org = await createOrg();
  admin = (await createMember(org, 'ADMIN')).ctx;
  const created = await createClusterWithToken(org, 'edge');
  cluster = created.cluster;
  const pushed = await pushSnapshot(created.token, snapshotOf(objects, { collectedAt: '2026-05-01T10:00:00Z', clusterUid: 'uid-reeval' }));
  baseSnapshotId = pushed.snapshotId;
  // The push queued its own evaluation: take it off the queue the way the worker would, and run it.
  expect(await queuedEvaluations(org.id)).toEqual([baseSnapshotId]);
  expect(await evaluateStoredSnapshot(systemContext(org.id, 'test'), baseSnapshotId)).toMatchObject({ outcome: 'done' });
  await queueFor(QUEUES.evaluation).obliterate({ force: true });
});

/** The evaluation jobs of an organization: in its fair pending list, or already moved into BullMQ's waiting list. */
async function queuedEvaluations(organizationId: string): Promise<string[]> {
  await dispatchFairQueue(QUEUES.evaluation);
  const redis = createRedis('worker');
  try {
    const pending = await listPendingFairJobIds(redis, QUEUES.evaluation, organizationId);
    const waiting = (await queueFor(QUEUES.evaluation).getJobs(['waiting', 'prioritized', 'delayed'])).filter((job) => job.data.organizationId === organizationId).map((job) => String(job.data.snapshotId));
    return [...pending, ...waiting];
  } finally {
    redis.disconnect();
  }
}

/** Runs every queued evaluation of the organization, as the worker would; answers the snapshot ids it ran. */
async function runQueuedEvaluations(organizationId: string): Promise<string[]> {
  const ids = await queuedEvaluations(organizationId);
  for (const id of ids) await evaluateStoredSnapshot(systemContext(organizationId, 'test'), id);
  await queueFor(QUEUES.evaluation).obliterate({ force: true });
  return ids;
}

const customFindings = () => dbFor({ organizationId: org.id }).finding.findMany({
  where: { controlId: 'custom.ingress-security-review' }, orderBy: { resourceName: 'asc' },
  select: { id: true, resourceName: true, status: true, resolutionReason: true, evidence: true },
});

describe('a custom control change re-evaluates the latest snapshots', () => {
  it('enabling queues one re-evaluation per cluster of the latest stored objects: the findings appear without a new snapshot; a new version and disabling follow the same way', async () => {
    const created = await createCustomControl(admin, { ...content, key: 'ingress-security-review' });
    expect(await queuedEvaluations(org.id)).toEqual([]); // a disabled control changes nothing

    const enabled = await setCustomControlEnabled(admin, { customControlId: created.id, enabled: true });
    expect(enabled).toMatchObject({ enabled: true, reevaluating: 1 });
    // The job is the ordinary evaluation job of a new snapshot row that copies the latest one's objects.
    const [reevaluation] = await queuedEvaluations(org.id);
    expect(reevaluation).toBeDefined();
    const row = await dbFor(admin).snapshot.findUniqueOrThrow({ where: { id: reevaluation! }, select: { baseSnapshotId: true, status: true, enqueuedAt: true } });
    expect(row).toMatchObject({ baseSnapshotId, status: 'QUEUED' });
    expect(row.enqueuedAt).not.toBeNull();
    expect(await customFindings()).toEqual([]);

    expect(await runQueuedEvaluations(org.id)).toEqual([reevaluation]);
    expect((await customFindings()).map((f) => [f.resourceName, f.status])).toEqual([['api', 'OPEN'], ['shop', 'OPEN']]);
    expect((await customFindings())[0]!.evidence).toMatchObject({ type: 'expression', controlVersion: 2 });

    // Enabling again changes nothing and queues nothing.
    expect(await setCustomControlEnabled(admin, { customControlId: created.id, enabled: true })).toMatchObject({ reevaluating: 0 });
    expect(await queuedEvaluations(org.id)).toEqual([]);

    // The findings list and the finding page name the control by its title, marked as the organization's, with the version.
    const listed = await listFindings(admin, { controlId: 'custom.ingress-security-review' });
    expect(listed.items.map((item) => [item.resourceName, item.controlTitle, item.custom]).sort()).toEqual([
      ['api', example.title, { version: 2 }], ['shop', example.title, { version: 2 }],
    ]);
    const searched = await listFindings(admin, { q: example.title.slice(0, 12) });
    expect(searched.total).toBe(2);
    const page = await getFinding(admin, listed.items[0]!.id);
    expect(page.control).toMatchObject({ title: example.title, remediation: example.remediation });
    expect(page.custom).toEqual({ customControlId: created.id, version: 2, currentVersion: 2, enabled: true });

    // A new version that exempts `shop` (its name) re-evaluates: shop's finding resolves, api's stays.
    const exempt = { ...example.rule, validations: [{ ...example.rule.validations[0]!, expression: `object.metadata.name == 'shop' || (${example.rule.validations[0]!.expression})` }] };
    const saved = await updateCustomControl(admin, { customControlId: created.id, ...content, rule: exempt });
    expect(saved).toMatchObject({ changed: true, version: 3, reevaluating: 1 });
    expect(await runQueuedEvaluations(org.id)).toHaveLength(1);
    expect((await customFindings()).map((f) => [f.resourceName, f.status, f.resolutionReason])).toEqual([['api', 'OPEN', null], ['shop', 'RESOLVED', 'FIXED']]);

    // Disabling resolves at once with "control disabled", and the re-evaluation leaves them resolved.
    const disabled = await setCustomControlEnabled(admin, { customControlId: created.id, enabled: false });
    expect(disabled).toMatchObject({ enabled: false, resolved: 1, reevaluating: 1 });
    expect((await customFindings()).find((f) => f.resourceName === 'api')).toMatchObject({ status: 'RESOLVED', resolutionReason: 'CONTROL_DISABLED' });
    expect(await runQueuedEvaluations(org.id)).toHaveLength(1);
    expect((await customFindings()).map((f) => [f.resourceName, f.status, f.resolutionReason])).toEqual([['api', 'RESOLVED', 'CONTROL_DISABLED'], ['shop', 'RESOLVED', 'FIXED']]);

    // A saved version of a disabled control has no effect on findings: nothing is queued.
    expect(await updateCustomControl(admin, { customControlId: created.id, ...content, title: 'Renamed' })).toMatchObject({ changed: true, reevaluating: 0 });
    expect(await queuedEvaluations(org.id)).toEqual([]);
  });

  it('while a cluster\'s latest snapshot is still queued, no second evaluation is queued (it reads the change when it starts)', async () => {
    const created = await createCustomControl(admin, { ...content, key: 'ingress-security-review' });
    await setCustomControlEnabled(admin, { customControlId: created.id, enabled: true });
    const [first] = await queuedEvaluations(org.id);
    await queueFor(QUEUES.evaluation).obliterate({ force: true });
    await setCustomControlEnabled(admin, { customControlId: created.id, enabled: false });
    await setCustomControlEnabled(admin, { customControlId: created.id, enabled: true });
    // Both changes found the same queued row: still one snapshot row beyond the base.
    expect(await dbFor(admin).snapshot.count({ where: { clusterId: cluster.id } })).toBe(2);
    await evaluateStoredSnapshot(systemContext(org.id, 'test'), first!);
    expect((await customFindings()).filter((f) => f.status === 'OPEN')).toHaveLength(2);
  });
});

const GATED_WORKER = path.join(process.cwd(), 'lib/services/policies/__fixtures__/gated-preview-worker.mjs');

/** Resolves once the gated organization's task has reached the gate inside its worker thread. */
async function gatedTaskRunning(gate: Int32Array): Promise<void> {
  while (Atomics.load(gate, 1) === 0) await sleep(10);
}

describe('preview runs in the preview pool', () => {
  afterEach(async () => { await replacePreviewPoolForTests(undefined); });

  it('answers the failing objects from a worker thread, stores nothing', async () => {
    const pool = new PreviewPool({ threads: 1 });
    await replacePreviewPoolForTests(pool);
    const [result] = await previewRule(admin, { rule: example.rule, clusterIds: [cluster.id] });
    expect(result).toMatchObject({ clusterName: 'edge', evaluated: 3, failingTotal: 2, stopped: false, errors: [] });
    expect(result!.failing.map((f) => f.name).sort()).toEqual(['api', 'shop']);
    expect(await customFindings()).toEqual([]);
    expect(pool.isRunning(org.id)).toBe(false);
  });

  it('one preview per organization at a time (429), 503 with Retry-After when every thread is busy and the queue is full', async () => {
    const gate = new Int32Array(new SharedArrayBuffer(8));
    const pool = new PreviewPool({ filename: GATED_WORKER, threads: 1, maxQueue: 1, taskTimeoutMs: 60_000, workerData: { gate, gatedOrganizationId: org.id } });
    await replacePreviewPoolForTests(pool);
    const held = previewRule(admin, { rule: example.rule, clusterIds: [cluster.id] });
    await gatedTaskRunning(gate);

    // The same organization again: refused at once, not queued behind its own preview.
    await expect(previewRule(admin, { rule: example.rule, clusterIds: [cluster.id] })).rejects.toMatchObject({ code: 'rate_limited', status: 429, headers: { 'Retry-After': '5' } });

    // Two other organizations: the first waits in the queue (its one place), the second finds the pool full.
    const others = await Promise.all([0, 1].map(async () => {
      const other = await createOrg();
      const otherAdmin = (await createMember(other, 'ADMIN')).ctx;
      const created = await createClusterWithToken(other, 'other');
      const pushed = await pushSnapshot(created.token, snapshotOf(objects, { collectedAt: '2026-05-01T10:00:00Z', clusterUid: `uid-${other.id}` }));
      await evaluateStoredSnapshot(systemContext(other.id, 'test'), pushed.snapshotId);
      return { ctx: otherAdmin, clusterId: created.cluster.id };
    }));
    const queued = previewRule(others[0]!.ctx, { rule: example.rule, clusterIds: [others[0]!.clusterId] });
    while (pool.inProgress() < 2) await sleep(10);
    await expect(previewRule(others[1]!.ctx, { rule: example.rule, clusterIds: [others[1]!.clusterId] })).rejects.toMatchObject({ code: 'unavailable', status: 503, headers: { 'Retry-After': '5' } });

    Atomics.store(gate, 0, 1);
    Atomics.notify(gate, 0);
    expect((await held)[0]).toMatchObject({ failingTotal: 2, stopped: false });
    expect((await queued)[0]).toMatchObject({ failingTotal: 2, stopped: false });
  });

  it('a preview over the pool\'s time limit is stopped (its thread terminated) and the cluster says why', async () => {
    const gate = new Int32Array(new SharedArrayBuffer(8));
    await replacePreviewPoolForTests(new PreviewPool({ filename: GATED_WORKER, threads: 1, taskTimeoutMs: 1_000, workerData: { gate, gatedOrganizationId: org.id } }));
    // The gate never opens: the task can only end by the pool terminating its thread.
    const [result] = await previewRule(admin, { rule: example.rule, clusterIds: [cluster.id] });
    expect(result).toMatchObject({ clusterName: 'edge', stopped: true, failingTotal: 0, errors: [{ resource: null, message: expect.stringMatching(/^the preview did not finish within 1 s \(its time limit per cluster\)/) }] });
  });
});
