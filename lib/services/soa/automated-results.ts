import { requirementResultsFor, type ControlTally } from '../../analysis/engine';
import type { AutomatedResult } from '../../analysis/frameworks/compliance-status';
import type { FrameworkId } from '../../analysis/frameworks';
import type { TenantTx } from '../../platform/db/tenant';
import { clusterTallies, mergeTallies } from '../scores/control-tallies';
import { automatedResultOf } from './statuses';

/**
 * The organization's result of each requirement as it stands now, by the score's rule (scores/write-scores.ts):
 * clusters in scope are those not archived with an evaluated snapshot; a control fails for the organization when
 * it has an open finding on any of them, so a requirement passes only when it passes on every cluster in scope
 * (risk-accepted findings make it "accepted"). Without a cluster in scope nothing is decided ('none').
 */
export async function organizationAutomatedResults(tx: TenantTx, frameworkId: FrameworkId): Promise<Map<string, AutomatedResult>> {
  const clusters = await tx.cluster.findMany({ where: { archivedAt: null, currentEvaluationId: { not: null } }, select: { id: true, currentEvaluationId: true } });
  if (clusters.length === 0) return new Map();
  const perCluster: ControlTally[][] = [];
  for (const cluster of clusters) perCluster.push(await clusterTallies(tx, cluster.id, cluster.currentEvaluationId as string));
  const { requirements } = requirementResultsFor(mergeTallies(perCluster), [frameworkId]);
  return new Map(requirements.map((result) => [result.requirementId, automatedResultOf(result)]));
}
