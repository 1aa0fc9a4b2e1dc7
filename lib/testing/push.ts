import { gzipSync } from 'node:zlib';
import type { Snapshot } from '../analysis/snapshot/schema';
import { resolveAgentToken } from '../platform/auth/agent-token-context';
import { ingestSnapshot, type IngestResult } from '../services/ingest/ingest-snapshot';

export function streamOf(bytes: Uint8Array): ReadableStream<Uint8Array> {
  return new ReadableStream({ start(controller) { controller.enqueue(bytes); controller.close(); } });
}

/** Pushes a snapshot the way the agent does (gzip, bearer token), through the same services as the route. */
export async function pushSnapshot(token: string, snapshot: Snapshot | string, options: { gzip?: boolean; idempotencyKey?: string } = {}): Promise<IngestResult> {
  const raw = Buffer.from(typeof snapshot === 'string' ? snapshot : JSON.stringify(snapshot));
  const gzip = options.gzip ?? true;
  const ctx = await resolveAgentToken(`Bearer ${token}`);
  return ingestSnapshot(ctx, {
    body: streamOf(gzip ? gzipSync(raw) : raw),
    contentEncoding: gzip ? 'gzip' : null,
    contentType: 'application/json',
    idempotencyKey: options.idempotencyKey ?? null,
  });
}
