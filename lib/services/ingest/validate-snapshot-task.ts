import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { parseSnapshot, type SnapshotIssue } from '../../analysis/snapshot/parse';
import { RESOURCE_NAMES, type Snapshot } from '../../analysis/snapshot/schema';

/**
 * The CPU-heavy half of a snapshot intake, run in a worker thread of the intake pool (lib/services/ingest/intake-pool.ts):
 * inflate, hash, JSON.parse, schema validation and secret detection. Imports nothing with I/O or state (no env,
 * no database): data in, data out, so the thread is cheap to start and can be killed at any point.
 */
export type ValidateSnapshotInput = {
  /** Whose snapshot: for the pool's per-organization share (and a test's gate), never for the work itself. */
  organizationId: string;
  /** The body as received (gzip or plain JSON), transferred to the thread, not copied. */
  wire: Uint8Array;
  gzip: boolean;
  maxDecompressedBytes: number;
};

/** The snapshot without its objects (their counts instead): only this crosses back to the web thread. */
export type SnapshotSummary = Omit<Snapshot, 'objects'> & { objectCounts: Record<string, number> };

export type ValidateSnapshotResult =
  | { ok: true; contentSha256: string; rawBytes: number; body: Uint8Array; snapshot: SnapshotSummary }
  | { ok: false; code: 'invalid' | 'too_large'; message: string; issues: SnapshotIssue[] };

function inflate(wire: Uint8Array, maxBytes: number): Buffer | ValidateSnapshotResult {
  try {
    // zlib stops at maxOutputLength instead of filling memory: a gzip bomb is cut off where the limit is.
    return gunzipSync(wire, { maxOutputLength: maxBytes });
  } catch (error) {
    if (error instanceof RangeError || (error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') {
      return { ok: false, code: 'too_large', message: `Decompressed snapshot exceeds ${maxBytes} bytes`, issues: [] };
    }
    return { ok: false, code: 'invalid', message: `Body is not valid gzip: ${(error as Error).message}`, issues: [] };
  }
}

export function validateSnapshotTask(input: ValidateSnapshotInput): ValidateSnapshotResult {
  const wire = Buffer.from(input.wire.buffer, input.wire.byteOffset, input.wire.byteLength);
  let raw: Buffer;
  if (input.gzip) {
    const inflated = inflate(wire, input.maxDecompressedBytes);
    if (!Buffer.isBuffer(inflated)) return inflated;
    raw = inflated;
  } else {
    if (wire.length > input.maxDecompressedBytes) return { ok: false, code: 'too_large', message: `Snapshot exceeds ${input.maxDecompressedBytes} bytes`, issues: [] };
    raw = wire;
  }
  const contentSha256 = createHash('sha256').update(raw).digest('hex');
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch (error) {
    return { ok: false, code: 'invalid', message: `Body is not valid JSON: ${(error as Error).message}`, issues: [] };
  }
  const parsed = parseSnapshot(json);
  if (!parsed.ok) return { ok: false, code: 'invalid', message: 'Snapshot does not match schema version 1', issues: parsed.issues };
  const { objects, ...withoutObjects } = parsed.snapshot;
  // Stored compressed either way; a plain-JSON upload is compressed here rather than on the web thread.
  const body = input.gzip ? wire : gzipSync(raw);
  return {
    ok: true,
    contentSha256,
    rawBytes: raw.length,
    body: new Uint8Array(body.buffer, body.byteOffset, body.byteLength),
    snapshot: { ...withoutObjects, objectCounts: Object.fromEntries(RESOURCE_NAMES.map((name) => [name, objects[name]?.length ?? 0])) },
  };
}
