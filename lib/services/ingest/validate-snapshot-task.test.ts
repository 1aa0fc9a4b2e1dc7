import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { namespace, pod, snapshotOf } from '../../testing/k8s';
import { validateSnapshotTask } from './validate-snapshot-task';

const LIMIT = 1024 * 1024;
const json = JSON.stringify(snapshotOf([namespace('shop'), pod({ namespace: 'shop', name: 'api' })], { collectedAt: '2026-04-01T00:00:00Z', clusterUid: 'uid-task' }));
const run = (wire: Uint8Array, gzip: boolean) => validateSnapshotTask({ organizationId: 'org', wire, gzip, maxDecompressedBytes: LIMIT });

describe('validateSnapshotTask (the work of an intake thread)', () => {
  it('returns what the intake stores: the gzip body as sent, the digest of the JSON and the counts, not the objects', () => {
    const wire = gzipSync(json);
    const result = run(wire, true);
    if (!result.ok) throw new Error(result.message);
    expect(Buffer.from(result.body).equals(wire)).toBe(true);
    expect(result.contentSha256).toBe(createHash('sha256').update(json).digest('hex'));
    expect(result.rawBytes).toBe(Buffer.byteLength(json));
    expect(result.snapshot).toMatchObject({ collectedAt: '2026-04-01T00:00:00Z', cluster: { uid: 'uid-task' }, objectCounts: { pods: 1, namespaces: 1 } });
    expect(result.snapshot).not.toHaveProperty('objects');
  });

  it('compresses a plain JSON upload for storage', () => {
    const result = run(Buffer.from(json), false);
    if (!result.ok) throw new Error(result.message);
    expect(gunzipSync(result.body).toString('utf8')).toBe(json);
  });

  it('cuts off a gzip bomb at the decompressed limit', () => {
    expect(run(gzipSync(Buffer.alloc(LIMIT * 4)), true)).toMatchObject({ ok: false, code: 'too_large', message: `Decompressed snapshot exceeds ${LIMIT} bytes` });
  });

  it('names what is wrong: bad gzip, bad JSON, and schema problems by JSON path', () => {
    expect(run(gzipSync(json).subarray(0, 20), true)).toMatchObject({ ok: false, code: 'invalid', message: expect.stringMatching(/not valid gzip/) });
    expect(run(Buffer.from('{"schemaVersion": 1,'), false)).toMatchObject({ ok: false, code: 'invalid', message: expect.stringMatching(/not valid JSON/) });
    const bad = JSON.parse(json) as { schemaVersion: number };
    bad.schemaVersion = 99;
    const result = run(Buffer.from(JSON.stringify(bad)), false);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.map((issue) => issue.path)).toContain('schemaVersion');
  });
});
