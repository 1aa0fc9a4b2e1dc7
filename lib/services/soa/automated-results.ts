import { requirementResultsFor, type ControlTally } from '../../analysis/engine';
import type { AutomatedResult } from '../../analysis/frameworks/compliance-status';
import type { FrameworkId } from '../../analysis/frameworks';
import type { TenantTx } from '../../platform/db/tenant';
import { clusterTallies, mergeTallies } from '../scores/control-tallies';
import { automatedResultOf } from './statuses';

/**
 * The organization's result of each requirement of each framework as it stands now, by the score's rule
 * (scores/write-scores.ts): clusters in scope are those not archived with an evaluated snapshot; a control fails
 * for the organization when it has an open finding on any of them, so a requirement passes only when it passes on
 * every cluster in scope (risk-accepted findings make it "accepted"). Without a cluster in scope nothing is
 * decided ('none'). The clusters' tallies are read once for all the frameworks asked.
 */
export async function organizationAutomatedResultsByFramework(tx: TenantTx, frameworkIds: readonly FrameworkId[]): Promise<Map<FrameworkId, Map<string, AutomatedResult>>> {
  const out = new Map<FrameworkId, Map<string, AutomatedResult>>(frameworkIds.map((id) => [id, new Map()]));
  const clusters = await tx.cluster.findMany({ where: { archivedAt: null, currentEvaluationId: { not: null } }, select: { id: true, currentEvaluationId: true } });
  if (clusters.length === 0 || frameworkIds.length === 0) return out;
  const perCluster: ControlTally[][] = [];
  for (const cluster of clusters) perCluster.push(await clusterTallies(tx, cluster.id, cluster.currentEvaluationId as string));
  const { requirements } = requirementResultsFor(mergeTallies(perCluster), frameworkIds);
  for (const result of requirements) out.get(result.frameworkId)?.set(result.requirementId, automatedResultOf(result));
  return out;
}

/** One framework's results (organizationAutomatedResultsByFramework). */
export async function organizationAutomatedResults(tx: TenantTx, frameworkId: FrameworkId): Promise<Map<string, AutomatedResult>> {
  return (await organizationAutomatedResultsByFramework(tx, [frameworkId])).get(frameworkId) ?? new Map();
}
