/** Small statistics and timing helpers shared by every benchmark phase. */

export type Summary = { n: number; median: number; min: number; max: number; p50: number; p95: number };

/** Nearest-rank percentile of sorted samples (p in 0..100). */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))] ?? 0;
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  const median = sorted.length === 0 ? 0
    : sorted.length % 2 === 1 ? (sorted[Math.floor(middle)] ?? 0)
      : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
  return { n: sorted.length, median, min: sorted[0] ?? 0, max: sorted.at(-1) ?? 0, p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
}

/** Milliseconds since `start` (from performance.now()). */
export function since(start: number): number {
  return performance.now() - start;
}

export async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const start = performance.now();
  const value = await fn();
  return [since(start), value];
}

export function timedSync<T>(fn: () => T): [number, T] {
  const start = performance.now();
  const value = fn();
  return [since(start), value];
}

export const MIB = 1024 * 1024;

export function formatMs(ms: number): string {
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1_000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

export function formatMiB(bytes: number): string {
  if (bytes < MIB) return `${(bytes / 1024).toFixed(0)} KiB`;
  return bytes < 10 * MIB ? `${(bytes / MIB).toFixed(1)} MiB` : `${(bytes / MIB).toFixed(0)} MiB`;
}

/** "median (min-max)" of a summary, in ms. */
export function formatSpread(s: Summary): string {
  return s.n <= 1 ? formatMs(s.median) : `${formatMs(s.median)} (${formatMs(s.min)}-${formatMs(s.max)})`;
}

/** Progress lines go to stderr, so stdout carries only the final tables. */
export function progress(line: string): void {
  process.stderr.write(`[bench] ${line}\n`);
}
