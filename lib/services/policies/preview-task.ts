import { gunzipSync } from 'node:zlib';
import { CEL_TIME_LIMITS, compileRule, runRule, type CelLimits, type RuleSpec } from '../../analysis/cel';
import type { Snapshot } from '../../analysis/snapshot/schema';

/**
 * The CPU-heavy half of a preview (preview.ts), run in a thread of the preview pool (preview-pool.ts): inflate and
 * parse one cluster's stored snapshot, compile the draft and run it under the CEL time limits. Imports nothing with
 * I/O or state: data in, data out, so the pool may terminate the thread at any point.
 */
export type PreviewTaskInput = {
  /** Whose preview: for the pool's per-organization share (and a test's gate), never for the work itself. */
  organizationId: string;
  rule: RuleSpec;
  params: Record<string, unknown>;
  /** The stored snapshot body (gzip JSON), transferred to the thread. */
  body: Uint8Array;
  limits?: CelLimits;
};

const MAX_LISTED = 200;

export type PreviewTaskResult = {
  evaluated: number;
  failing: { kind: string; namespace: string | null; name: string; message: string }[];
  failingTotal: number;
  errors: { resource: string | null; message: string }[];
  notCollected: string[];
  stopped: boolean;
};

export function previewTask(input: PreviewTaskInput): PreviewTaskResult {
  // Compiled again here (the web thread compiled it to answer 400s): a compiled program cannot cross threads.
  const compiled = compileRule(input.rule);
  if (!compiled.ok) return { evaluated: 0, failing: [], failingTotal: 0, errors: compiled.errors.map((e) => ({ resource: null, message: `${e.field}: ${e.message}` })), notCollected: [], stopped: false };
  const body = Buffer.from(input.body.buffer, input.body.byteOffset, input.body.byteLength);
  // Validated at intake and stored by us, as the pipeline reads it.
  const snapshot = JSON.parse(gunzipSync(body).toString('utf8')) as Snapshot;
  const collection = snapshot.collection as Record<string, { status: string } | undefined>;
  const run = runRule(compiled.rule, {
    objects: snapshot.objects,
    isCollected: (resource) => snapshot.objects[resource] !== undefined && (collection[resource]?.status ?? 'collected') === 'collected',
    params: input.params,
    includePlatform: false,
    limits: input.limits ?? CEL_TIME_LIMITS,
  });
  return {
    evaluated: run.evaluated,
    failing: run.violations.slice(0, MAX_LISTED).map((v) => ({ kind: v.ref.kind, namespace: v.ref.namespace, name: v.ref.name, message: v.message })),
    failingTotal: run.violations.length,
    errors: run.errors.slice(0, 50).map((e) => ({ resource: e.ref ? `${e.ref.kind} ${e.ref.namespace ? `${e.ref.namespace}/` : ''}${e.ref.name}` : null, message: e.message })),
    notCollected: run.notCollected,
    stopped: run.stopped,
  };
}
