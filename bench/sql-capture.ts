/**
 * Records every statement the process sends through `pg` (Prisma's adapter-pg included), with its parameters
 * and how long the round trip took. Used to EXPLAIN exactly what Prisma sends, and to profile the pipeline's
 * database work without touching lib/services/pipeline. Bench only: it patches pg.Client.prototype.query.
 */
import pg from 'pg';

export type CapturedQuery = { text: string; values: unknown[]; ms: number; rows: number | null; startedAt: number };

let recording: CapturedQuery[] | null = null;
let installed = false;

type QueryResultLike = { rowCount?: number | null } | undefined;
type Callback = (error: Error | null, result: QueryResultLike) => void;

function describe(args: unknown[]): { text: string; values: unknown[] } {
  const [first, second] = args;
  if (typeof first === 'string') return { text: first, values: Array.isArray(second) ? second : [] };
  const config = (first ?? {}) as { text?: string; values?: unknown[] };
  return { text: config.text ?? '', values: config.values ?? (Array.isArray(second) ? second : []) };
}

/** Patches pg once; queries are recorded only between startCapture() and stopCapture(). */
export function installCapture(): void {
  if (installed) return;
  installed = true;
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function patchedQuery(this: unknown, ...args: unknown[]) {
    const sink = recording;
    if (!sink) return original.apply(this, args);
    const { text, values } = describe(args);
    const startedAt = performance.now();
    const record = (result: QueryResultLike) => sink.push({ text, values, ms: performance.now() - startedAt, rows: result?.rowCount ?? null, startedAt });
    const last = args.at(-1);
    if (typeof last === 'function') {
      const callback = last as Callback;
      return original.apply(this, [...args.slice(0, -1), (error: Error | null, result: QueryResultLike) => { record(result); callback(error, result); }]);
    }
    const returned = original.apply(this, args);
    if (returned && typeof (returned as Promise<QueryResultLike>).then === 'function') {
      return (returned as Promise<QueryResultLike>).then((result) => { record(result); return result; });
    }
    return returned;
  };
}

export function startCapture(): void {
  installCapture();
  recording = [];
}

export function stopCapture(): CapturedQuery[] {
  const captured = recording ?? [];
  recording = null;
  return captured;
}

/** A statement's shape for grouping: parameters and long IN lists collapsed, whitespace squeezed. */
export function statementShape(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/\$\d+(, ?\$\d+)+/g, '$n...').trim();
}

export type StatementProfile = { statement: string; calls: number; totalMs: number; rows: number };

/**
 * Wall time during which at least one statement was in flight. Prisma may hand several statements of one
 * transaction to pg at once (pg queues them on the connection), so per-statement times overlap and their
 * sum overstates the database's share.
 */
export function busyMs(queries: readonly CapturedQuery[]): number {
  const spans = queries.map((q) => [q.startedAt, q.startedAt + q.ms] as const).sort((a, b) => a[0] - b[0]);
  let total = 0;
  let end = -Infinity;
  for (const [from, to] of spans) {
    if (from > end) { total += to - from; end = to; } else if (to > end) { total += to - end; end = to; }
  }
  return total;
}

/** Time per statement shape (including any wait in pg's per-connection queue), largest first. */
export function profileStatements(queries: readonly CapturedQuery[], width = 160): StatementProfile[] {
  const byShape = new Map<string, StatementProfile>();
  for (const query of queries) {
    const shape = statementShape(query.text);
    const entry = byShape.get(shape) ?? { statement: shape.slice(0, width), calls: 0, totalMs: 0, rows: 0 };
    entry.calls += 1;
    entry.totalMs += query.ms;
    entry.rows += query.rows ?? 0;
    byShape.set(shape, entry);
  }
  return [...byShape.values()].sort((a, b) => b.totalMs - a.totalMs);
}
