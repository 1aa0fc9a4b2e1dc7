import { authorize } from '../../platform/auth/permissions';
import type { OrgContext } from '../../platform/auth/context';
import { dbFor, type TenantDb } from '../../platform/db/tenant';
import { clusterTallies } from '../scores/control-tallies';
import { CATALOG } from '../../analysis/controls/catalog';
import { equivalentRequirementRefs, FRAMEWORK_IDS, findFramework, frameworkIdsForCis, frameworkTitle, requirementIdsOf } from '../../analysis/frameworks';
import type { FrameworkId } from '../../analysis/frameworks';
import { isCisFrameworkId } from '../../analysis/frameworks/cis-versions';
import { getCisBenchmark } from '../orgs/settings';
import { RuleSpecSchema } from '../../analysis/cel';
import type { Severity } from '../../analysis/engine';

export type ControlClusterStatus = 'pass' | 'fail' | 'accepted' | 'provider_responsibility' | 'not_applicable' | 'not_evaluated';

export type CatalogQuery = { frameworkId?: FrameworkId; requirement?: string; q?: string };

/** What marks an organization's own control in the catalog (issue 23): its row, version and state. */
export type OwnControlMark = { customControlId: string; version: number; enabled: boolean; organizationRequirementIds: string[] };

/**
 * The organization's own controls (issue 23) as catalog entries: each control's current version (enabled or not),
 * its mapped requirement references split by catalog framework (`<frameworkId>:<code>` → code) and the rest (the
 * organization's own frameworks, `<key>:<code>`). Read through the tenant client, so only this organization's.
 */
async function ownCatalogControls(db: TenantDb) {
  const controls = await db.customControl.findMany({ orderBy: { key: 'asc' }, take: 500, select: { id: true, key: true, enabled: true, currentVersion: true } });
  if (controls.length === 0) return [];
  const versions = await db.customControlVersion.findMany({
    where: { OR: controls.map((c) => ({ customControlId: c.id, version: c.currentVersion })) },
    select: { customControlId: true, version: true, title: true, severity: true, rationale: true, remediation: true, rule: true, requirementIds: true },
  });
  const byControl = new Map(versions.map((v) => [v.customControlId, v]));
  return controls.flatMap((control) => {
    const version = byControl.get(control.id);
    if (!version) return [];
    const rule = RuleSpecSchema.safeParse(version.rule);
    const byFramework = new Map<string, string[]>();
    // A CIS item counts in every benchmark version, renumbered (as in the scores): a control mapped to v1.9's 5.1.1
    // shows v1.12's number when the organization follows v1.12.
    for (const ref of version.requirementIds.flatMap(equivalentRequirementRefs)) {
      const colon = ref.indexOf(':');
      if (colon <= 0) continue;
      const list = byFramework.get(ref.slice(0, colon)) ?? [];
      if (!list.includes(ref.slice(colon + 1))) list.push(ref.slice(colon + 1));
      byFramework.set(ref.slice(0, colon), list);
    }
    return [{
      id: `custom.${control.key}`,
      title: version.title,
      rationale: version.rationale,
      remediation: version.remediation,
      severity: version.severity.toLowerCase() as Severity,
      kinds: rule.success ? [...new Set(rule.data.match.resources.flatMap((r) => r.kinds))] : [],
      /** Requirement codes by catalog framework id (`iso27001-2022` → [`A.8.9`]). */
      codesOf: (frameworkId: FrameworkId): string[] => byFramework.get(frameworkId) ?? [],
      own: {
        customControlId: control.id, version: version.version, enabled: control.enabled,
        organizationRequirementIds: version.requirementIds.filter((ref) => !FRAMEWORK_IDS.includes(ref.slice(0, ref.indexOf(':')) as FrameworkId)),
      } satisfies OwnControlMark,
    }];
  });
}

/**
 * The control catalog with each control's mappings and its result on every cluster of the organization
 * (from the cluster's current evaluation, with risk acceptances applied). CIS is the organization's benchmark
 * version (Settings → Benchmark, named in `cis`): its frameworks list, its item ids in `mappings.cis` and the
 * filter. A filter naming the other CIS version is read as the organization's (its requirement kept only when
 * that version has the same id), and `frameworkId` says which framework was applied. The organization's own controls
 * (issue 23, enabled or not, at their current version) follow the built-in ones, marked by `own`, filtered alike by
 * the requirements their version maps them to; another organization's never appear (tenant client).
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
  const resultsOf = (controlId: string) => clusters.map((cluster) => ({ clusterId: cluster.id, ...(statusByCluster.get(cluster.id)?.get(controlId) ?? { status: 'not_evaluated' as const, open: 0, accepted: 0 }) }));
  const own = (await ownCatalogControls(db)).filter((control) => {
    if (frameworkId) {
      const ids = control.codesOf(frameworkId);
      if (ids.length === 0) return false;
      if (requirement && !ids.includes(requirement)) return false;
    }
    return !needle || `${control.id} ${control.title} ${control.rationale}`.toLowerCase().includes(needle);
  });
  return {
    cis,
    /** The filter as applied: the framework (the organization's CIS version for any CIS id) and requirement. */
    frameworkId: frameworkId ?? null,
    requirement: requirement ?? null,
    clusters: clusters.map((c) => ({ id: c.id, name: c.name })),
    controls: [
      ...controls.map((control) => ({
        id: control.id,
        title: control.title,
        description: control.description,
        rationale: control.rationale,
        remediation: control.remediation,
        severity: control.severity,
        kinds: control.kinds,
        mappings: { cis: [...requirementIdsOf(control, cis.frameworkId)], iso27001: [...control.mappings.iso27001], nsa: [...(control.mappings.nsa ?? [])], pss: control.mappings.pss ?? null },
        results: resultsOf(control.id),
        own: null as OwnControlMark | null,
      })),
      ...own.map((control) => ({
        id: control.id,
        title: control.title,
        description: `The organization's own control, version ${control.own.version}${control.own.enabled ? '' : ' (disabled)'}.`,
        rationale: control.rationale,
        remediation: control.remediation,
        severity: control.severity,
        kinds: control.kinds,
        mappings: { cis: control.codesOf(cis.frameworkId), iso27001: control.codesOf('iso27001-2022'), nsa: control.codesOf('nsa-k8s-1.2'), pss: null },
        results: resultsOf(control.id),
        own: control.own as OwnControlMark | null,
      })),
    ],
    frameworks: frameworkIds.map((id) => ({ id, name: frameworkTitle(id), requirements: (findFramework(id)?.requirements ?? []).map((r) => ({ id: r.id, title: r.title })) })),
  };
}
