import type { EngineFinding } from '../../analysis/engine';
import type { TenantTx } from '../../platform/db/tenant';
import type { Severity as DbSeverity } from '../../platform/db/client';
import { insertFindingEvents, insertFindings, resolveFindings, touchFindings, updateFindingDetails } from '../../platform/db/findings-sql';
import { lastSeenNeedsRefresh } from '../findings/last-seen';
import { emitDomainEvents, type DomainEventInput } from '../events/emit';

export type DueDays = Record<DbSeverity, number>;

export type ReconcileInput = {
  organizationId: string;
  clusterId: string;
  snapshotId: string;
  seenAt: Date;
  /** The cluster's previous evaluation: the last time a finding that is gone now was seen. */
  previousSeenAt: Date | null;
  findings: EngineFinding[];
  dueDays: DueDays;
  /** Fingerprints an active scoped exception covers: never opened, and resolved as EXCEPTION if open. */
  exceptedFingerprints: ReadonlySet<string>;
  /** The cluster's first evaluation announces one baseline event instead of one event per finding. */
  isBaseline: boolean;
};

export type ReconcileCounts = { total: number; opened: number; resolved: number; reopened: number; unchanged: number; updated: number };

const ACTIVE = new Set(['OPEN', 'ACKNOWLEDGED', 'RISK_ACCEPTED']);

export function toDbSeverity(severity: EngineFinding['severity']): DbSeverity {
  return severity.toUpperCase() as DbSeverity;
}

function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * 86_400_000);
}

/**
 * Brings the cluster's stored findings in line with one evaluation, by fingerprint:
 * new -> OPEN; still there -> nothing written (status, assignee, comments untouched; lastSeenAt refreshed at most
 * hourly, see findings/last-seen); gone -> RESOLVED, with lastSeenAt set to the previous evaluation; back after
 * being fixed -> reopened with an event. Risk-accepted findings stay accepted (the expiry job reopens them).
 * Writes only what changed, in bulk, inside the caller's transaction.
 */
export async function reconcileFindings(tx: TenantTx, input: ReconcileInput): Promise<ReconcileCounts> {
  const { organizationId, clusterId, snapshotId, seenAt } = input;
  const current = await tx.finding.findMany({
    where: { clusterId },
    select: { id: true, fingerprint: true, status: true, resolutionReason: true, severity: true, message: true, lastSeenAt: true },
  });
  const byFingerprint = new Map(current.map((row) => [row.fingerprint, row]));
  const incoming = new Map<string, EngineFinding>();
  for (const finding of input.findings) {
    if (!input.exceptedFingerprints.has(finding.fingerprint)) incoming.set(finding.fingerprint, finding);
  }

  const toCreate: EngineFinding[] = [];
  const toTouch: string[] = [];
  let stillThere = 0;
  const toReopen: { id: string; severity: DbSeverity; fingerprint: string }[] = [];
  const changed: { id: string; message: string; severity: string; evidence: string }[] = [];
  for (const [fingerprint, finding] of incoming) {
    const row = byFingerprint.get(fingerprint);
    if (!row) { toCreate.push(finding); continue; }
    const severity = toDbSeverity(finding.severity);
    if (row.status === 'RESOLVED') {
      // A false positive stays dismissed; anything else that comes back was not really fixed.
      if (row.resolutionReason !== 'FALSE_POSITIVE') toReopen.push({ id: row.id, severity, fingerprint });
      continue;
    }
    stillThere += 1;
    if (lastSeenNeedsRefresh(row.lastSeenAt, seenAt)) toTouch.push(fingerprint);
    if (row.message !== finding.message || row.severity !== severity) {
      changed.push({ id: row.id, message: finding.message, severity, evidence: JSON.stringify(finding.evidence) });
    }
  }
  const toResolve = current.filter((row) => ACTIVE.has(row.status) && !incoming.has(row.fingerprint));
  const resolvedByException = toResolve.filter((row) => input.exceptedFingerprints.has(row.fingerprint));
  const resolvedFixed = toResolve.filter((row) => !input.exceptedFingerprints.has(row.fingerprint));

  // New findings: bulk INSERT ... FROM unnest, returning ids for the events below.
  const created = await insertFindings(tx, organizationId, clusterId, snapshotId, seenAt, toCreate.map((finding) => ({
    controlId: finding.controlId,
    fingerprint: finding.fingerprint,
    severity: toDbSeverity(finding.severity),
    apiVersion: finding.resource.apiVersion,
    kind: finding.resource.kind,
    namespace: finding.resource.namespace,
    name: finding.resource.name,
    uid: finding.resource.uid,
    message: finding.message,
    evidence: JSON.stringify(finding.evidence),
    isPlatform: finding.isPlatform,
    dueDays: input.dueDays[toDbSeverity(finding.severity)],
  })));
  await touchFindings(tx, organizationId, clusterId, toTouch, seenAt, snapshotId);
  await updateFindingDetails(tx, organizationId, changed);

  for (const severity of ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'] as const) {
    const ids = toReopen.filter((row) => row.severity === severity).map((row) => row.id);
    if (ids.length === 0) continue;
    await tx.finding.updateMany({
      where: { id: { in: ids } },
      data: {
        status: 'OPEN', resolvedAt: null, resolutionReason: null, lastSeenAt: seenAt, lastSnapshotId: snapshotId,
        reopenedCount: { increment: 1 }, acknowledgedAt: null, acknowledgedById: null, dueAt: addDays(seenAt, input.dueDays[severity]),
      },
    });
  }
  const lastSeen = input.previousSeenAt ?? seenAt;
  await resolveFindings(tx, organizationId, resolvedFixed.map((row) => row.id), 'FIXED', seenAt, lastSeen);
  await resolveFindings(tx, organizationId, resolvedByException.map((row) => row.id), 'EXCEPTION', seenAt, lastSeen);

  // Timeline events for every change, and domain events for what other features react to.
  const timeline = [
    ...created.map((row) => ({ findingId: row.id, type: 'opened', data: '{}' })),
    ...toReopen.map((row) => ({ findingId: row.id, type: 'reopened', data: JSON.stringify({ reason: 'seen again in a later snapshot' }) })),
    ...resolvedFixed.map((row) => ({ findingId: row.id, type: 'resolved', data: JSON.stringify({ reason: 'no longer present in the latest snapshot' }) })),
    ...resolvedByException.map((row) => ({ findingId: row.id, type: 'exception_applied', data: JSON.stringify({ reason: 'covered by a scoped exception' }) })),
  ];
  await insertFindingEvents(tx, organizationId, snapshotId, seenAt, timeline);

  const domain: DomainEventInput[] = input.isBaseline
    ? [{ type: 'cluster.baseline', data: { clusterId, snapshotId, findings: incoming.size } }]
    : [
      ...created.map((row) => ({ type: 'finding.opened' as const, data: { findingId: row.id, clusterId, controlId: row.controlId, severity: row.severity } })),
      ...toReopen.map((row) => ({ type: 'finding.reopened' as const, data: { findingId: row.id, clusterId, severity: row.severity } })),
      ...toResolve.map((row) => ({ type: 'finding.resolved' as const, data: { findingId: row.id, clusterId, severity: row.severity } })),
    ];
  await emitDomainEvents(tx, organizationId, domain);

  return {
    total: incoming.size,
    opened: toCreate.length,
    reopened: toReopen.length,
    resolved: toResolve.length,
    unchanged: stillThere - changed.length,
    updated: changed.length,
  };
}
