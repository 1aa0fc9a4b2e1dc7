import { afterAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../platform/auth/context';
import { disconnectDb } from '../../platform/db/client';
import { closeProducers } from '../../platform/queue/producers';
import { listRequirementControls } from '../../analysis/frameworks';
import { seedCatalog } from '../catalog/seed-catalog';
import { evaluateStoredSnapshot } from '../pipeline/evaluate-stored-snapshot';
import { archiveCluster } from '../clusters/manage-cluster';
import { getDashboard } from '../dashboard/get-dashboard';
import { createClusterWithToken, createMember, createOrg } from '../../testing/factories';
import { snapshotOf } from '../../testing/k8s';
import { pushSnapshot } from '../../testing/push';
import { app, baseObjects } from '../../testing/findings-fixture';
import { scoreBreakdown } from './failing-requirements';

afterAll(async () => { await closeProducers(); await disconnectDb(); });

const CIS = 'cis-k8s-1.9';
/** The CIS requirement the privileged-container control decides (5.2.2 at the time of writing). */
const privilegedRequirement = [...listRequirementControls(CIS)].find(([, controls]) => controls.includes('workload.privileged-container'))?.[0];

describe('the organization score, explained', () => {
  it('a requirement failing on one cluster fails for the organization, names exactly that cluster, and passes once it is fixed there', async () => {
    expect(privilegedRequirement).toBeDefined();
    await seedCatalog();
    const org = await createOrg();
    const { ctx } = await createMember(org, 'VIEWER');
    const prod = await createClusterWithToken(org, 'prod');
    const staging = await createClusterWithToken(org, 'staging');
    const evaluate = async (cluster: typeof prod, day: number, privileged: boolean) => {
      const at = `2026-08-0${day}T10:00:00Z`;
      const pushed = await pushSnapshot(cluster.token, snapshotOf([...baseObjects(), app('web', privileged)], { collectedAt: at, clusterUid: `uid-${cluster.cluster.id}` }));
      await evaluateStoredSnapshot(systemContext(org.id, 'test'), pushed.snapshotId, () => new Date(at));
    };
    await evaluate(prod, 1, true);
    await evaluate(staging, 1, false);

    const before = await scoreBreakdown(ctx, CIS);
    expect(before.inScope.map((c) => c.name)).toEqual(['prod', 'staging']);
    const failing = before.failing.find((r) => r.requirementId === privilegedRequirement);
    expect(failing?.failingClusters.map((c) => c.clusterName)).toEqual(['prod']);
    expect(failing?.failingClusters[0]?.failingControls.map((c) => c.id)).toContain('workload.privileged-container');
    // The same figures as the score the dashboard shows (the recorded organization point).
    const shown = (await getDashboard(ctx)).frameworks.find((f) => f.frameworkId === CIS);
    expect({ score: shown?.score, passed: shown?.passed, failed: shown?.failed }).toEqual({ score: before.score.score, passed: before.score.passed, failed: before.score.failed });

    // prod is fixed: a new snapshot without the privileged container is evaluated.
    await evaluate(prod, 2, false);
    const after = await scoreBreakdown(ctx, CIS);
    expect(after.failing.map((r) => r.requirementId)).not.toContain(privilegedRequirement);
    // The privileged container may break more than 5.2.2 (e.g. 5.2.1, the level its namespace enforces): every
    // requirement the fix clears leaves the failed count, and no new one fails.
    const cleared = before.failing.map((r) => r.requirementId).filter((id) => !after.failing.some((r) => r.requirementId === id));
    expect(cleared).toContain(privilegedRequirement);
    expect(after.failing.every((r) => before.failing.some((b) => b.requirementId === r.requirementId))).toBe(true);
    expect(after.score.failed).toBe(before.score.failed - cleared.length);
  });

  it('leaves archived clusters and clusters without an evaluated snapshot out of scope', async () => {
    await seedCatalog();
    const org = await createOrg();
    const { ctx } = await createMember(org, 'ADMIN');
    const prod = await createClusterWithToken(org, 'prod');
    const old = await createClusterWithToken(org, 'old');
    await createClusterWithToken(org, 'new');
    for (const [cluster, privileged] of [[prod, false], [old, true]] as const) {
      const pushed = await pushSnapshot(cluster.token, snapshotOf([...baseObjects(), app('web', privileged)], { collectedAt: '2026-08-01T10:00:00Z', clusterUid: `uid-${cluster.cluster.id}` }));
      await evaluateStoredSnapshot(systemContext(org.id, 'test'), pushed.snapshotId, () => new Date('2026-08-01T10:00:00Z'));
    }
    expect((await scoreBreakdown(ctx, CIS)).failing.find((r) => r.requirementId === privilegedRequirement)?.failingClusters.map((c) => c.clusterName)).toEqual(['old']);

    await archiveCluster(ctx, { clusterId: old.cluster.id });
    const breakdown = await scoreBreakdown(ctx, CIS);
    expect(breakdown.inScope.map((c) => c.name)).toEqual(['prod']);
    expect(breakdown.outOfScope).toEqual({ archived: 1, notEvaluated: 1 });
    expect(breakdown.failing.map((r) => r.requirementId)).not.toContain(privilegedRequirement);
  });
});
