/**
 * CPU accounting from /proc (Linux), to say where the cores went during the run: our web server, workers,
 * Postgres backends and the load generator, against everything else on a shared machine.
 */
import { readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';

// USER_HZ: 100 on every Linux architecture Node supports.
const TICKS_PER_SECOND = 100;

type ProcStat = { pid: number; ppid: number; cpuTicks: number; reapedChildTicks: number; rssPages: number };

function readStat(pid: number): ProcStat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may itself contain spaces or parentheses.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const field = (index: number) => Number(fields[index] ?? 0);
    return { pid, ppid: field(1), cpuTicks: field(11) + field(12), reapedChildTicks: field(13) + field(14), rssPages: field(21) };
  } catch {
    return null;
  }
}

function allStats(): ProcStat[] {
  const stats: ProcStat[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readStat(Number(name));
    if (stat) stats.push(stat);
  }
  return stats;
}

const PAGE_BYTES = 4096;

/** CPU seconds and resident bytes of a process and all its live descendants (plus children it has reaped). */
export function processTree(rootPid: number): { cpuSeconds: number; rssBytes: number } {
  const stats = allStats();
  const childrenOf = new Map<number, ProcStat[]>();
  for (const stat of stats) childrenOf.set(stat.ppid, [...(childrenOf.get(stat.ppid) ?? []), stat]);
  const root = stats.find((stat) => stat.pid === rootPid);
  if (!root) return { cpuSeconds: 0, rssBytes: 0 };
  let ticks = 0;
  let pages = 0;
  const queue = [root];
  while (queue.length) {
    const stat = queue.pop() as ProcStat;
    ticks += stat.cpuTicks + stat.reapedChildTicks;
    pages += stat.rssPages;
    queue.push(...(childrenOf.get(stat.pid) ?? []));
  }
  return { cpuSeconds: ticks / TICKS_PER_SECOND, rssBytes: pages * PAGE_BYTES };
}

/** CPU seconds of each pid that still exists (Postgres backends). */
export function cpuSecondsByPid(pids: readonly number[]): Map<number, number> {
  const result = new Map<number, number>();
  for (const pid of pids) {
    const stat = readStat(pid);
    if (stat) result.set(pid, stat.cpuTicks / TICKS_PER_SECOND);
  }
  return result;
}

/** Busy and total CPU seconds of the whole machine since boot (all cores). */
export function machineCpuSeconds(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const [, ...values] = line.trim().split(/\s+/);
  const ticks = values.map(Number);
  const total = ticks.reduce((sum, value) => sum + value, 0);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0); // idle + iowait
  return { busy: (total - idle) / TICKS_PER_SECOND, total: total / TICKS_PER_SECOND };
}

export function describeMachine(): { cpus: number; cpuModel: string; memoryGiB: number; node: string; os: string } {
  const cpus = os.cpus();
  return {
    cpus: os.availableParallelism(),
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    os: `${os.type()} ${os.release()}`,
  };
}
