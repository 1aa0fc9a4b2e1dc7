import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { DEFAULT_SNAPSHOT_LIMITS, type SnapshotLimits } from './limits';

const gunzipAsync = promisify(gunzip);

export type DecodeSnapshotBodyResult =
  | { ok: true; json: unknown }
  | { ok: false; code: 'too_large' | 'invalid'; message: string };

/**
 * Turns an upload body (gzip or identity) into JSON within the size limits. It never inflates past
 * `maxDecompressedBytes`: zlib stops there instead of filling memory. Validation is parseSnapshot's job.
 */
export async function decodeSnapshotBody(
  body: Uint8Array,
  contentEncoding: string | null | undefined,
  limits: SnapshotLimits = DEFAULT_SNAPSHOT_LIMITS,
): Promise<DecodeSnapshotBodyResult> {
  if (body.byteLength > limits.maxCompressedBytes) {
    return { ok: false, code: 'too_large', message: `body is ${body.byteLength} bytes; the limit is ${limits.maxCompressedBytes}` };
  }
  const encoding = (contentEncoding ?? 'identity').trim().toLowerCase();
  let text: string;
  if (encoding === 'gzip') {
    try {
      const inflated = await gunzipAsync(body, { maxOutputLength: limits.maxDecompressedBytes });
      text = inflated.toString('utf8');
    } catch (error) {
      if (error instanceof RangeError || (error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') {
        return { ok: false, code: 'too_large', message: `decompressed body exceeds ${limits.maxDecompressedBytes} bytes` };
      }
      return { ok: false, code: 'invalid', message: 'body is not valid gzip' };
    }
  } else if (encoding === 'identity') {
    text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  } else {
    return { ok: false, code: 'invalid', message: `unsupported Content-Encoding "${encoding}"; use gzip` };
  }
  try {
    return { ok: true, json: JSON.parse(text) };
  } catch {
    return { ok: false, code: 'invalid', message: 'body is not valid JSON' };
  }
}
