import { authorize } from '../../platform/auth/permissions';
import type { OrgContext } from '../../platform/auth/context';
import { dbFor } from '../../platform/db/tenant';
import { clusterTallies } from '../scores/control-tallies';
import { CATALOG } from '../../analysis/controls/catalog';
import { findFramework, frameworkIdsForCis, frameworkTitle, requirementIdsOf } from '../../analysis/frameworks';
import type { FrameworkId } from '../../analysis/frameworks';
import { isCisFrameworkId } from '../../analysis/frameworks/cis-versions';
import { getCisBenchmark } from '../orgs/settings';

export type ControlClusterStatus = 'pass' | 'fail' | 'accepted' | 'provider_responsibility' | 'not_applicable' | 'not_evaluated';

export type CatalogQuery = { frameworkId?: FrameworkId; requirement?: string; q?: string };

/**
 * The control catalog with each control's mappings and its result on every cluster of the organization
 * (from the cluster's current evaluation, with risk acceptances applied). CIS is the organization's benchmark
 * version (Settings → Benchmark, named in `cis`): its frameworks list, its item ids in `mappings.cis` and the
 * filter. A filter naming the other CIS version is read as the organization's (its requirement kept only when
 * that version has the same id), and `frameworkId` says which framework was applied.
 */
export async function listCatalog(ctx: OrgContext, query: CatalogQuery = {}) {
  authorize(ctx, 'finding.read');
  const db = dbFor(ctx);
  const cis = await getCisBenchmark(ctx);
  const frameworkIds = frameworkIdsForCis(cis.version);
  const frameworkId = query.frameworkId && isCisFrameworkId(query.frameworkId) ? cis.frameworkId : query.frameworkId;
  const known = frameworkId ? findFramework(frameworkId)?.requirements.some((r) => r.id === query.requirement) : false;
  const requirement = query.requirement && known ? query.requirement : undefined;
  const clusters = await db.cluster.findMany({ orderBy: { name: 'asc' }, select: { id: true, name: true, currentEvaluationId: true } });
  const statusByCluster = new Map<string, Map<string, { status: ControlClusterStatus; open: number; accepted: number; reason?: string }>>();
  for (const cluster of clusters) {
    const map = new Map<string, { status: ControlClusterStatus; open: number; accepted: number; reason?: string }>();
    if (cluster.currentEvaluationId) {
      for (const tally of await clusterTallies(db, cluster.id, cluster.currentEvaluationId)) {
        // A managed provider's control-plane control is neither passed nor failed (it read as "pass" before).
        const status: ControlClusterStatus = tally.status === 'not_applicable' ? 'not_applicable'
          : tally.status === 'provider_responsibility' ? 'provider_responsibility'
          : tally.openFindings > 0 ? 'fail' : tally.acceptedFindings > 0 ? 'accepted' : 'pass';
        map.set(tally.controlId, { status, open: tally.openFindings, accepted: tally.acceptedFindings, reason: tally.reason });
      }
    }
    statusByCluster.set(cluster.id, map);
  }
  const needle = query.q?.trim().toLowerCase();
  const controls = CATALOG.filter((control) => {
    if (frameworkId) {
      const ids = requirementIdsOf(control, frameworkId);
      if (ids.length === 0) return false;
      if (requirement && !ids.includes(requirement)) return false;
    }
    return !needle || `${control.id} ${control.title} ${control.description}`.toLowerCase().includes(needle);
  });
  return {
    cis,
    /** The filter as applied: the framework (the organization's CIS version for any CIS id) and requirement. */
    frameworkId: frameworkId ?? null,
    requirement: requirement ?? null,
    clusters: clusters.map((c) => ({ id: c.id, name: c.name })),
    controls: controls.map((control) => ({
      id: control.id,
      title: control.title,
      description: control.description,
      rationale: control.rationale,
      remediation: control.remediation,
      severity: control.severity,
      kinds: control.kinds,
      mappings: { cis: [...requirementIdsOf(control, cis.frameworkId)], iso27001: [...control.mappings.iso27001], nsa: [...(control.mappings.nsa ?? [])], pss: control.mappings.pss ?? null },
      results: clusters.map((cluster) => ({ clusterId: cluster.id, ...(statusByCluster.get(cluster.id)?.get(control.id) ?? { status: 'not_evaluated' as const, open: 0, accepted: 0 }) })),
    })),
    frameworks: frameworkIds.map((id) => ({ id, name: frameworkTitle(id), requirements: (findFramework(id)?.requirements ?? []).map((r) => ({ id: r.id, title: r.title })) })),
  };
}
