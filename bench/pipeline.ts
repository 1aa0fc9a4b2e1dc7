/**
 * Pipeline phase, one size per child process, against the bench database: an agent push through the real
 * route handler (gzip body, agent token) until its 202, then evaluateStoredSnapshot (what the worker runs)
 * until findings and scores are stored. For a cluster's first snapshot, and for an unchanged re-push (new
 * collectedAt, same objects). Compared with a plain bulk insert of the same finding rows. Every statement is
 * captured and timed, so the report says where the database time goes; --profile adds a CPU profile.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { POST } from '@/app/api/v1/snapshots/route';
import { evaluate } from '@/lib/analysis/engine';
import { evaluateStoredSnapshot, type EvaluationOutcome } from '@/lib/services/pipeline/evaluate-stored-snapshot';
import { toDbSeverity } from '@/lib/services/pipeline/reconcile';
import { createOrganization } from '@/lib/services/orgs/create-organization';
import { createCluster } from '@/lib/services/clusters/create-cluster';
import { systemContext, type OrgContext } from '@/lib/platform/auth/context';
import { dbFor, type TenantTx } from '@/lib/platform/db/tenant';
import { bulkInsertFindings, bulkInsertFindingsWithEvents, deleteClusterFindings, type BulkFindingRow } from './bench-sql';
import type { Snapshot } from '@/lib/analysis/snapshot/schema';
import { snapshotBodyDigest } from '@/lib/analysis/snapshot/build';
import { UNCHANGED_NOTICE_CONTENT_TYPE } from '@/lib/analysis/snapshot/unchanged-notice';
import { benchSnapshot, sizeName, SIZES } from './synthetic';
import { busyMs, profileStatements, startCapture, stopCapture, type CapturedQuery, type StatementProfile } from './sql-capture';
import { profileCpu, type CpuSummary } from './cpu-profile';
import { progress, since, summarize, timed, type Summary } from './stats';

export type PipelineArgs = { pods: number; runs: number; profile: boolean };

const LONG_TX_MS = 30 * 60_000;
/** Another session restarting Postgres or Redis under us: retry the run rather than report it as the pipeline's. */
const ENVIRONMENT_ERROR = /terminating connection|Connection terminated|ECONNREFUSED|not queryable|Can't reach database|Server has closed the connection/i;

/** A first snapshot, the same objects pushed in full again, and the agent's "unchanged" notice for them. */
type Kind = 'first' | 'repush' | 'notice';
type PhaseProfile = { evaluateMs: number; dbMs: number; statements: number; top: StatementProfile[]; cpu?: CpuSummary };

export type PipelineResult = {
  size: string;
  pods: number;
  /** Runs completed; fewer than asked when one failed. */
  runs: number;
  failure: string | null;
  rawBytes: number;
  gzipBytes: number;
  findings: number;
  push: Record<Kind, Summary>;
  evaluate: Record<Kind, Summary>;
  /** push start until evaluateStoredSnapshot returns: findings and scores stored. */
  stored: Record<Kind, Summary>;
  bulkInsert: Summary;
  /** The same rows with RETURNING and their "opened" events, in one statement: what the proposed fix would cost. */
  bulkInsertWithEvents: Summary;
  /** stored(first) median / bulk insert median. */
  firstToBulk: number;
  /** stored(repush) median / stored(first) median: the whole cycle, intake (validation) included. */
  repushToFirst: number;
  /** evaluate(repush) median / evaluate(first) median: the evaluation and reconciliation alone. */
  evaluateRepushToFirst: number;
  /** stored(notice) median / stored(first) median: an unchanged collection as the agent sends it. */
  noticeToFirst: number;
  counts: Record<Kind, Record<string, number>> | null;
  /** From the last run: database time per statement shape, and with --profile where the CPU went. */
  profile: Record<Kind, PhaseProfile> | null;
};

function pushRequest(token: string, body: Buffer): Request {
  return new Request('http://bench.local/api/v1/snapshots', {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-encoding': 'gzip' },
    body: new Uint8Array(body),
  });
}

function noticeRequest(token: string, notice: { baseSnapshotId: string; contentDigest: string; collectedAt: string }): Request {
  return new Request('http://bench.local/api/v1/snapshots', {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': UNCHANGED_NOTICE_CONTENT_TYPE },
    body: JSON.stringify({ schemaVersion: 1, ...notice }),
  });
}

async function push(request: Request): Promise<string> {
  const response = await POST(request);
  const payload = await response.json() as { snapshotId?: string; error?: { message: string } };
  if (response.status !== 202 || !payload.snapshotId) throw new Error(`push answered ${response.status}: ${payload.error?.message ?? JSON.stringify(payload)}`);
  return payload.snapshotId;
}

async function newTenant(label: string): Promise<{ ctx: OrgContext; token: string }> {
  const slug = `bench-pipe-${label.toLowerCase()}-${randomBytes(3).toString('hex')}`;
  const org = await createOrganization({ name: `Bench ${label}`, slug, ownerEmail: `${slug}@bench.example` });
  const ctx = systemContext(org.id, 'bench', org.slug);
  const { token } = await createCluster(ctx, { name: 'bench' });
  return { ctx, token };
}

/** The snapshot at a later collection time: same objects, so every finding is seen again unchanged. */
function collectedLater(json: string, snapshot: Snapshot, minutes: number): string {
  const later = new Date(new Date(snapshot.collectedAt).getTime() + minutes * 60_000).toISOString();
  return json.replace(`"collectedAt":"${snapshot.collectedAt}"`, `"collectedAt":"${later}"`);
}

function bulkRows(snapshot: Snapshot, seenAt: Date): BulkFindingRow[] {
  const dueDays = { CRITICAL: 7, HIGH: 30, MEDIUM: 90, LOW: 180 } as const;
  return evaluate(snapshot, { now: seenAt }).findings.map((finding) => ({
    controlId: finding.controlId, fingerprint: finding.fingerprint, severity: toDbSeverity(finding.severity),
    resourceApiVersion: finding.resource.apiVersion, resourceKind: finding.resource.kind, resourceNamespace: finding.resource.namespace ?? null,
    resourceName: finding.resource.name, resourceUid: finding.resource.uid ?? null, message: finding.message, evidence: JSON.stringify(finding.evidence),
    isPlatform: finding.isPlatform, dueAt: new Date(seenAt.getTime() + dueDays[toDbSeverity(finding.severity)] * 86_400_000),
  }));
}

function phaseProfile(evaluateMs: number, queries: CapturedQuery[], cpu?: CpuSummary): PhaseProfile {
  return {
    evaluateMs,
    dbMs: busyMs(queries),
    statements: queries.length,
    top: profileStatements(queries).slice(0, 10),
    ...(cpu ? { cpu } : {}),
  };
}

type Cycle = { snapshotId: string; pushMs: number; evaluateMs: number; storedMs: number; outcome: EvaluationOutcome; profile: PhaseProfile };

/** One push and its evaluation, with every statement captured (and the CPU profiled when asked). */
async function cycle(ctx: OrgContext, request: () => Request, cpuProfile: boolean): Promise<Cycle> {
  const start = performance.now();
  const snapshotId = await push(request());
  const pushMs = since(start);
  startCapture();
  const evalStart = performance.now();
  let outcome: EvaluationOutcome;
  let cpu: CpuSummary | undefined;
  let queries: CapturedQuery[] = [];
  try {
    if (cpuProfile) [outcome, cpu] = await profileCpu(() => evaluateStoredSnapshot(ctx, snapshotId));
    else outcome = await evaluateStoredSnapshot(ctx, snapshotId);
  } finally {
    queries = stopCapture();
  }
  const evaluateMs = since(evalStart);
  if (outcome.outcome !== 'done') throw new Error(`evaluation was ${outcome.outcome}: ${outcome.reason}`);
  return { snapshotId, pushMs, evaluateMs, storedMs: since(start), outcome, profile: phaseProfile(evaluateMs, queries, cpu) };
}

export async function runPipeline({ pods, runs, profile }: PipelineArgs): Promise<PipelineResult> {
  const size = sizeName(pods);
  const { snapshot } = benchSnapshot(pods);
  const json = JSON.stringify(snapshot);
  const first = gzipSync(json);
  const rows = bulkRows(snapshot, new Date());

  // Warm-up on a small cluster: JIT, Prisma's query compiler, the pool and Redis connections.
  {
    const warm = benchSnapshot(SIZES.S).snapshot;
    const { ctx, token } = await newTenant(`${size}-warmup`);
    const warmJson = JSON.stringify(warm);
    await cycle(ctx, () => pushRequest(token, gzipSync(warmJson)), false);
    const again = await cycle(ctx, () => pushRequest(token, gzipSync(collectedLater(warmJson, warm, 5))), false);
    const collectedAt = new Date(new Date(warm.collectedAt).getTime() + 10 * 60_000).toISOString();
    await cycle(ctx, () => noticeRequest(token, { baseSnapshotId: again.snapshotId, contentDigest: snapshotBodyDigest(warm), collectedAt }), false);
  }

  const kinds = (): Record<Kind, number[]> => ({ first: [], repush: [], notice: [] });
  const samples = { push: kinds(), evaluate: kinds(), stored: kinds() };
  // The agent's digest of its snapshot (computed in the cluster, so outside the timed cycles).
  const digest = snapshotBodyDigest(snapshot);
  const bulk: number[] = [];
  const bulkEvents: number[] = [];
  let last: Record<Kind, Cycle> | undefined;
  let completed = 0;
  let failure: string | null = null;
  let retries = 2;
  for (let run = 0; run < runs; run++) {
    const { ctx, token } = await newTenant(`${size}-${run}`);
    const db = dbFor(ctx);
    // The floor first (so it is measured even if the pipeline fails): the same rows in one INSERT ... SELECT
    // FROM unnest into a second cluster of the same org, then again with RETURNING and the "opened" events.
    const baseline = await db.cluster.create({ data: { organizationId: ctx.organizationId, name: 'bench-baseline' }, select: { id: true } });
    // In a transaction of its own (as the tenant, like every tenant statement), with a timeout that fits L.
    const inTx = <T>(fn: (tx: TenantTx) => Promise<T>) => db.$transaction(fn, { timeout: LONG_TX_MS, maxWait: 60_000 });
    const [bulkMs, inserted] = await timed(() => inTx((tx) => bulkInsertFindings(tx, ctx.organizationId, baseline.id, rows, new Date())));
    if (inserted !== rows.length) throw new Error(`bulk insert wrote ${inserted} of ${rows.length} rows`);
    bulk.push(bulkMs);
    await inTx((tx) => deleteClusterFindings(tx, ctx.organizationId, baseline.id));
    const [eventsMs] = await timed(() => inTx((tx) => bulkInsertFindingsWithEvents(tx, ctx.organizationId, baseline.id, rows, new Date(), randomUUID())));
    bulkEvents.push(eventsMs);
    await inTx((tx) => deleteClusterFindings(tx, ctx.organizationId, baseline.id));

    const profileThis = profile && run === runs - 1;
    const started = performance.now();
    let stage = 'first snapshot';
    try {
      const firstCycle = await cycle(ctx, () => pushRequest(token, first), profileThis);
      stage = 'unchanged re-push';
      const repushCycle = await cycle(ctx, () => pushRequest(token, gzipSync(collectedLater(json, snapshot, 5 * (run + 1)))), profileThis);
      // What the agent sends for the next unchanged collection: a notice naming the snapshot just accepted.
      stage = 'unchanged notice';
      const collectedAt = new Date(new Date(snapshot.collectedAt).getTime() + (5 * (run + 1) + 1) * 60_000).toISOString();
      const noticeCycle = await cycle(ctx, () => noticeRequest(token, { baseSnapshotId: repushCycle.snapshotId, contentDigest: digest, collectedAt }), profileThis);
      for (const [kind, c] of [['first', firstCycle], ['repush', repushCycle], ['notice', noticeCycle]] as const) {
        samples.push[kind].push(c.pushMs);
        samples.evaluate[kind].push(c.evaluateMs);
        samples.stored[kind].push(c.storedMs);
      }
      progress(`pipeline ${size} run ${run + 1}/${runs}: first push ${firstCycle.pushMs.toFixed(0)} ms + evaluate ${firstCycle.evaluateMs.toFixed(0)} ms; `
        + `re-push ${repushCycle.pushMs.toFixed(0)} ms + evaluate ${repushCycle.evaluateMs.toFixed(0)} ms; `
        + `notice ${noticeCycle.pushMs.toFixed(0)} ms + evaluate ${noticeCycle.evaluateMs.toFixed(0)} ms; bulk insert ${bulkMs.toFixed(0)} ms (${rows.length} rows), with events ${eventsMs.toFixed(0)} ms`);
      last = { first: firstCycle, repush: repushCycle, notice: noticeCycle };
      completed += 1;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (ENVIRONMENT_ERROR.test(message) && retries-- > 0) {
        progress(`pipeline ${size} run ${run + 1}: the database went away (${message.slice(0, 80)}); retrying the run`);
        await new Promise((resolve) => setTimeout(resolve, 10_000));
        run -= 1;
        continue;
      }
      // Recorded, not thrown: a size the pipeline cannot handle is a result.
      failure = `run ${run + 1}, ${stage}: failed after ${(since(started) / 1000).toFixed(0)} s: ${message.replace(/\s+/g, ' ').slice(0, 400)}`;
      progress(`pipeline ${size} ${failure}`);
      break;
    }
  }
  const byKind = (values: Record<Kind, number[]>): Record<Kind, Summary> => ({ first: summarize(values.first), repush: summarize(values.repush), notice: summarize(values.notice) });
  const stored = byKind(samples.stored);
  const bulkInsert = summarize(bulk);
  const counts = (c: Cycle): Record<string, number> => (c.outcome.outcome === 'done'
    ? { total: c.outcome.total, opened: c.outcome.opened, resolved: c.outcome.resolved, reopened: c.outcome.reopened } : {});
  return {
    size,
    pods,
    runs: completed,
    failure,
    rawBytes: Buffer.byteLength(json),
    gzipBytes: first.length,
    findings: rows.length,
    push: byKind(samples.push),
    evaluate: byKind(samples.evaluate),
    stored,
    bulkInsert,
    bulkInsertWithEvents: summarize(bulkEvents),
    firstToBulk: stored.first.median / bulkInsert.median,
    repushToFirst: stored.repush.median / stored.first.median,
    evaluateRepushToFirst: summarize(samples.evaluate.repush).median / summarize(samples.evaluate.first).median,
    noticeToFirst: stored.notice.median / stored.first.median,
    counts: last ? { first: counts(last.first), repush: counts(last.repush), notice: counts(last.notice) } : null,
    profile: last ? { first: last.first.profile, repush: last.repush.profile, notice: last.notice.profile } : null,
  };
}
