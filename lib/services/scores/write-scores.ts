import { orgFrameworkResultsFor, requirementResultsFor, type ControlTally, type FrameworkScore, type OrgFrameworkDefinition, type OrgFrameworkScore } from '../../analysis/engine';
import type { TenantTx } from '../../platform/db/tenant';
import { clusterTallies, mergeTallies } from './control-tallies';
import { upsertDailyScore } from '../../platform/db/scores-sql';

function dayOf(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
}

type PointInput = { organizationId: string; clusterId: string | null; evaluationId: string | null; at: Date; catalogVersion: string };

/** A catalog framework's score, or an organization framework's (`org:<key>`): both go into the same history. */
type ScoreFiguresOf = FrameworkScore | OrgFrameworkScore;

async function writePoint(tx: TenantTx, input: PointInput, scores: ScoreFiguresOf[]): Promise<void> {
  await tx.scorePoint.createMany({
    data: scores.map((s) => ({
      organizationId: input.organizationId, clusterId: input.clusterId, frameworkId: s.frameworkId, evaluationId: input.evaluationId,
      at: input.at, score: s.score, passed: s.passed, failed: s.failed, notApplicable: s.notApplicable, manual: s.manual,
      accepted: s.accepted, catalogVersion: input.catalogVersion,
    })),
  });
  const day = dayOf(input.at);
  const scopeKey = input.clusterId ?? 'org';
  for (const s of scores) {
    // Daily rollup: the day's last score with its range, so a 90-day chart reads 90 rows.
    await upsertDailyScore(tx, { organizationId: input.organizationId, scopeKey, frameworkId: s.frameworkId, day, score: s.score, accepted: s.accepted });
  }
}

/**
 * Appends score points for the cluster and for the organization (every cluster's current evaluation), with
 * risk acceptances applied, and updates the daily rollup. Called after each evaluation and after any change
 * that moves a score (an acceptance approved or expired, a false positive).
 */
export async function recordScores(tx: TenantTx, input: { organizationId: string; clusterId: string; evaluationId: string; at: Date; catalogVersion: string }): Promise<{ cluster: FrameworkScore[]; organization: FrameworkScore[] }> {
  const own = await clusterTallies(tx, input.clusterId, input.evaluationId);
  const frameworks = await orgFrameworkDefinitions(tx);
  const clusterScores = requirementResultsFor(own).scores;
  await writePoint(tx, input, [...clusterScores, ...orgFrameworkScores(frameworks, own)]);

  const merged = await organizationTallies(tx, { clusterId: input.clusterId, tallies: own });
  const orgScores = requirementResultsFor(merged).scores;
  await writePoint(tx, { ...input, clusterId: null }, [...orgScores, ...orgFrameworkScores(frameworks, merged)]);
  return { cluster: clusterScores, organization: orgScores };
}

/** The organization's own frameworks (issue 23): their scores are recorded with every evaluation, as `org:<key>`. */
async function orgFrameworkDefinitions(tx: TenantTx): Promise<OrgFrameworkDefinition[]> {
  return tx.orgFramework.findMany({ orderBy: { key: 'asc' }, select: { key: true, requirements: { orderBy: { sortOrder: 'asc' }, select: { code: true } } } });
}

function orgFrameworkScores(frameworks: readonly OrgFrameworkDefinition[], tallies: readonly ControlTally[]): OrgFrameworkScore[] {
  return frameworks.map((framework) => orgFrameworkResultsFor(framework, tallies).score);
}

/** The organization's scores over its active clusters: archived ones keep their history but stop counting. */
async function organizationScores(tx: TenantTx): Promise<ScoreFiguresOf[]> {
  const merged = await organizationTallies(tx);
  return [...requirementResultsFor(merged).scores, ...orgFrameworkScores(await orgFrameworkDefinitions(tx), merged)];
}

/** Every active cluster's tallies merged (mergeTallies); `known` spares reading the cluster just evaluated again. */
async function organizationTallies(tx: TenantTx, known?: { clusterId: string; tallies: ControlTally[] }): Promise<ControlTally[]> {
  const scope = known ? [{ currentEvaluationId: { not: null } }, { id: known.clusterId }] : [{ currentEvaluationId: { not: null } }];
  const clusters = await tx.cluster.findMany({ where: { archivedAt: null, OR: scope }, select: { id: true, currentEvaluationId: true } });
  const perCluster: ControlTally[][] = [];
  for (const cluster of clusters) {
    if (known && cluster.id === known.clusterId) perCluster.push(known.tallies);
    else if (cluster.currentEvaluationId) perCluster.push(await clusterTallies(tx, cluster.id, cluster.currentEvaluationId));
  }
  return mergeTallies(perCluster);
}

/**
 * A new organization-wide score point after the set of clusters changed (one archived, restored or deleted),
 * so the dashboard's score stops (or starts again) counting that cluster's results at once.
 */
export async function recordOrganizationScores(tx: TenantTx, organizationId: string, at: Date): Promise<void> {
  const latest = await tx.evaluationRun.findFirst({ orderBy: { startedAt: 'desc' }, select: { catalogVersion: true } });
  const active = await tx.cluster.count({ where: { archivedAt: null, currentEvaluationId: { not: null } } });
  // No active cluster left: a 0% point would read as "everything fails"; the last score stays until one reports.
  if (active === 0) return;
  await writePoint(tx, { organizationId, clusterId: null, evaluationId: null, at, catalogVersion: latest?.catalogVersion ?? 'unknown' }, await organizationScores(tx));
}

/**
 * The first score point of an organization framework just created (issue 23), from the clusters' current evaluations,
 * so its history starts now rather than at the next evaluation. Nothing without an evaluated active cluster.
 */
export async function recordOrgFrameworkScore(tx: TenantTx, organizationId: string, framework: OrgFrameworkDefinition, at: Date): Promise<void> {
  const active = await tx.cluster.count({ where: { archivedAt: null, currentEvaluationId: { not: null } } });
  if (active === 0) return;
  const latest = await tx.evaluationRun.findFirst({ orderBy: { startedAt: 'desc' }, select: { catalogVersion: true } });
  const score = orgFrameworkResultsFor(framework, await organizationTallies(tx)).score;
  await writePoint(tx, { organizationId, clusterId: null, evaluationId: null, at, catalogVersion: latest?.catalogVersion ?? 'unknown' }, [score]);
}

/** Re-scores a cluster from its current evaluation (after acceptances change), without a new snapshot. */
export async function refreshClusterScores(tx: TenantTx, organizationId: string, clusterId: string, at: Date): Promise<void> {
  const cluster = await tx.cluster.findUnique({ where: { id: clusterId }, select: { currentEvaluationId: true } });
  if (!cluster?.currentEvaluationId) return;
  const evaluation = await tx.evaluationRun.findUnique({ where: { id: cluster.currentEvaluationId }, select: { catalogVersion: true } });
  await recordScores(tx, { organizationId, clusterId, evaluationId: cluster.currentEvaluationId, at, catalogVersion: evaluation?.catalogVersion ?? 'unknown' });
}
