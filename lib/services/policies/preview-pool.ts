import path from 'node:path';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { AppError } from '../../platform/errors';
import { logger } from '../../platform/log';
import type { PreviewTaskInput, PreviewTaskResult } from './preview-task';

const log = logger.child({ component: 'preview-pool' });

/*
 * Why a pool of worker threads for previews (issue 23): a preview inflates and parses a cluster's stored snapshot
 * (an L cluster is about 90 MiB of JSON: seconds of CPU) and runs a draft rule over every object. On the web
 * server's event loop that time is stolen from every request of every organization. In a thread the event loop
 * only reads the bytes from Postgres and waits.
 *
 * The same library and shape as the snapshot intake's pool (lib/services/ingest/intake-pool.ts), but its own
 * threads: a burst of previews never delays an agent's upload, and an upload never delays a preview.
 *
 * Bounds:
 * - one preview per organization at a time in this process; a second one while the first runs is refused with 429
 *   and Retry-After (an admin double-clicking, a script looping), never queued behind it;
 * - a bounded queue for the whole pool (threads + maxQueue tasks): beyond it, 503 with Retry-After;
 * - a wall-clock limit per cluster (counted from the moment a thread starts the task): the thread is terminated
 *   and replaced, so even a single object whose CEL evaluation never yields is stopped (the CEL library cannot be
 *   interrupted in the same thread; see docs/custom-controls.md). The cluster's result says so;
 * - a heap limit per thread (resourceLimits); a preview that needs more is reported on its cluster the same way;
 * - inside the thread the rule's own CEL time limits (per object, per control) still apply (lib/analysis/cel/run.ts).
 */

export type PreviewPoolOptions = {
  /** The worker script; the default is lib/services/policies/preview-worker.mjs. Tests pass a gated one. */
  filename?: string;
  threads?: number;
  /** Tasks waiting for a thread beyond which the pool answers 503. */
  maxQueue?: number;
  taskTimeoutMs?: number;
  maxMemoryMb?: number;
  workerData?: unknown;
};

type PreviewTask = PreviewTaskInput & { started: MessagePort };

/** One cluster's outcome: the task's result, or why the pool stopped it. */
export type PreviewTaskOutcome = { ok: true; result: PreviewTaskResult } | { ok: false; reason: string };

export class PreviewPool {
  readonly threads: number;
  readonly taskTimeoutMs: number;
  readonly maxMemoryMb: number;
  private readonly piscina: Piscina<PreviewTask, PreviewTaskResult>;
  private readonly maxQueue: number;
  /** Organizations with a preview in progress in this process. */
  private readonly running = new Set<string>();
  /** Tasks handed to a thread or waiting for one. */
  private tasks = 0;

  constructor(options: PreviewPoolOptions = {}) {
    this.threads = options.threads ?? 2;
    this.taskTimeoutMs = options.taskTimeoutMs ?? 20_000;
    this.maxMemoryMb = options.maxMemoryMb ?? 768;
    // Counted here, not by Piscina's maxQueue: Piscina keeps tasks that carry an AbortSignal in a second queue that
    // its limit does not count (piscina 5), so the bound would never answer.
    this.maxQueue = options.maxQueue ?? this.threads * 2;
    this.piscina = new Piscina({
      // Resolved from the working directory, not this module (Next.js bundles this file; the worker stays in lib/).
      filename: options.filename ?? path.join(process.cwd(), 'lib/services/policies/preview-worker.mjs'),
      // Previews are occasional: one thread stays up (starting one compiles the task with tsx), more on demand.
      minThreads: 1,
      maxThreads: this.threads,
      idleTimeout: 60_000,
      resourceLimits: { maxOldGenerationSizeMb: this.maxMemoryMb },
      workerData: options.workerData,
    });
  }

  /**
   * Runs `work` as the organization's one preview: 429 with Retry-After when the organization already has one in
   * progress in this process. `work` calls `run` once per cluster.
   */
  async exclusive<T>(organizationId: string, work: () => Promise<T>): Promise<T> {
    if (this.running.has(organizationId)) {
      throw new AppError('rate_limited', 'A preview of this organization is already running; retry when it has finished', [], { 'Retry-After': '5' });
    }
    this.running.add(organizationId);
    try {
      return await work();
    } finally {
      this.running.delete(organizationId);
    }
  }

  /**
   * Runs one cluster's preview in a thread. Resolves with the result, or with the reason the pool stopped it (time
   * or memory limit); throws AppError 503 with Retry-After when every thread is busy and the queue is full.
   */
  async run(input: PreviewTaskInput): Promise<PreviewTaskOutcome> {
    if (this.tasks >= this.threads + this.maxQueue) {
      throw new AppError('unavailable', 'Previews are busy (every preview thread is in use); retry in a few seconds', [], { 'Retry-After': '5' });
    }
    // A copy only when the bytes share their memory (a small Buffer lives in Node's shared slab).
    const body = input.body.byteOffset === 0 && input.body.byteLength === input.body.buffer.byteLength ? input.body : new Uint8Array(input.body);
    const { port1, port2 } = new MessageChannel();
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    port1.once('message', () => { timer = setTimeout(() => controller.abort(), this.taskTimeoutMs); });
    this.tasks += 1;
    try {
      const task: PreviewTask = { ...input, body, started: port2 };
      const result = await this.piscina.run(task, { transferList: [body.buffer as ArrayBuffer, port2], signal: controller.signal });
      return { ok: true, result };
    } catch (error) {
      const { name, code } = error as { name?: string; code?: string };
      if (name === 'AbortError') {
        log.warn({ organizationId: input.organizationId, timeoutMs: this.taskTimeoutMs }, 'preview timed out; its thread was terminated');
        return { ok: false, reason: `the preview did not finish within ${Math.round(this.taskTimeoutMs / 1000)} s (its time limit per cluster) and was stopped; narrow the match or simplify the expressions` };
      }
      if (code === 'ERR_WORKER_OUT_OF_MEMORY') {
        log.warn({ organizationId: input.organizationId, maxMemoryMb: this.maxMemoryMb }, 'preview ran out of memory; its thread was replaced');
        return { ok: false, reason: `the preview needed more than ${this.maxMemoryMb} MiB of memory and was stopped` };
      }
      throw error;
    } finally {
      this.tasks -= 1;
      clearTimeout(timer);
      port1.close();
    }
  }

  /** Tasks running or waiting for a thread (tests watch it; nothing else should). */
  inProgress(): number {
    return this.tasks;
  }

  /** Organizations with a preview in progress (tests watch it; nothing else should). */
  isRunning(organizationId: string): boolean {
    return this.running.has(organizationId);
  }

  async close(): Promise<void> {
    await this.piscina.destroy();
  }
}

const globalForPool = globalThis as unknown as { bulwarkPreviewPool?: PreviewPool };

/** The process's preview pool, started on first use (Next.js dev reloads modules, so it lives on globalThis). */
export function previewPool(): PreviewPool {
  globalForPool.bulwarkPreviewPool ??= new PreviewPool();
  return globalForPool.bulwarkPreviewPool;
}

/** Replaces the process's pool (tests: a gated worker script); closes the one it replaces. */
export async function replacePreviewPoolForTests(pool: PreviewPool | undefined): Promise<void> {
  const previous = globalForPool.bulwarkPreviewPool;
  globalForPool.bulwarkPreviewPool = pool;
  if (previous && previous !== pool) await previous.close();
}
