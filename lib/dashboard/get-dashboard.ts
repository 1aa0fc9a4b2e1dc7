import { authorize } from '../auth/permissions';
import type { OrgContext } from '../auth/context';
import { dbFor } from '../db/tenant';
import { latestClusterScores, latestSnapshotStatuses } from '../db/dashboard-sql';
import type { Severity } from '../db/client';
import { FRAMEWORKS } from '../frameworks';
import type { FrameworkId } from '../engine/types';

const ACTIVE = ['OPEN', 'ACKNOWLEDGED'] as const;
export const DASHBOARD_FRAMEWORKS: FrameworkId[] = ['cis-k8s-1.9', 'iso27001-2022'];

export type FrameworkSummary = {
  frameworkId: FrameworkId;
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
  lastEvaluatedAt: Date | null;
  staleSince: Date | null;
  scores: Partial<Record<FrameworkId, number>>;
  openCritical: number;
  openHigh: number;
  latestSnapshotStatus: string | null;
};

export type Dashboard = {
  frameworks: FrameworkSummary[];
  clusters: ClusterRow[];
  bySeverity: Record<Severity, number>;
  overdue: number;
  riskAccepted: number;
  openTickets: number;
  topFailingControls: { controlId: string; title: string; severity: Severity; open: number }[];
};

/**
 * Everything the organization dashboard shows. Reads pre-computed scores and grouped counts (all on indexes
 * that lead with organizationId), never a scan of raw findings.
 */
export async function getDashboard(ctx: OrgContext, now: Date = new Date()): Promise<Dashboard> {
  authorize(ctx, 'org.read');
  const db = dbFor(ctx);
  const since = new Date(now.getTime() - 90 * 86_400_000);

  const [latestOrg, trend, clusters, clusterScores, severityGroups, clusterSeverity, overdue, riskAccepted, openTickets, controlGroups, latestSnapshots] = await Promise.all([
    Promise.all(DASHBOARD_FRAMEWORKS.map((frameworkId) => db.scorePoint.findFirst({ where: { frameworkId, clusterId: null }, orderBy: { at: 'desc' } }))),
    db.scoreDaily.findMany({ where: { scopeKey: 'org', frameworkId: { in: DASHBOARD_FRAMEWORKS }, day: { gte: since } }, orderBy: { day: 'asc' } }),
    db.cluster.findMany({ orderBy: { name: 'asc' } }),
    latestClusterScores(db, ctx.organizationId),
    db.finding.groupBy({ by: ['severity'], where: { status: { in: [...ACTIVE] } }, _count: { _all: true } }),
    db.finding.groupBy({ by: ['clusterId', 'severity'], where: { status: { in: [...ACTIVE] }, severity: { in: ['CRITICAL', 'HIGH'] } }, _count: { _all: true } }),
    db.finding.count({ where: { status: { in: [...ACTIVE] }, dueAt: { lt: now } } }),
    db.finding.count({ where: { status: 'RISK_ACCEPTED' } }),
    db.ticket.count({ where: { status: { in: ['OPEN', 'INVESTIGATING', 'MITIGATED'] } } }),
    db.finding.groupBy({ by: ['controlId'], where: { status: { in: [...ACTIVE] } }, _count: { _all: true }, orderBy: { _count: { controlId: 'desc' } }, take: 8 }),
    latestSnapshotStatuses(db, ctx.organizationId),
  ]);

  const controls = await db.control.findMany({ where: { id: { in: controlGroups.map((g) => g.controlId) } }, select: { id: true, title: true, severity: true } });
  const bySeverity: Record<Severity, number> = { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0 };
  for (const group of severityGroups) bySeverity[group.severity] = group._count._all;

  return {
    frameworks: DASHBOARD_FRAMEWORKS.map((frameworkId, index) => {
      const point = latestOrg[index];
      return {
        frameworkId,
        name: FRAMEWORKS.find((f) => f.id === frameworkId)?.name ?? frameworkId,
        score: point?.score ?? null,
        passed: point?.passed ?? 0,
        failed: point?.failed ?? 0,
        accepted: point?.accepted ?? 0,
        manual: point?.manual ?? 0,
        notApplicable: point?.notApplicable ?? 0,
        trend: trend.filter((t) => t.frameworkId === frameworkId).map((t) => ({ day: t.day.toISOString().slice(0, 10), score: t.score })),
      };
    }),
    clusters: clusters.map((cluster) => ({
      id: cluster.id,
      name: cluster.name,
      provider: cluster.provider,
      lastSnapshotAt: cluster.lastSnapshotAt,
      lastEvaluatedAt: cluster.lastEvaluatedAt,
      staleSince: cluster.staleSince,
      scores: Object.fromEntries(clusterScores.filter((s) => s.clusterId === cluster.id).map((s) => [s.frameworkId, s.score])),
      openCritical: clusterSeverity.find((g) => g.clusterId === cluster.id && g.severity === 'CRITICAL')?._count._all ?? 0,
      openHigh: clusterSeverity.find((g) => g.clusterId === cluster.id && g.severity === 'HIGH')?._count._all ?? 0,
      latestSnapshotStatus: latestSnapshots.find((s) => s.clusterId === cluster.id)?.status ?? null,
    })),
    bySeverity,
    overdue,
    riskAccepted,
    openTickets,
    topFailingControls: controlGroups.map((group) => {
      const control = controls.find((c) => c.id === group.controlId);
      return { controlId: group.controlId, title: control?.title ?? group.controlId, severity: control?.severity ?? 'MEDIUM', open: group._count._all };
    }),
  };
}
