import os from 'node:os';
import path from 'node:path';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { AppError } from '../../platform/errors';
import { env } from '../../platform/env';
import { logger } from '../../platform/log';
import type { ValidateSnapshotInput, ValidateSnapshotResult } from './validate-snapshot-task';
import type { ValidateNodeReportInput, ValidateNodeReportResult } from './validate-node-report-task';

const log = logger.child({ component: 'intake-pool' });

/*
 * Why a pool of worker threads (and not "store first, validate in the BullMQ worker"): inflating, parsing,
 * validating and scanning a snapshot for secrets costs 30-50 ms of CPU for 1,000 pods on a quiet machine
 * (bench/LOAD.md); measured on 2026-12-06 at load average 16 on 2 cores: 0.3 s for 1,000 pods (1.8 MiB of JSON),
 * 2.8 s for 10,000 (17.8 MiB), and a hostile body can cost more. On the web server's event loop that time is stolen from
 * every other request of every tenant (issue 16: an 80,000-letter annotation stalled the whole app for 6 s).
 * In a thread the event loop only reads the bytes and waits. The agent's contract stays as it is: a bad
 * snapshot is still refused with 400 and its JSON paths before anything is stored, and nothing unvalidated
 * ever lands in the database or the queue. Storing first would have saved that CPU on the web tier too, but
 * every refusal would become an asynchronous state the agent must poll for.
 *
 * Bounds: threads from the CPU count (at least two, so one slow task never holds the only thread); each
 * organization gets at most all but one of them at a time in this process, so another tenant always finds a
 * thread free of its neighbour's work; a per-task time limit (the thread is terminated and replaced) and a
 * heap limit per thread (resourceLimits).
 */

export type IntakePoolOptions = {
  /** The worker script; the default is lib/services/ingest/intake-worker.mjs. Tests pass a gated one. */
  filename?: string;
  threads?: number;
  taskTimeoutMs?: number;
  maxMemoryMb?: number;
  workerData?: unknown;
};

/** What a thread receives: the task's input and a port to announce that it started (intake-worker.mjs). */
type IntakeTask = (ValidateSnapshotInput | ValidateNodeReportInput) & { started: MessagePort; task?: 'snapshot' | 'node-report' };
type IntakeResult = ValidateSnapshotResult | ValidateNodeReportResult;

type OrgShare = { active: number; waiting: (() => void)[] };

export class IntakePool {
  readonly threads: number;
  /** How many tasks of one organization this process runs at once. */
  readonly perOrganization: number;
  private readonly piscina: Piscina<IntakeTask, IntakeResult>;
  private readonly taskTimeoutMs: number;
  private readonly maxMemoryMb: number;
  private readonly shares = new Map<string, OrgShare>();

  constructor(options: IntakePoolOptions = {}) {
    this.threads = options.threads || Math.max(2, os.availableParallelism());
    this.perOrganization = Math.max(1, this.threads - 1);
    this.taskTimeoutMs = options.taskTimeoutMs ?? 30_000;
    this.maxMemoryMb = options.maxMemoryMb ?? 1024;
    this.piscina = new Piscina({
      // Resolved from the working directory, not this module: Next.js bundles this file into .next/, the
      // worker script stays in lib/ (the image ships the whole tree, see Dockerfile).
      filename: options.filename ?? path.join(process.cwd(), 'lib/services/ingest/intake-worker.mjs'),
      minThreads: this.threads,
      maxThreads: this.threads,
      // Threads stay up: starting one (tsx compiling the schema) costs more than a snapshot's validation.
      idleTimeout: 2 ** 31 - 1,
      maxQueue: this.threads * 64,
      resourceLimits: { maxOldGenerationSizeMb: this.maxMemoryMb },
      workerData: options.workerData,
    });
  }

  /**
   * Validates one snapshot body in a worker thread. Resolves with the thread's verdict; throws AppError 503 when
   * the task did not finish in time or the pool is full, 413 when it needed more memory than a thread may use.
   */
  async validate(input: ValidateSnapshotInput): Promise<ValidateSnapshotResult> {
    return (await this.run(input, 'snapshot')) as ValidateSnapshotResult;
  }

  /** Validates one node report body in a worker thread (the same threads, shares and limits as snapshots). */
  async validateNodeReport(input: ValidateNodeReportInput): Promise<ValidateNodeReportResult> {
    return (await this.run(input, 'node-report')) as ValidateNodeReportResult;
  }

  private async run(input: ValidateSnapshotInput | ValidateNodeReportInput, kind: 'snapshot' | 'node-report'): Promise<IntakeResult> {
    await this.acquire(input.organizationId);
    try {
      // A copy only when the bytes share their memory (a small Buffer lives in Node's shared slab): transferring
      // that slab would pull it out from under unrelated buffers.
      const wire = input.wire.byteOffset === 0 && input.wire.byteLength === input.wire.buffer.byteLength ? input.wire : new Uint8Array(input.wire);
      // The thread says when it starts the task; the time limit runs from then, so a task that waited for a
      // thread (or for a replacement thread to load) is not cut short for it.
      const { port1, port2 } = new MessageChannel();
      const controller = new AbortController();
      let timer: NodeJS.Timeout | undefined;
      port1.once('message', () => { timer = setTimeout(() => controller.abort(), this.taskTimeoutMs); });
      try {
        const task: IntakeTask = { ...input, wire, started: port2, task: kind };
        return await this.piscina.run(task, { transferList: [wire.buffer as ArrayBuffer, port2], signal: controller.signal });
      } finally {
        clearTimeout(timer);
        port1.close();
      }
    } catch (error) {
      throw this.translate(error, input.organizationId);
    } finally {
      this.release(input.organizationId);
    }
  }

  private translate(error: unknown, organizationId: string): unknown {
    const { name, code, message } = error as { name?: string; code?: string; message?: string };
    if (name === 'AbortError') {
      log.warn({ organizationId, timeoutMs: this.taskTimeoutMs }, 'snapshot validation timed out; its thread was terminated');
      const seconds = Math.round(this.taskTimeoutMs / 1000);
      return new AppError('unavailable', `Snapshot validation did not finish within ${seconds} s; retry later`, [], { 'Retry-After': String(Math.max(1, seconds)) });
    }
    if (code === 'ERR_WORKER_OUT_OF_MEMORY') {
      log.warn({ organizationId, maxMemoryMb: this.maxMemoryMb }, 'snapshot validation ran out of memory; its thread was replaced');
      return new AppError('too_large', `Snapshot needs more than ${this.maxMemoryMb} MiB of memory to validate`);
    }
    if (message === 'Task queue is at limit') {
      return new AppError('unavailable', 'The snapshot intake is busy; retry later', [], { 'Retry-After': '5' });
    }
    return error;
  }

  // A per-key semaphore in a few lines, written here because it is this small and must sit exactly around run().
  private async acquire(organizationId: string): Promise<void> {
    const share = this.shares.get(organizationId) ?? { active: 0, waiting: [] };
    this.shares.set(organizationId, share);
    if (share.active < this.perOrganization) {
      share.active += 1;
      return;
    }
    await new Promise<void>((resolve) => share.waiting.push(resolve));
  }

  private release(organizationId: string): void {
    const share = this.shares.get(organizationId);
    if (!share) return;
    const next = share.waiting.shift();
    if (next) return next(); // the slot passes straight to the next waiting task of the same organization
    share.active -= 1;
    if (share.active === 0) this.shares.delete(organizationId);
  }

  /** Tasks of this organization running or waiting for a thread (tests watch it; nothing else should). */
  pending(organizationId: string): number {
    const share = this.shares.get(organizationId);
    return share ? share.active + share.waiting.length : 0;
  }

  async close(): Promise<void> {
    await this.piscina.destroy();
  }
}

const globalForPool = globalThis as unknown as { bulwarkIntakePool?: IntakePool };

/** The process's intake pool, started on first use (Next.js dev reloads modules, so it lives on globalThis). */
export function intakePool(): IntakePool {
  globalForPool.bulwarkIntakePool ??= new IntakePool({
    threads: env().INGEST_POOL_THREADS,
    taskTimeoutMs: env().INGEST_TASK_TIMEOUT_MS,
    maxMemoryMb: env().INGEST_TASK_MAX_MEMORY_MB,
  });
  return globalForPool.bulwarkIntakePool;
}

/** Replaces the process's pool (tests: a gated worker script); closes the one it replaces. */
export async function replaceIntakePoolForTests(pool: IntakePool | undefined): Promise<void> {
  const previous = globalForPool.bulwarkIntakePool;
  globalForPool.bulwarkIntakePool = pool;
  if (previous && previous !== pool) await previous.close();
}
