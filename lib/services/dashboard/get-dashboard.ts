import { authorize } from '../../platform/auth/permissions';
import type { OrgContext } from '../../platform/auth/context';
import { dbFor } from '../../platform/db/tenant';
import { latestClusterScores, latestSnapshotStatuses, unresolvedFindingCounts, type FindingCount } from '../../platform/db/dashboard-sql';
import type { Severity } from '../../platform/db/client';
import { frameworkIdsForCis, frameworkTitle } from '../../analysis/frameworks';
import type { FrameworkId } from '../../analysis/frameworks';
import type { CisVersion } from '../../analysis/frameworks/cis-versions';
import { getCisBenchmark } from '../orgs/settings';
import { importedControlTitle } from '../../analysis/model/policy-report';

const TOP_CONTROLS = 8;

export type FrameworkSummary = {
  frameworkId: FrameworkId;
  /** With the version for CIS ("CIS Kubernetes Benchmark v1.12"). */
  name: string;
  score: number | null;
  passed: number;
  failed: number;
  accepted: number;
  manual: number;
  notApplicable: number;
  trend: { day: string; score: number }[];
};

export type ClusterRow = {
  id: string;
  name: string;
  provider: string | null;
  lastSnapshotAt: Date | null;
  /** When the data of its latest evaluated snapshot was collected in the cluster (lastSnapshotAt is its receipt). */
  lastCollectedAt: Date | null;
  lastEvaluatedAt: Date | null;
  staleSince: Date | null;
  scores: Partial<Record<FrameworkId, number>>;
  openCritical: number;
  openHigh: number;
  latestSnapshotStatus: string | null;
};

/** One of the organization's own frameworks (issue 23): its latest recorded organization-wide score and 90-day trend. */
export type OwnFrameworkSummary = Omit<FrameworkSummary, 'frameworkId'> & { frameworkId: string; key: string };

export type Dashboard = {
  /** The organization's CIS Kubernetes Benchmark version and framework (Settings → Benchmark): ClusterRow.scores has it. */
  cis: { version: CisVersion; frameworkId: FrameworkId };
  frameworks: FrameworkSummary[];
  /** The organization's own frameworks (`org:<key>`), scored with every evaluation like the catalog ones. */
  ownFrameworks: OwnFrameworkSummary[];
  clusters: ClusterRow[];
  bySeverity: Record<Severity, number>;
  overdue: number;
  riskAccepted: number;
  openTickets: number;
  topFailingControls: { controlId: string; title: string; severity: Severity; open: number }[];
};

/**
 * Everything the organization dashboard shows. Reads pre-computed scores and finding counts (the tally the
 * database keeps); only "overdue", which moves with the clock, is counted from the findings (an index range).
 */
export async function getDashboard(ctx: OrgContext, now: Date = new Date()): Promise<Dashboard> {
  authorize(ctx, 'org.read');
  const db = dbFor(ctx);
  const since = new Date(now.getTime() - 90 * 86_400_000);
  // The CIS scores shown (organization and clusters) are the organization's chosen benchmark version (Settings →
  // Benchmark); both versions are recorded per evaluation.
  const cis = await getCisBenchmark(ctx);
  const organizationFrameworks = frameworkIdsForCis(cis.version);
  const shownFrameworks: FrameworkId[] = [cis.frameworkId, 'iso27001-2022'];

  const [latestOrg, trend, clusters, clusterScores, tallies, overdue, openTickets, latestSnapshots] = await Promise.all([
    Promise.all(shownFrameworks.map((frameworkId) => db.scorePoint.findFirst({ where: { frameworkId, clusterId: null }, orderBy: { at: 'desc' } }))),
    db.scoreDaily.findMany({ where: { scopeKey: 'org', frameworkId: { in: shownFrameworks }, day: { gte: since } }, orderBy: { day: 'asc' } }),
    db.cluster.findMany({ orderBy: { name: 'asc' } }), // archived ones too: their findings are left out below
    latestClusterScores(db, ctx.organizationId, organizationFrameworks),
    unresolvedFindingCounts(db, ctx.organizationId),
    db.finding.count({ where: { status: { in: ['OPEN', 'ACKNOWLEDGED'] }, dueAt: { lt: now }, cluster: { archivedAt: null } } }),
    db.ticket.count({ where: { status: { in: ['OPEN', 'INVESTIGATING', 'MITIGATED'] } } }),
    latestSnapshotStatuses(db, ctx.organizationId),
  ]);

  const own = await db.orgFramework.findMany({ orderBy: { name: 'asc' }, take: 20, select: { key: true, name: true } });
  const ownIds = own.map((framework) => `org:${framework.key}`);
  const [ownLatest, ownTrend] = await Promise.all([
    Promise.all(ownIds.map((frameworkId) => db.scorePoint.findFirst({ where: { frameworkId, clusterId: null }, orderBy: { at: 'desc' } }))),
    ownIds.length ? db.scoreDaily.findMany({ where: { scopeKey: 'org', frameworkId: { in: ownIds }, day: { gte: since } }, orderBy: { day: 'asc' } }) : Promise.resolve([]),
  ]);

  // An archived cluster keeps its history but no longer counts: not in the list, the counts or the score.
  const archived = new Set(clusters.filter((cluster) => cluster.archivedAt).map((cluster) => cluster.id));
  const counts = countFindings(tallies.filter((tally) => !archived.has(tally.clusterId)));
  const controls = await db.control.findMany({ where: { id: { in: counts.topControls.map(([id]) => id) } }, select: { id: true, title: true, severity: true } });
  // The organization's own controls (custom.<key>) by their title (issue 23).
  const ownKeys = counts.topControls.map(([id]) => id).filter((id) => id.startsWith('custom.')).map((id) => id.slice('custom.'.length));
  const ownTitles = new Map(ownKeys.length ? (await db.customControl.findMany({ where: { key: { in: ownKeys } }, select: { key: true, title: true } })).map((c) => [`custom.${c.key}`, c.title]) : []);

  return {
    cis,
    frameworks: shownFrameworks.map((frameworkId, index) => {
      const point = latestOrg[index];
      return {
        frameworkId,
        name: frameworkTitle(frameworkId),
        score: point?.score ?? null,
        passed: point?.passed ?? 0,
        failed: point?.failed ?? 0,
        accepted: point?.accepted ?? 0,
        manual: point?.manual ?? 0,
        notApplicable: point?.notApplicable ?? 0,
        trend: trend.filter((t) => t.frameworkId === frameworkId).map((t) => ({ day: t.day.toISOString().slice(0, 10), score: t.score })),
      };
    }),
    ownFrameworks: own.map((framework, index) => {
      const point = ownLatest[index];
      const frameworkId = ownIds[index]!;
      return {
        frameworkId, key: framework.key, name: framework.name, score: point?.score ?? null, passed: point?.passed ?? 0, failed: point?.failed ?? 0,
        accepted: point?.accepted ?? 0, manual: point?.manual ?? 0, notApplicable: point?.notApplicable ?? 0,
        trend: ownTrend.filter((t) => t.frameworkId === frameworkId).map((t) => ({ day: t.day.toISOString().slice(0, 10), score: t.score })),
      };
    }),
    clusters: clusters.filter((cluster) => !archived.has(cluster.id)).map((cluster) => ({
      id: cluster.id,
      name: cluster.name,
      provider: cluster.provider,
      lastSnapshotAt: cluster.lastSnapshotAt,
      lastCollectedAt: cluster.lastCollectedAt,
      lastEvaluatedAt: cluster.lastEvaluatedAt,
      staleSince: cluster.staleSince,
      scores: Object.fromEntries(clusterScores.filter((s) => s.clusterId === cluster.id).map((s) => [s.frameworkId, s.score])),
      openCritical: counts.byCluster.get(cluster.id)?.CRITICAL ?? 0,
      openHigh: counts.byCluster.get(cluster.id)?.HIGH ?? 0,
      latestSnapshotStatus: latestSnapshots.find((s) => s.clusterId === cluster.id)?.status ?? null,
    })),
    bySeverity: counts.bySeverity,
    overdue,
    riskAccepted: counts.riskAccepted,
    openTickets,
    topFailingControls: counts.topControls.map(([controlId, open]) => {
      const control = controls.find((c) => c.id === controlId);
      // An imported PolicyReport result's control is named by its engine and policy (issue 23).
      return { controlId, title: control?.title ?? ownTitles.get(controlId) ?? importedControlTitle(controlId) ?? controlId, severity: control?.severity ?? 'MEDIUM', open };
    }),
  };
}

const noSeverities = (): Record<Severity, number> => ({ CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0 });

/** The dashboard's counts from the tally. Open means OPEN or ACKNOWLEDGED; risk-accepted findings are counted apart. */
function countFindings(tallies: FindingCount[]) {
  const bySeverity = noSeverities();
  const byCluster = new Map<string, Record<Severity, number>>();
  const byControl = new Map<string, number>();
  let riskAccepted = 0;
  for (const tally of tallies) {
    if (tally.status === 'RISK_ACCEPTED') { riskAccepted += tally.total; continue; }
    bySeverity[tally.severity] += tally.total;
    const cluster = byCluster.get(tally.clusterId) ?? noSeverities();
    cluster[tally.severity] += tally.total;
    byCluster.set(tally.clusterId, cluster);
    byControl.set(tally.controlId, (byControl.get(tally.controlId) ?? 0) + tally.total);
  }
  const topControls = [...byControl].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, TOP_CONTROLS);
  return { bySeverity, byCluster, riskAccepted, topControls };
}
