/**
 * The asynchronous half of ingest: after the load stops, how long until every pushed snapshot is evaluated
 * (DONE) or skipped for a newer one (SUPERSEDED), and what each evaluation cost. Read from the database, the
 * source of truth; lib modules are imported lazily (see fixture.ts).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { summarize, type Summary } from './recorder';

type StatusCounts = Record<string, number>;
export type DrainResult = { drained: boolean; lagMs: number; statuses: StatusCounts; missing: number; failedErrors: string[] };

const TERMINAL_OK = new Set(['DONE', 'SUPERSEDED']);

async function orgDb(organizationId: string) {
  const { dbFor } = await import('../../lib/platform/db/tenant');
  const { systemContext } = await import('../../lib/platform/auth/context');
  return dbFor(systemContext(organizationId, 'load'));
}

/** Polls until none of `snapshotIds` is QUEUED or EVALUATING, or `timeoutMs` passes. */
export async function waitForDrain(
  organizationId: string, snapshotIds: readonly string[], timeoutMs: number, signal: AbortSignal, progress: (line: string) => void,
): Promise<DrainResult> {
  const db = await orgDb(organizationId);
  const started = Date.now();
  let lastLine = 0;
  for (;;) {
    const rows = await db.snapshot.findMany({ where: { id: { in: [...snapshotIds] } }, select: { status: true, error: true } });
    const statuses: StatusCounts = {};
    for (const row of rows) statuses[row.status] = (statuses[row.status] ?? 0) + 1;
    const pending = rows.filter((row) => !TERMINAL_OK.has(row.status) && row.status !== 'FAILED').length;
    const elapsed = Date.now() - started;
    if (pending === 0 || elapsed >= timeoutMs || signal.aborted) {
      return {
        drained: pending === 0,
        lagMs: elapsed,
        statuses,
        missing: snapshotIds.length - rows.length,
        failedErrors: rows.filter((row) => row.status === 'FAILED').map((row) => row.error ?? '').slice(0, 5),
      };
    }
    if (Date.now() - lastLine >= 10_000) {
      progress(`draining: ${pending} of ${snapshotIds.length} snapshots still queued or evaluating (${Math.round(elapsed / 1000)} s)`);
      lastLine = Date.now();
    }
    await sleep(1_000, undefined, { signal }).catch(() => {});
  }
}

export type EvaluationStats = {
  snapshots: number;
  done: number;
  superseded: number;
  /** The first evaluation of a cluster writes every finding; later ones write only what changed. */
  firstEvaluationMs: Summary;
  repeatEvaluationMs: Summary;
  /** receivedAt → evaluation committed (EvaluationRun.finishedAt; skip time for SUPERSEDED): how far the dashboard trails the agent. */
  receivedToEvaluatedMs: Summary;
  findingsPerCluster: Summary;
  /** DONE evaluations per minute over the window from the first push to the last evaluation. */
  evaluationsPerMinute: number;
  windowSeconds: number;
};

/** Figures for the snapshots pushed under load (`snapshotIds`); a --baseline snapshot still counts as its cluster's first evaluation. */
export async function readEvaluationStats(organizationId: string, snapshotIds: readonly string[]): Promise<EvaluationStats> {
  const db = await orgDb(organizationId);
  const measured = new Set(snapshotIds);
  const snapshots = await db.snapshot.findMany({ where: { id: { in: [...snapshotIds] } }, select: { id: true, status: true, receivedAt: true, evaluatedAt: true } });
  const runs = await db.evaluationRun.findMany({
    select: { clusterId: true, snapshotId: true, finishedAt: true, durationMs: true, findingsTotal: true }, orderBy: { startedAt: 'asc' },
  });
  // evaluatedAt is when the evaluation began (its `seenAt`); the run's finishedAt is when its results landed.
  const finishedAt = new Map(runs.map((run) => [run.snapshotId, run.finishedAt]));
  const seen = new Set<string>();
  const first: number[] = [];
  const repeat: number[] = [];
  const findings = new Map<string, number>();
  for (const run of runs) {
    if (run.durationMs !== null && measured.has(run.snapshotId)) (seen.has(run.clusterId) ? repeat : first).push(run.durationMs);
    seen.add(run.clusterId);
    findings.set(run.clusterId, run.findingsTotal);
  }
  const evaluated = snapshots.flatMap((row) => {
    const end = finishedAt.get(row.id) ?? row.evaluatedAt;
    return end ? [{ receivedMs: row.receivedAt.getTime(), endMs: end.getTime() }] : [];
  });
  const startMs = Math.min(...snapshots.map((row) => row.receivedAt.getTime()));
  const endMs = Math.max(...evaluated.map((row) => row.endMs));
  const windowSeconds = evaluated.length && Number.isFinite(startMs) ? Math.max(1, (endMs - startMs) / 1000) : 0;
  const done = snapshots.filter((row) => row.status === 'DONE').length;
  return {
    snapshots: snapshots.length,
    done,
    superseded: snapshots.filter((row) => row.status === 'SUPERSEDED').length,
    firstEvaluationMs: summarize(first),
    repeatEvaluationMs: summarize(repeat),
    receivedToEvaluatedMs: summarize(evaluated.map((row) => row.endMs - row.receivedMs)),
    findingsPerCluster: summarize([...findings.values()]),
    evaluationsPerMinute: windowSeconds ? (done / windowSeconds) * 60 : 0,
    windowSeconds,
  };
}
