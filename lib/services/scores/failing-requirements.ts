import { requirementResultsFor, type FrameworkScore, type RequirementResult } from '../../analysis/engine';
import { findFramework, frameworkTitle, type FrameworkId } from '../../analysis/frameworks';
import { findControl } from '../../analysis/controls/catalog';
import { authorize } from '../../platform/auth/permissions';
import type { OrgContext } from '../../platform/auth/context';
import { dbFor } from '../../platform/db/tenant';
import { AppError } from '../../platform/errors';
import { clusterTallies, mergeTallies, type VersionedTally } from './control-tallies';
import { ownControlLabels } from './own-controls';

export type FailingCluster = {
  clusterId: string;
  clusterName: string;
  /** The requirement's controls with an open finding on this cluster; `own`: the organization's custom control, with the version that ran. */
  failingControls: { id: string; title: string; own?: { versions: number[] } }[];
};

export type FailingRequirement = {
  requirementId: string;
  title: string;
  /** Every in-scope cluster where the requirement fails (it fails for the organization when this is not empty). */
  failingClusters: FailingCluster[];
};

export type ScoreBreakdown = {
  frameworkId: FrameworkId;
  frameworkName: string;
  /** The organization's score as computed now, by the same rule as the recorded score points. */
  score: FrameworkScore;
  /** The clusters the organization's score counts: not archived, with an evaluated snapshot. */
  inScope: { id: string; name: string }[];
  /** Clusters left out, and why. */
  outOfScope: { archived: number; notEvaluated: number };
  failing: FailingRequirement[];
};

/**
 * Why the organization's score is what it is, for one framework: the organization-wide result of each requirement
 * and, for each failing one, the clusters it fails on. The same rule as the score points (write-scores.ts):
 *
 * - in scope: clusters not archived that have a current evaluation; an archived cluster keeps its history but
 *   stops counting (reports count it only when it is chosen explicitly, or was archived after the period ended);
 * - a control fails for the organization when it has an open (open or acknowledged) finding on any cluster in
 *   scope; findings covered by an approved, unexpired risk acceptance do not count (lib/analysis/engine/requirements.ts);
 * - so a requirement passes only when it passes on every cluster in scope where its controls apply; a cluster where
 *   they don't apply neither passes nor fails it.
 */
export async function scoreBreakdown(ctx: OrgContext, frameworkId: FrameworkId): Promise<ScoreBreakdown> {
  authorize(ctx, 'org.read');
  const framework = findFramework(frameworkId);
  if (!framework) throw new AppError('not_found', `Framework ${frameworkId} not found`);
  return dbFor(ctx).$transaction(async (tx) => {
    const clusters = await tx.cluster.findMany({ orderBy: { name: 'asc' }, select: { id: true, name: true, archivedAt: true, currentEvaluationId: true } });
    const inScope = clusters.flatMap((cluster) => (!cluster.archivedAt && cluster.currentEvaluationId ? [{ ...cluster, evaluationId: cluster.currentEvaluationId }] : []));
    const perCluster: { id: string; name: string; tallies: VersionedTally[]; requirements: Map<string, RequirementResult> }[] = [];
    for (const cluster of inScope) {
      const tallies = await clusterTallies(tx, cluster.id, cluster.evaluationId);
      const { requirements } = requirementResultsFor(tallies, [frameworkId]);
      perCluster.push({ id: cluster.id, name: cluster.name, tallies, requirements: new Map(requirements.map((r) => [r.requirementId, r])) });
    }
    const merged = mergeTallies(perCluster.map((c) => c.tallies));
    const organization = requirementResultsFor(merged, [frameworkId]);
    // Custom controls mapped to the framework's requirements count like catalog ones (named as the organization's).
    const own = await ownControlLabels(tx, merged);
    const score = organization.scores[0] ?? { frameworkId, score: 0, passed: 0, failed: 0, notApplicable: 0, manual: 0, accepted: 0 };
    const titles = new Map(framework.requirements.map((r) => [r.id, r.title]));
    const failing = organization.requirements.filter((r) => r.status === 'fail').map((requirement) => ({
      requirementId: requirement.requirementId,
      title: titles.get(requirement.requirementId) ?? requirement.requirementId,
      failingClusters: perCluster.flatMap((cluster) => {
        const result = cluster.requirements.get(requirement.requirementId);
        if (result?.status !== 'fail') return [];
        const versionsHere = new Map(cluster.tallies.map((t) => [t.controlId, t.controlVersions ?? []]));
        const failingControls = result.failingControlIds.map((id) => {
          const label = own.get(id);
          return label ? { id, title: label.title, own: { versions: versionsHere.get(id) ?? label.versions } } : { id, title: findControl(id)?.title ?? id };
        });
        return [{ clusterId: cluster.id, clusterName: cluster.name, failingControls }];
      }),
    }));
    return {
      frameworkId,
      frameworkName: frameworkTitle(framework.id),
      score,
      inScope: inScope.map((c) => ({ id: c.id, name: c.name })),
      outOfScope: {
        archived: clusters.filter((c) => c.archivedAt).length,
        notEvaluated: clusters.filter((c) => !c.archivedAt && !c.currentEvaluationId).length,
      },
      failing,
    };
  });
}

export type RequirementControl = {
  id: string;
  title: string;
  /** The organization's own control, with the versions the clusters in scope ran. */
  own?: { versions: number[] };
  status: 'pass' | 'fail' | 'accepted' | 'not_applicable' | 'provider_responsibility';
  openFindings: number;
};

/**
 * One requirement as the organization's score counts it now (same rule and scope as scoreBreakdown): its result and
 * every control that decided it, Bulwark's and the organization's own (issue 23: a custom control mapped to it
 * counts like a catalog one), each with its organization-wide result and open findings.
 */
export async function requirementStanding(ctx: OrgContext, frameworkId: FrameworkId, requirementId: string): Promise<{ status: RequirementResult['status'] | null; reason: string | null; controls: RequirementControl[] }> {
  authorize(ctx, 'org.read');
  return dbFor(ctx).$transaction(async (tx) => {
    const clusters = await tx.cluster.findMany({ where: { archivedAt: null, currentEvaluationId: { not: null } }, select: { id: true, currentEvaluationId: true } });
    const perCluster: VersionedTally[][] = [];
    for (const cluster of clusters) perCluster.push(await clusterTallies(tx, cluster.id, cluster.currentEvaluationId!));
    const merged = mergeTallies(perCluster);
    const result = requirementResultsFor(merged, [frameworkId]).requirements.find((r) => r.requirementId === requirementId);
    if (!result || clusters.length === 0) return { status: null, reason: null, controls: [] };
    const own = await ownControlLabels(tx, merged);
    const byId = new Map(merged.map((tally) => [tally.controlId, tally]));
    const controls = result.controlIds.map((id): RequirementControl => {
      const tally = byId.get(id);
      const label = own.get(id);
      const status = result.failingControlIds.includes(id) ? 'fail' : result.acceptedControlIds.includes(id) ? 'accepted'
        : tally?.status === 'fail' || tally?.status === 'pass' ? 'pass' : (tally?.status ?? 'not_applicable');
      return { id, title: label?.title ?? findControl(id)?.title ?? id, ...(label ? { own: { versions: label.versions } } : {}), status, openFindings: tally?.openFindings ?? 0 };
    });
    return { status: result.status, reason: result.reason ?? null, controls };
  });
}
