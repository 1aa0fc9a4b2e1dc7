/** Where the cores went during the measured window: each part of the stack, Postgres backends, everyone else. */
import os from 'node:os';
import { LOAD_DATABASE, sampleLoadBackends } from './database';
import { cpuSecondsByPid, machineCpuSeconds, processTree } from './proc';
import type { CpuShare } from './report';
import type { StackChild } from './stack';

export type CpuSampler = { stop(): { components: CpuShare[]; windowSeconds: number; machineBusyCores: number; loadMean: number; backendActivity: Record<string, number> } };

/** Samples CPU, memory and Postgres backend activity every 2 s from the start of the load until stop(). */
export function startCpuSampler(web: StackChild, workers: StackChild[], serverUrl: string): CpuSampler {
  const started = Date.now();
  const machineStart = machineCpuSeconds();
  const generatorStart = process.cpuUsage();
  const trees = [web, ...workers].map((entry) => ({ name: entry.name, pid: entry.child.pid ?? -1, start: processTree(entry.child.pid ?? -1).cpuSeconds, peakRss: 0 }));
  const backendStart = new Map<number, number>();
  const backendLast = new Map<number, number>();
  const loads: number[] = [];
  const backendActivity: Record<string, number> = {};
  let first = true;
  const sample = async () => {
    loads.push(os.loadavg()[0] ?? 0);
    for (const tree of trees) tree.peakRss = Math.max(tree.peakRss, processTree(tree.pid).rssBytes);
    const backends = await sampleLoadBackends(serverUrl).catch(() => []);
    for (const backend of backends) backendActivity[backend.activity] = (backendActivity[backend.activity] ?? 0) + 1;
    // Pool connections come and go (idle ones close after 10 s): keep each backend's last reading.
    for (const [pid, seconds] of cpuSecondsByPid(backends.map((backend) => backend.pid))) {
      if (first) backendStart.set(pid, seconds);
      backendLast.set(pid, seconds);
    }
    first = false;
  };
  void sample();
  const timer = setInterval(() => void sample(), 2_000);
  return {
    stop() {
      clearInterval(timer);
      const windowSeconds = (Date.now() - started) / 1000;
      const components: CpuShare[] = trees.map((tree) => {
        const now = processTree(tree.pid);
        const cpuSeconds = now.cpuSeconds - tree.start;
        return { component: tree.name, cpuSeconds, coresUsed: cpuSeconds / windowSeconds, peakRssMiB: Math.max(tree.peakRss, now.rssBytes) / 1024 / 1024 };
      });
      let backendSeconds = 0;
      for (const [pid, last] of backendLast) backendSeconds += last - (backendStart.get(pid) ?? 0);
      components.push({ component: `postgres backends of ${LOAD_DATABASE}`, cpuSeconds: backendSeconds, coresUsed: backendSeconds / windowSeconds, peakRssMiB: null });
      const generator = process.cpuUsage(generatorStart);
      const generatorSeconds = (generator.user + generator.system) / 1e6;
      components.push({ component: 'load generator (this process)', cpuSeconds: generatorSeconds, coresUsed: generatorSeconds / windowSeconds, peakRssMiB: process.memoryUsage().rss / 1024 / 1024 });
      const machine = machineCpuSeconds();
      const loadMean = loads.length ? loads.reduce((sum, value) => sum + value, 0) / loads.length : 0;
      return { components, windowSeconds, machineBusyCores: (machine.busy - machineStart.busy) / windowSeconds, loadMean, backendActivity };
    },
  };
}

