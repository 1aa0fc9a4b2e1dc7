/** Latency samples and failures per route, and the small statistics the report needs. */

export type Summary = { n: number; p50: number; p95: number; max: number; mean: number };
export type RouteErrors = { count: number; byStatus: Record<string, number>; firstBodies: string[] };

const FIRST_BODIES = 5;
const BODY_CHARS = 400;

/** Nearest-rank percentile of sorted samples (p in 0..100). */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))] ?? 0;
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.length ? sorted.reduce((sum, value) => sum + value, 0) / sorted.length : 0;
  return { n: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted.at(-1) ?? 0, mean };
}

export class Recorder {
  private readonly samples = new Map<string, number[]>();
  private readonly errors = new Map<string, RouteErrors>();

  /** A 2xx answer's latency. */
  ok(route: string, ms: number): void {
    const list = this.samples.get(route) ?? [];
    list.push(ms);
    this.samples.set(route, list);
  }

  /** A non-2xx answer (status 0: no answer at all, e.g. a refused connection or a timeout). */
  fail(route: string, status: number, body: string): void {
    const entry = this.errors.get(route) ?? { count: 0, byStatus: {}, firstBodies: [] };
    entry.count += 1;
    entry.byStatus[String(status)] = (entry.byStatus[String(status)] ?? 0) + 1;
    if (entry.firstBodies.length < FIRST_BODIES) entry.firstBodies.push(`${status} ${body.replace(/\s+/g, ' ').slice(0, BODY_CHARS)}`);
    this.errors.set(route, entry);
  }

  routes(): string[] {
    return [...new Set([...this.samples.keys(), ...this.errors.keys()])];
  }

  summary(route: string): Summary {
    return summarize(this.samples.get(route) ?? []);
  }

  errorsOf(route: string): RouteErrors {
    return this.errors.get(route) ?? { count: 0, byStatus: {}, firstBodies: [] };
  }

  totalErrors(): number {
    return [...this.errors.values()].reduce((sum, entry) => sum + entry.count, 0);
  }
}
