import { createHash } from 'node:crypto';
import { systemDb, dbFor } from '../../platform/db/tenant';
import { systemContext } from '../../platform/auth/context';
import { writeAudit } from '../audit/write-audit';
import { emitDomainEvents } from '../events/emit';
import { logger } from '../../platform/log';
import { refreshClusterScores } from '../scores/write-scores';
import { AGENT_NOT_REPORTING_CONTROL } from '../catalog/platform-controls';

const log = logger.child({ component: 'maintenance' });

const STALE_AFTER_INTERVALS = 3;

/**
 * Approved risk acceptances past their expiry: the finding goes back to OPEN (if it still exists), with a
 * timeline event, an audit entry and a domain event; the cluster's score is recomputed.
 */
export async function expireRiskAcceptances(now: Date = new Date()): Promise<number> {
  const due = await systemDb().riskAcceptance.findMany({ where: { status: 'APPROVED', expiresAt: { lte: now } }, select: { id: true, organizationId: true } });
  for (const { id, organizationId } of due) {
    const ctx = systemContext(organizationId, 'expire-risk-acceptances');
    await dbFor(ctx).$transaction(async (tx) => {
      const acceptance = await tx.riskAcceptance.findUnique({ where: { id }, include: { finding: { select: { id: true, status: true, clusterId: true } } } });
      if (!acceptance || acceptance.status !== 'APPROVED') return;
      await tx.riskAcceptance.update({ where: { id }, data: { status: 'EXPIRED' } });
      if (acceptance.finding.status === 'RISK_ACCEPTED') {
        await tx.finding.update({ where: { id: acceptance.findingId }, data: { status: 'OPEN' } });
      }
      await tx.findingEvent.create({ data: { organizationId, findingId: acceptance.findingId, type: 'risk_expired', data: { riskAcceptanceId: id, expiresAt: acceptance.expiresAt.toISOString() } } });
      await writeAudit(tx, ctx, { action: 'risk_acceptance.expired', targetType: 'RiskAcceptance', targetId: id, before: { status: 'APPROVED' }, after: { status: 'EXPIRED' } });
      await emitDomainEvents(tx, organizationId, [{ type: 'risk.expired', data: { riskAcceptanceId: id, findingId: acceptance.findingId } }]);
      await refreshClusterScores(tx, organizationId, acceptance.finding.clusterId, now);
    });
  }
  if (due.length) log.info({ expired: due.length }, 'risk acceptances expired');
  return due.length;
}

/**
 * Clusters whose agent has been silent for more than three reporting intervals become stale, with a finding
 * of their own ("agent not reporting") that the next evaluated snapshot resolves.
 */
export async function markStaleClusters(now: Date = new Date()): Promise<number> {
  const candidates = await systemDb().cluster.findMany({
    // An archived cluster is expected to be silent: no staleness alert for it.
    where: { staleSince: null, lastSnapshotAt: { not: null }, archivedAt: null },
    select: { id: true, organizationId: true, name: true, lastSnapshotAt: true, reportingIntervalSeconds: true },
  });
  const stale = candidates.filter((c) => c.lastSnapshotAt && now.getTime() - c.lastSnapshotAt.getTime() > STALE_AFTER_INTERVALS * c.reportingIntervalSeconds * 1000);
  for (const cluster of stale) {
    const ctx = systemContext(cluster.organizationId, 'mark-stale-clusters');
    await dbFor(ctx).$transaction(async (tx) => {
      await tx.cluster.update({ where: { id: cluster.id }, data: { staleSince: now } });
      const fingerprint = createHash('sha256').update(`${AGENT_NOT_REPORTING_CONTROL}|${cluster.id}`).digest('hex');
      const message = `The Bulwark agent of cluster "${cluster.name}" has not reported since ${cluster.lastSnapshotAt?.toISOString()}`;
      const existing = await tx.finding.findFirst({ where: { clusterId: cluster.id, fingerprint } });
      const finding = existing
        ? await tx.finding.update({ where: { id: existing.id }, data: { status: 'OPEN', resolvedAt: null, resolutionReason: null, lastSeenAt: now, message, reopenedCount: { increment: existing.status === 'RESOLVED' ? 1 : 0 } } })
        : await tx.finding.create({
          data: {
            organizationId: cluster.organizationId, clusterId: cluster.id, controlId: AGENT_NOT_REPORTING_CONTROL, fingerprint, severity: 'HIGH',
            resourceApiVersion: 'bulwark.dev/v1', resourceKind: 'Cluster', resourceName: cluster.name, message,
            evidence: { type: 'absence', expected: `a snapshot at least every ${cluster.reportingIntervalSeconds}s` }, firstSeenAt: now, lastSeenAt: now,
            dueAt: new Date(now.getTime() + 7 * 86_400_000),
          },
        });
      await tx.findingEvent.create({ data: { organizationId: cluster.organizationId, findingId: finding.id, type: existing ? 'reopened' : 'opened', data: { reason: 'agent silent' } } });
      await emitDomainEvents(tx, cluster.organizationId, [{ type: 'cluster.stale', data: { clusterId: cluster.id, lastSnapshotAt: cluster.lastSnapshotAt?.toISOString() } }]);
    });
  }
  if (stale.length) log.warn({ stale: stale.length }, 'clusters marked stale');
  return stale.length;
}

/** Drops snapshot bodies older than the organization's retention; metadata and results stay. */
export async function pruneSnapshotBodies(now: Date = new Date()): Promise<number> {
  const orgs = await systemDb().organization.findMany({ select: { id: true, snapshotRetentionDays: true } });
  let pruned = 0;
  for (const org of orgs) {
    const cutoff = new Date(now.getTime() - org.snapshotRetentionDays * 86_400_000);
    const result = await dbFor({ organizationId: org.id }).snapshot.updateMany({
      where: { receivedAt: { lt: cutoff }, prunedAt: null, status: { in: ['DONE', 'SUPERSEDED', 'FAILED'] } },
      data: { body: null, prunedAt: now },
    });
    pruned += result.count;
  }
  if (pruned) log.info({ pruned }, 'snapshot bodies pruned');
  return pruned;
}
