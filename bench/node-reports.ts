/**
 * Node reports for the engine bench (issue 21): `count` nodes built from the collector's own fixture reports
 * (agent/test/node-fixtures/*\/report.json): three control-plane nodes (kubeadm defaults, so sections 1-2 find
 * plenty) and workers alternating between the kubeadm worker and the hardened node's kubelet, each with its own
 * name so every node is evaluated and reported separately.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { nodeReportSchema, type NodeReport } from '@/lib/analysis/snapshot/node-report';

const FIXTURES = path.join(import.meta.dirname, '..', 'agent', 'test', 'node-fixtures');

function fixture(name: string): NodeReport {
  return nodeReportSchema.parse(JSON.parse(readFileSync(path.join(FIXTURES, name, 'report.json'), 'utf8')));
}

export function benchNodeReports(count: number): NodeReport[] {
  const controlPlane = fixture('kubeadm-control-plane');
  const worker = fixture('kubeadm-worker');
  const hardened = fixture('hardened-control-plane');
  const hardenedWorker: NodeReport = {
    ...hardened,
    components: { ...(hardened.components.kubelet ? { kubelet: hardened.components.kubelet } : {}), ...(hardened.components.proxy ? { proxy: hardened.components.proxy } : {}) },
    files: hardened.files.filter((file) => file.role === undefined || file.role.startsWith('kubelet') || file.role === 'client-ca' || file.role === 'proxy-kubeconfig' || file.role === 'cni-config'),
  };
  const reports: NodeReport[] = [];
  for (let i = 0; i < count; i++) {
    const base = i < 3 ? controlPlane : i % 2 === 0 ? worker : hardenedWorker;
    const name = i < 3 ? `cp-${i}` : `worker-${i}`;
    reports.push(structuredClone({ ...base, node: { ...base.node, name } }));
  }
  return reports;
}
