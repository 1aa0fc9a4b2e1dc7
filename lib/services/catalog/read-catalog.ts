import { authorize } from '../../platform/auth/permissions';
import type { OrgContext } from '../../platform/auth/context';
import { dbFor } from '../../platform/db/tenant';
import { clusterTallies } from '../scores/control-tallies';
import { CATALOG } from '../../analysis/controls/catalog';
import { FRAMEWORKS } from '../../analysis/frameworks';
import type { FrameworkId } from '../../analysis/frameworks';

export type ControlClusterStatus = 'pass' | 'fail' | 'accepted' | 'not_applicable' | 'not_evaluated';

export type CatalogQuery = { frameworkId?: FrameworkId; requirement?: string; q?: string };

/**
 * The control catalog with each control's mappings and its result on every cluster of the organization
 * (from the cluster's current evaluation, with risk acceptances applied).
 */
export async function listCatalog(ctx: OrgContext, query: CatalogQuery = {}) {
  authorize(ctx, 'finding.read');
  const db = dbFor(ctx);
  const clusters = await db.cluster.findMany({ orderBy: { name: 'asc' }, select: { id: true, name: true, currentEvaluationId: true } });
  const statusByCluster = new Map<string, Map<string, { status: ControlClusterStatus; open: number; accepted: number; reason?: string }>>();
  for (const cluster of clusters) {
    const map = new Map<string, { status: ControlClusterStatus; open: number; accepted: number; reason?: string }>();
    if (cluster.currentEvaluationId) {
      for (const tally of await clusterTallies(db, cluster.id, cluster.currentEvaluationId)) {
        const status: ControlClusterStatus = tally.status === 'not_applicable' ? 'not_applicable'
          : tally.openFindings > 0 ? 'fail' : tally.acceptedFindings > 0 ? 'accepted' : 'pass';
        map.set(tally.controlId, { status, open: tally.openFindings, accepted: tally.acceptedFindings, reason: tally.reason });
      }
    }
    statusByCluster.set(cluster.id, map);
  }
  const needle = query.q?.trim().toLowerCase();
  const controls = CATALOG.filter((control) => {
    if (query.frameworkId) {
      const ids = query.frameworkId === 'cis-k8s-1.9' ? control.mappings.cis : query.frameworkId === 'iso27001-2022' ? control.mappings.iso27001 : control.mappings.nsa ?? [];
      if (ids.length === 0) return false;
      if (query.requirement && !ids.includes(query.requirement)) return false;
    }
    return !needle || `${control.id} ${control.title} ${control.description}`.toLowerCase().includes(needle);
  });
  return {
    clusters: clusters.map((c) => ({ id: c.id, name: c.name })),
    controls: controls.map((control) => ({
      id: control.id,
      title: control.title,
      description: control.description,
      rationale: control.rationale,
      remediation: control.remediation,
      severity: control.severity,
      kinds: control.kinds,
      mappings: { cis: [...control.mappings.cis], iso27001: [...control.mappings.iso27001], nsa: [...(control.mappings.nsa ?? [])], pss: control.mappings.pss ?? null },
      results: clusters.map((cluster) => ({ clusterId: cluster.id, ...(statusByCluster.get(cluster.id)?.get(control.id) ?? { status: 'not_evaluated' as const, open: 0, accepted: 0 }) })),
    })),
    frameworks: FRAMEWORKS.map((f) => ({ id: f.id, name: f.name, requirements: f.requirements.map((r) => ({ id: r.id, title: r.title })) })),
  };
}
