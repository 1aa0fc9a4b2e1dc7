import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeSnapshotBody } from './decode';

const limits = { maxCompressedBytes: 10_000, maxDecompressedBytes: 50_000 };

describe('decodeSnapshotBody', () => {
  it('reads gzip and plain JSON', async () => {
    expect(await decodeSnapshotBody(gzipSync('{"a":1}'), 'gzip', limits)).toEqual({ ok: true, json: { a: 1 } });
    expect(await decodeSnapshotBody(Buffer.from('{"a":1}'), null, limits)).toEqual({ ok: true, json: { a: 1 } });
  });

  it('stops inflating a small body that expands past the limit', async () => {
    const bomb = gzipSync(Buffer.alloc(1_000_000, 0x20));
    expect(bomb.byteLength).toBeLessThan(limits.maxCompressedBytes);
    expect(await decodeSnapshotBody(bomb, 'gzip', limits)).toMatchObject({ ok: false, code: 'too_large' });
  });

  it('refuses an oversized body, bad gzip, bad JSON and unknown encodings', async () => {
    expect(await decodeSnapshotBody(Buffer.alloc(10_001), 'gzip', limits)).toMatchObject({ ok: false, code: 'too_large' });
    expect(await decodeSnapshotBody(Buffer.from('nope'), 'gzip', limits)).toMatchObject({ ok: false, code: 'invalid' });
    expect(await decodeSnapshotBody(Buffer.from('{'), 'identity', limits)).toMatchObject({ ok: false, code: 'invalid' });
    expect(await decodeSnapshotBody(Buffer.from('{}'), 'br', limits)).toMatchObject({ ok: false, code: 'invalid' });
  });
});
