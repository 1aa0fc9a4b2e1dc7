import { gunzipSync } from 'node:zlib';
import { evaluate, evaluateClusterAdmissionPolicies, importPolicyReports } from '../../analysis/engine';
import { snapshotBodyDigest } from '../../analysis/snapshot/build';
import type { Snapshot } from '../../analysis/snapshot/schema';
import { dbFor } from '../../platform/db/tenant';
import { advisoryXactLock } from '../../platform/db/locks';
import { logger } from '../../platform/log';
import type { OrgContext } from '../../platform/auth/context';
import { reconcileFindings, type DueDays } from './reconcile';
import { activeExceptions, exceptedFingerprints } from './exceptions';
import { nodeReportsForEvaluation } from './node-reports';
import { recordScores } from '../scores/write-scores';
import { preparePermissions, recordPermissions } from '../access/record-permissions';
import { enabledCustomControls } from '../policies/custom-controls';
import { emitDomainEvents } from '../events/emit';

const log = logger.child({ component: 'evaluation' });

export type EvaluationOutcome =
  | { outcome: 'done'; evaluationId: string; opened: number; resolved: number; reopened: number; total: number; durationMs: number }
  | { outcome: 'skipped'; reason: 'already-evaluated' | 'superseded' | 'not-found' };

/**
 * Evaluates one stored snapshot and makes its results the cluster's current state. Idempotent and safe to
 * retry: everything it writes happens in one transaction, behind a per-cluster lock, after checking that the
 * snapshot was not evaluated already and that no newer snapshot of the cluster was evaluated before it.
 */
export async function evaluateStoredSnapshot(ctx: OrgContext, snapshotId: string, now: () => Date = () => new Date()): Promise<EvaluationOutcome> {
  const db = dbFor(ctx);
  const row = await db.snapshot.findUnique({
    where: { id: snapshotId },
    omit: { body: false },
    include: { cluster: { select: { id: true, lastCollectedAt: true, currentEvaluationId: true } } },
  });
  if (!row) return { outcome: 'skipped', reason: 'not-found' };
  if (row.status === 'DONE' || row.status === 'SUPERSEDED') return { outcome: 'skipped', reason: 'already-evaluated' };
  if (row.cluster.lastCollectedAt && row.collectedAt <= row.cluster.lastCollectedAt) {
    await db.snapshot.update({ where: { id: snapshotId }, data: { status: 'SUPERSEDED', evaluatedAt: now(), error: null } });
    return { outcome: 'skipped', reason: 'superseded' };
  }
  // Latest wins: when a newer snapshot of the cluster is already stored, this one would be overwritten by it
  // anyway; skipping it caps a backlog at one evaluation per cluster.
  const newer = await db.snapshot.findFirst({
    where: { clusterId: row.clusterId, collectedAt: { gt: row.collectedAt }, status: { in: ['QUEUED', 'EVALUATING', 'DONE'] } },
    select: { id: true },
  });
  if (newer) {
    await db.snapshot.update({ where: { id: snapshotId }, data: { status: 'SUPERSEDED', evaluatedAt: now(), error: null } });
    return { outcome: 'skipped', reason: 'superseded' };
  }
  if (!row.body) throw new Error(`snapshot ${snapshotId} has no body (pruned before evaluation)`);
  await db.snapshot.update({ where: { id: snapshotId }, data: { status: 'EVALUATING', attempts: { increment: 1 } } });

  const started = performance.now();
  // Validated at intake and stored by us; parsing again would double the cost for nothing.
  const snapshot = JSON.parse(gunzipSync(row.body).toString('utf8')) as Snapshot;
  // What a later "unchanged" notice from the agent is checked against (a notice's row has its base's already).
  const contentDigest = row.contentDigest ?? snapshotBodyDigest(snapshot);
  const org = await db.organization.findUniqueOrThrow({ where: { id: ctx.organizationId }, select: { allowedRegistries: true, dueDays: true } });
  const seenAt = now();
  // Node reports (issue 21): read after the row is EVALUATING, so a report stored while this snapshot was still
  // queued is seen here (ingest-node-report.ts relies on it to coalesce re-evaluations).
  const nodeReports = await nodeReportsForEvaluation(db, row.clusterId, snapshot, seenAt);
  // The organization's own controls (issue 23) run in the same evaluation, as data.
  const customControls = await enabledCustomControls(db);
  const evaluated = evaluate(snapshot, {
    now: seenAt, allowedRegistries: org.allowedRegistries.length ? org.allowedRegistries : undefined, nodeReports,
    customControls, params: { allowedRegistries: org.allowedRegistries },
  });
  // Results other engines (Kyverno, …) wrote into PolicyReports (issue 23): findings beside ours, reconciled like them;
  // their controls map to no requirement, so scores are the engine's alone.
  const imported = importPolicyReports(snapshot);
  // The cluster's own ValidatingAdmissionPolicies against what already runs (issue 23): controls vap.<policy>, mapped
  // to no requirement; the overview (with Kyverno and Gatekeeper metadata) is stored with the evaluation.
  const admission = evaluateClusterAdmissionPolicies(snapshot);
  const result = {
    ...evaluated,
    findings: [...evaluated.findings, ...imported.findings, ...admission.findings],
    controls: [...evaluated.controls, ...imported.controls, ...admission.controls],
    parseErrors: [...evaluated.parseErrors, ...imported.parseErrors, ...admission.parseErrors],
  };
  const exceptions = await activeExceptions(db, row.clusterId, seenAt);
  // The access explorer's permission table (pure, like the engine), stored below in the same transaction.
  const permissions = preparePermissions(snapshot);

  const outcome = await db.$transaction(async (tx) => {
    // One evaluation per cluster at a time; re-check order under the lock (another job may have won).
    await advisoryXactLock(tx, 'clusterEvaluation', row.clusterId);
    // A second run of the same job (BullMQ re-runs a job whose worker missed a lock renewal) may have waited on
    // the lock behind the first: if that one finished, there is nothing left to do.
    const current = await tx.snapshot.findUniqueOrThrow({ where: { id: snapshotId }, select: { status: true } });
    if (current.status === 'DONE' || current.status === 'SUPERSEDED') return 'already-evaluated' as const;
    const cluster = await tx.cluster.findUniqueOrThrow({ where: { id: row.clusterId }, select: { lastCollectedAt: true, lastEvaluatedAt: true, currentEvaluationId: true } });
    if (cluster.lastCollectedAt && row.collectedAt <= cluster.lastCollectedAt) {
      await tx.snapshot.update({ where: { id: snapshotId }, data: { status: 'SUPERSEDED', evaluatedAt: seenAt } });
      return 'superseded' as const;
    }
    const excepted = exceptedFingerprints(result.findings, exceptions);
    const counts = await reconcileFindings(tx, {
      organizationId: ctx.organizationId,
      clusterId: row.clusterId,
      snapshotId,
      seenAt,
      previousSeenAt: cluster.lastEvaluatedAt,
      findings: result.findings,
      dueDays: org.dueDays as DueDays,
      exceptedFingerprints: excepted.fingerprints,
      isBaseline: cluster.currentEvaluationId === null,
    });
    if (excepted.matchedExceptionIds.length > 0) {
      await tx.findingException.updateMany({ where: { id: { in: excepted.matchedExceptionIds } }, data: { lastMatchedAt: seenAt } });
    }
    const durationMs = Math.round(performance.now() - started);
    const evaluation = await tx.evaluationRun.create({
      data: {
        organizationId: ctx.organizationId,
        clusterId: row.clusterId,
        snapshotId,
        catalogVersion: result.catalogVersion,
        startedAt: seenAt,
        finishedAt: new Date(),
        durationMs,
        findingsTotal: counts.total,
        findingsOpened: counts.opened,
        findingsResolved: counts.resolved,
        findingsReopened: counts.reopened,
        controlResults: result.controls as object,
        requirementResults: result.requirements as object,
        parseErrors: result.parseErrors as object,
        admissionPolicies: admission.overview as object,
      },
      select: { id: true },
    });
    await tx.cluster.update({
      where: { id: row.clusterId },
      data: { lastCollectedAt: row.collectedAt, lastEvaluatedAt: seenAt, currentEvaluationId: evaluation.id, staleSince: null },
    });
    await recordScores(tx, { organizationId: ctx.organizationId, clusterId: row.clusterId, evaluationId: evaluation.id, at: seenAt, catalogVersion: result.catalogVersion });
    await recordPermissions(tx, { organizationId: ctx.organizationId, clusterId: row.clusterId, snapshotId, evaluationRunId: evaluation.id, collectedAt: row.collectedAt, prepared: permissions });
    await tx.snapshot.update({ where: { id: snapshotId }, data: { status: 'DONE', evaluatedAt: seenAt, error: null, contentDigest } });
    // Rooms that follow the cluster's state (access reviews closing revoked rights) react to this (events/reactions.ts).
    await emitDomainEvents(tx, ctx.organizationId, [{ type: 'evaluation.completed', data: { clusterId: row.clusterId, snapshotId, evaluationId: evaluation.id } }]);
    return { evaluationId: evaluation.id, durationMs, ...counts };
  }, { timeout: 300_000, maxWait: 60_000 });

  if (outcome === 'already-evaluated' || outcome === 'superseded') return { outcome: 'skipped', reason: outcome };
  log.info({ organizationId: ctx.organizationId, clusterId: row.clusterId, snapshotId, ...outcome }, 'snapshot evaluated');
  return { outcome: 'done', ...outcome };
}

/** Records a snapshot whose evaluation keeps failing, so the organization sees why. */
export async function markEvaluationFailed(ctx: OrgContext, snapshotId: string, error: string): Promise<void> {
  await dbFor(ctx).snapshot.updateMany({ where: { id: snapshotId, status: { in: ['QUEUED', 'EVALUATING'] } }, data: { status: 'FAILED', error: error.slice(0, 2000) } });
}
