import { createGunzip } from 'node:zlib';
import { Readable } from 'node:stream';
import { AppError } from '../../platform/errors';

export type BodyLimits = { maxCompressedBytes: number; maxDecompressedBytes: number };
export type DecodedBody = { raw: Buffer; compressed: Buffer | null };

export type WireBody = { wire: Buffer; gzip: boolean };

/**
 * Reads a request body as sent, cut off the moment it passes `maxBytes`. Only I/O: inflating and parsing are
 * left to the caller (a snapshot's go to the intake pool's threads, see intake-pool.ts).
 */
export async function readWire(body: ReadableStream<Uint8Array> | null, contentEncoding: string | null, maxBytes: number): Promise<WireBody> {
  if (!body) throw new AppError('invalid', 'Request body is empty');
  const encoding = (contentEncoding ?? 'identity').trim().toLowerCase();
  if (encoding !== 'gzip' && encoding !== 'identity') {
    throw new AppError('unsupported_media_type', `Content-Encoding "${encoding}" is not supported; send gzip or plain JSON`);
  }
  const received: Buffer[] = [];
  let receivedBytes = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    receivedBytes += value.byteLength;
    if (receivedBytes > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new AppError('too_large', `Request body exceeds ${maxBytes} bytes`);
    }
    received.push(Buffer.from(value));
  }
  const wire = Buffer.concat(received);
  if (wire.length === 0) throw new AppError('invalid', 'Request body is empty');
  return { wire, gzip: encoding === 'gzip' || (wire[0] === 0x1f && wire[1] === 0x8b) };
}

/**
 * Reads a request body with limits on both the bytes received and the bytes inflated. Gzip is inflated while
 * streaming and cut off the moment it passes the limit, so a gzip bomb never lands in memory whole. For small
 * bodies (a notice): it runs on the calling thread.
 */
export async function readBody(body: ReadableStream<Uint8Array> | null, contentEncoding: string | null, limits: BodyLimits): Promise<DecodedBody> {
  const { wire, gzip } = await readWire(body, contentEncoding, limits.maxCompressedBytes);
  if (!gzip) {
    if (wire.length > limits.maxDecompressedBytes) throw new AppError('too_large', `Snapshot exceeds ${limits.maxDecompressedBytes} bytes`);
    return { raw: wire, compressed: null };
  }
  return { raw: await gunzipBounded(wire, limits.maxDecompressedBytes), compressed: wire };
}

async function gunzipBounded(input: Buffer, maxBytes: number): Promise<Buffer> {
  const gunzip = createGunzip();
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of Readable.from([input]).pipe(gunzip)) {
      const buffer = chunk as Buffer;
      total += buffer.length;
      if (total > maxBytes) {
        gunzip.destroy();
        throw new AppError('too_large', `Decompressed snapshot exceeds ${maxBytes} bytes`);
      }
      chunks.push(buffer);
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('invalid', `Body is not valid gzip: ${(error as Error).message}`);
  }
  return Buffer.concat(chunks);
}
