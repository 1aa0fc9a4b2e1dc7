import { requirementResultsFor, type ControlOutcome, type ControlTally } from '../../analysis/engine';
import type { TenantTx } from '../../platform/db/tenant';

/**
 * A cluster's control tallies as they stand now: the engine's outcome of its current evaluation, with the
 * findings counted from the database, so risk acceptances, exceptions and false positives are reflected.
 */
export async function clusterTallies(tx: TenantTx, clusterId: string, evaluationId: string): Promise<VersionedTally[]> {
  const evaluation = await tx.evaluationRun.findUnique({ where: { id: evaluationId }, select: { controlResults: true } });
  const outcomes = (evaluation?.controlResults ?? []) as ControlOutcome[];
  const groups = await tx.finding.groupBy({
    by: ['controlId', 'status'],
    where: { clusterId, status: { in: ['OPEN', 'ACKNOWLEDGED', 'RISK_ACCEPTED'] } },
    _count: { _all: true },
  });
  const open = new Map<string, number>();
  const accepted = new Map<string, number>();
  for (const group of groups) {
    const target = group.status === 'RISK_ACCEPTED' ? accepted : open;
    target.set(group.controlId, (target.get(group.controlId) ?? 0) + group._count._all);
  }
  return outcomes.map((outcome) => ({
    controlId: outcome.controlId,
    status: outcome.status,
    reason: outcome.reason,
    openFindings: open.get(outcome.controlId) ?? 0,
    acceptedFindings: accepted.get(outcome.controlId) ?? 0,
    // A custom control's mapping as its evaluated version had it: the requirements it counts for.
    ...(outcome.requirementIds?.length ? { requirementIds: outcome.requirementIds } : {}),
    ...(outcome.controlVersion !== undefined ? { controlVersions: [outcome.controlVersion] } : {}),
  }));
}

/** A tally with the versions of a custom control that produced it (one per cluster whose evaluation ran it). */
export type VersionedTally = ControlTally & { controlVersions?: number[] };

/**
 * Organization-wide tallies: a control fails if it fails anywhere, passes if it passes somewhere and fails nowhere.
 * A custom control counts for every requirement some cluster's evaluated version mapped it to.
 */
export function mergeTallies(perCluster: VersionedTally[][]): VersionedTally[] {
  const merged = new Map<string, VersionedTally>();
  for (const tallies of perCluster) {
    for (const tally of tallies) {
      const previous = merged.get(tally.controlId);
      if (!previous) { merged.set(tally.controlId, { ...tally }); continue; }
      // A managed cluster's control-plane control is the provider's; a self-managed cluster's result outranks it.
      const status = previous.status === 'fail' || tally.status === 'fail' ? 'fail'
        : previous.status === 'pass' || tally.status === 'pass' ? 'pass'
        : previous.status === 'provider_responsibility' || tally.status === 'provider_responsibility' ? 'provider_responsibility' : 'not_applicable';
      merged.set(tally.controlId, {
        controlId: tally.controlId,
        status,
        reason: status === 'not_applicable' || status === 'provider_responsibility' ? (previous.status === status ? previous.reason : undefined) ?? tally.reason : undefined,
        openFindings: previous.openFindings + tally.openFindings,
        acceptedFindings: previous.acceptedFindings + tally.acceptedFindings,
        ...(previous.requirementIds || tally.requirementIds ? { requirementIds: [...new Set([...(previous.requirementIds ?? []), ...(tally.requirementIds ?? [])])] } : {}),
        ...(previous.controlVersions || tally.controlVersions ? { controlVersions: [...new Set([...(previous.controlVersions ?? []), ...(tally.controlVersions ?? [])])].sort((a, b) => a - b) } : {}),
      });
    }
  }
  return [...merged.values()];
}

/** Requirement results of a cluster as they stand now (for pages and reports). */
export async function currentRequirementResults(tx: TenantTx, clusterId: string, evaluationId: string) {
  return requirementResultsFor(await clusterTallies(tx, clusterId, evaluationId));
}
