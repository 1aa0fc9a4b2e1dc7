import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { canonicalJson } from '../../analysis/snapshot/canonical-json';
import type { NodeReport } from '../../analysis/snapshot/node-report';
import { parseNodeReport } from '../../analysis/snapshot/parse-node-report';
import type { SnapshotIssue } from '../../analysis/snapshot/parse';

/**
 * The CPU half of a node report intake, run in a thread of the intake pool like a snapshot's (intake-pool.ts):
 * inflate, JSON.parse, schema, credential finder, content digest. Data in, data out.
 */
export type ValidateNodeReportInput = { organizationId: string; wire: Uint8Array; gzip: boolean; maxDecompressedBytes: number };

export type ValidateNodeReportResult =
  | { ok: true; report: NodeReport; rawBytes: number; contentDigest: string }
  | { ok: false; code: 'invalid' | 'too_large'; message: string; issues: SnapshotIssue[] };

/** sha256 of the report without its collection time: two collections of an unchanged node share it. */
export function nodeReportDigest(report: NodeReport): string {
  const { collectedAt: _collectedAt, ...content } = report;
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}

export function validateNodeReportTask(input: ValidateNodeReportInput): ValidateNodeReportResult {
  const wire = Buffer.from(input.wire.buffer, input.wire.byteOffset, input.wire.byteLength);
  let raw: Buffer;
  if (input.gzip) {
    try {
      raw = gunzipSync(wire, { maxOutputLength: input.maxDecompressedBytes });
    } catch (error) {
      if (error instanceof RangeError || (error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') {
        return { ok: false, code: 'too_large', message: `Decompressed node report exceeds ${input.maxDecompressedBytes} bytes`, issues: [] };
      }
      return { ok: false, code: 'invalid', message: `Body is not valid gzip: ${(error as Error).message}`, issues: [] };
    }
  } else {
    if (wire.length > input.maxDecompressedBytes) return { ok: false, code: 'too_large', message: `Node report exceeds ${input.maxDecompressedBytes} bytes`, issues: [] };
    raw = wire;
  }
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch (error) {
    return { ok: false, code: 'invalid', message: `Body is not valid JSON: ${(error as Error).message}`, issues: [] };
  }
  const parsed = parseNodeReport(json);
  if (!parsed.ok) return { ok: false, code: 'invalid', message: 'Node report does not match bulwark.dev/node-report/v1', issues: parsed.issues };
  return { ok: true, report: parsed.report, rawBytes: raw.length, contentDigest: nodeReportDigest(parsed.report) };
}
