import { setTimeout as delay } from 'node:timers/promises';
import { gzipSync } from 'node:zlib';
import { snapshotIdempotencyKey } from '@/lib/analysis/snapshot/build';
import { MAX_SNAPSHOT_COMPRESSED_BYTES } from '@/lib/analysis/snapshot/limits';
import type { Snapshot } from '@/lib/analysis/snapshot/schema';
import { UNCHANGED_NOTICE_CONTENT_TYPE, type UnchangedNotice } from '@/lib/analysis/snapshot/unchanged-notice';
import type { Logger } from './log';

export type PushConfig = {
  server: string;
  token: string;
  log: Logger;
  /** Per request, including reading the answer. */
  timeoutMs?: number;
  /** Attempts for one snapshot before it waits in the spool for the next round. */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** The longest Retry-After the agent will honour; a server asking for longer gets this. */
  maxRetryAfterMs?: number;
  signal?: AbortSignal;
  fetch?: typeof fetch;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  /**
   * When the cluster did not change since the last snapshot the server accepted, send a small notice naming it
   * instead of the whole snapshot (default true; `--no-unchanged-notice` turns it off).
   */
  unchangedNotice?: boolean;
};

export type AttemptOutcome =
  | { kind: 'delivered'; status: number; body: unknown }
  | { kind: 'retry'; reason: string; retryAfterMs?: number }
  | { kind: 'rejected'; status: number; message: string }
  | { kind: 'aborted' };
export type PushOutcome = Exclude<AttemptOutcome, { kind: 'retry' }> | { kind: 'unavailable'; reason: string; attempts: number };

export class SnapshotTooLargeError extends Error {
  override readonly name = 'SnapshotTooLargeError';
}

/** The exact bytes the agent sends (gzipped JSON) and the idempotency key that goes with them. */
export function encodeSnapshot(snapshot: Snapshot, maxCompressedBytes = MAX_SNAPSHOT_COMPRESSED_BYTES): { json: string; body: Buffer; idempotencyKey: string } {
  const json = JSON.stringify(snapshot);
  const body = gzipSync(json);
  if (body.byteLength > maxCompressedBytes) {
    throw new SnapshotTooLargeError(`the snapshot is ${body.byteLength} bytes compressed; the server accepts at most ${maxCompressedBytes}`);
  }
  return { json, body, idempotencyKey: snapshotIdempotencyKey(snapshot) };
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

// The error shape every Bulwark route answers with: { error: { code, message } }.
function serverMessage(body: unknown, text: string): string {
  const error = (body as { error?: { message?: unknown; code?: unknown } } | null)?.error;
  if (error && typeof error.message === 'string') return typeof error.code === 'string' ? `${error.code}: ${error.message}` : error.message;
  return text.trim().slice(0, 500) || '(no message)';
}

function describeNetworkError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return `no answer within ${timeoutMs} ms`;
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (cause && typeof cause.code === 'string') return cause.code;
  return error instanceof Error ? error.message : String(error);
}

type IntakeRequest = { contentType: string; contentEncoding?: string; body: Uint8Array; idempotencyKey: string; path?: string };

/** One POST to the snapshot intake, classified: delivered, worth retrying, or rejected for good. */
async function post(request: IntakeRequest, config: PushConfig): Promise<AttemptOutcome> {
  const timeoutMs = config.timeoutMs ?? 30_000;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = config.signal ? AbortSignal.any([config.signal, timeout]) : timeout;
  const url = `${config.server.replace(/\/+$/, '')}${request.path ?? '/api/v1/snapshots'}`;
  try {
    const response = await (config.fetch ?? fetch)(url, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${config.token}`,
        'Content-Type': request.contentType,
        ...(request.contentEncoding ? { 'Content-Encoding': request.contentEncoding } : {}),
        'Idempotency-Key': request.idempotencyKey,
      },
      body: new Uint8Array(request.body), // a copy typed on a plain ArrayBuffer, which is what fetch's types accept
      signal,
      // A redirect could carry the bearer token to another host; the server URL must be the final one.
      redirect: 'manual',
    });
    const text = await response.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    if (response.status >= 200 && response.status < 300) return { kind: 'delivered', status: response.status, body: json ?? text };
    if (response.status === 408 || response.status === 429 || response.status >= 500) {
      return { kind: 'retry', reason: `HTTP ${response.status}`, retryAfterMs: parseRetryAfter(response.headers.get('retry-after')) };
    }
    if (response.status >= 300 && response.status < 400) {
      return { kind: 'rejected', status: response.status, message: `the server redirected to ${response.headers.get('location') ?? '(nowhere)'}; use that URL as --server` };
    }
    return { kind: 'rejected', status: response.status, message: serverMessage(json, text) };
  } catch (error) {
    if (config.signal?.aborted) return { kind: 'aborted' };
    return { kind: 'retry', reason: describeNetworkError(error, timeoutMs) };
  }
}

/** One POST of an encoded snapshot (gzipped JSON). */
export function sendSnapshot(body: Uint8Array, idempotencyKey: string, config: PushConfig): Promise<AttemptOutcome> {
  return post({ contentType: 'application/json', contentEncoding: 'gzip', body, idempotencyKey }, config);
}

/** One POST of a node report (gzipped JSON) to its own intake, POST /api/v1/node-reports. */
export function sendNodeReport(body: Uint8Array, idempotencyKey: string, config: PushConfig): Promise<AttemptOutcome> {
  return post({ contentType: 'application/json', contentEncoding: 'gzip', body, idempotencyKey, path: '/api/v1/node-reports' }, config);
}

/**
 * One POST of an unchanged notice: plain JSON of a few hundred bytes, under the idempotency key of the collection
 * it stands for. A 409 means the server cannot use the base; the caller then sends the full snapshot.
 */
export function sendUnchangedNotice(notice: UnchangedNotice, idempotencyKey: string, config: PushConfig): Promise<AttemptOutcome> {
  return post({ contentType: UNCHANGED_NOTICE_CONTENT_TYPE, body: Buffer.from(JSON.stringify(notice)), idempotencyKey }, config);
}

const abortableSleep = async (ms: number, signal?: AbortSignal): Promise<void> => {
  await delay(ms, undefined, { signal }).catch(() => undefined);
};

/**
 * Repeats one send (a snapshot or a notice), retrying network errors, 5xx, 408 and 429 with exponential backoff
 * and full jitter (or the server's Retry-After). Other 4xx are final: retrying the same bytes can't change the answer.
 */
export async function withRetry(send: () => Promise<AttemptOutcome>, idempotencyKey: string, config: PushConfig): Promise<PushOutcome> {
  const maxAttempts = config.maxAttempts ?? 6;
  const baseDelayMs = config.baseDelayMs ?? 1000;
  const maxDelayMs = config.maxDelayMs ?? 60_000;
  const maxRetryAfterMs = config.maxRetryAfterMs ?? 300_000;
  const sleep = config.sleep ?? abortableSleep;
  const random = config.random ?? Math.random;

  for (let attempt = 1; ; attempt += 1) {
    const outcome = await send();
    if (outcome.kind !== 'retry') return outcome;
    if (attempt >= maxAttempts) return { kind: 'unavailable', reason: outcome.reason, attempts: attempt };
    const backoff = Math.floor(random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1)));
    const waitMs = outcome.retryAfterMs !== undefined ? Math.min(outcome.retryAfterMs, maxRetryAfterMs) : backoff;
    config.log.warn('push failed, retrying', { reason: outcome.reason, attempt, maxAttempts, waitMs, idempotencyKey });
    await sleep(waitMs, config.signal);
    if (config.signal?.aborted) return { kind: 'aborted' };
  }
}

/** Sends one encoded snapshot, with withRetry's retries. */
export function pushWithRetry(body: Uint8Array, idempotencyKey: string, config: PushConfig): Promise<PushOutcome> {
  return withRetry(() => sendSnapshot(body, idempotencyKey, config), idempotencyKey, config);
}

/** Sends one unchanged notice, with withRetry's retries (the same policy as a full push). */
export function pushUnchangedNotice(notice: UnchangedNotice, idempotencyKey: string, config: PushConfig): Promise<PushOutcome> {
  return withRetry(() => sendUnchangedNotice(notice, idempotencyKey, config), idempotencyKey, config);
}
