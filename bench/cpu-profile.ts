/**
 * A CPU profile of one async call, taken in-process through the inspector, reduced to where the time went:
 * self time per function and per source area (lib/analysis, Prisma, pg, ...). Bench only.
 */
import { Session } from 'node:inspector/promises';
import path from 'node:path';
import { writeFile } from 'node:fs/promises';
import { OUT_DIR, ROOT } from './paths';

type ProfileNode = { id: number; callFrame: { functionName: string; url: string; lineNumber: number } };
type Profile = { nodes: ProfileNode[]; samples?: number[]; timeDeltas?: number[] };

export type CpuHotSpot = { name: string; selfMs: number; share: number };
export type CpuSummary = { totalMs: number; functions: CpuHotSpot[]; areas: CpuHotSpot[] };

function area(url: string): string {
  if (!url) return '(native / GC / idle)';
  const file = url.startsWith('file://') ? new URL(url).pathname : url;
  const relative = path.relative(ROOT, file);
  if (relative.startsWith('node_modules/')) {
    const parts = relative.split('/');
    const name = parts[1]?.startsWith('@') ? `${parts[1]}/${parts[2]}` : parts[1];
    return `node_modules/${name}`;
  }
  if (relative.startsWith('..') || path.isAbsolute(relative)) return url.startsWith('node:') ? 'node internals' : 'other';
  return relative.split('/').slice(0, 2).join('/');
}

function top(map: Map<string, number>, total: number, count: number): CpuHotSpot[] {
  return [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, count)
    .map(([name, micros]) => ({ name, selfMs: micros / 1000, share: total ? micros / total : 0 }));
}

export function summarizeProfile(profile: Profile, count = 15): CpuSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const functions = new Map<string, number>();
  const areas = new Map<string, number>();
  let total = 0;
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (const [index, id] of samples.entries()) {
    const micros = Math.max(0, deltas[index] ?? 0);
    const node = byId.get(id);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url ? `${path.relative(ROOT, url.startsWith('file://') ? new URL(url).pathname : url)}:${lineNumber + 1}` : '';
    const name = `${functionName || '(anonymous)'}${where ? ` ${where}` : ''}`;
    functions.set(name, (functions.get(name) ?? 0) + micros);
    const key = area(url);
    areas.set(key, (areas.get(key) ?? 0) + micros);
    total += micros;
  }
  return { totalMs: total / 1000, functions: top(functions, total, count), areas: top(areas, total, count) };
}

/** Runs `fn` under the V8 sampling profiler and returns its value with the summary. */
export async function profileCpu<T>(fn: () => Promise<T>): Promise<[T, CpuSummary]> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 500 });
    await session.post('Profiler.start');
    const value = await fn();
    const { profile } = await session.post('Profiler.stop');
    // The whole profile too, for Chrome DevTools or speedscope (bench/out is not committed).
    await writeFile(path.join(OUT_DIR, `cpu-${Date.now()}.cpuprofile`), JSON.stringify(profile));
    return [value, summarizeProfile(profile as unknown as Profile, 60)];
  } finally {
    session.disconnect();
  }
}
