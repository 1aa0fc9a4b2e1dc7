import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { NodeReport } from '../lib/analysis/snapshot/node-report';
import { resolveAgentToken } from '../lib/platform/auth/agent-token-context';
import { ingestNodeReport } from '../lib/services/ingest/ingest-node-report';

/**
 * The demo clusters' node reports (issue 21), from the node collector's own fixtures (agent/test/node-fixtures:
 * each report.json is what `npm run agent -- node` makes of that fixture, checked by agent/src/node-collect.test.ts).
 * Acme prod: a hardened control plane and kubeadm workers; dev: kubeadm defaults; staging: managed (EKS) workers,
 * whose control plane is the provider's. Pushed through the intake service with each cluster's agent token.
 */
const FIXTURES = path.resolve(import.meta.dirname, '../agent/test/node-fixtures');

type DemoNode = { fixture: 'hardened-control-plane' | 'kubeadm-control-plane' | 'kubeadm-worker' | 'eks-worker'; name: string; providerID?: string };

export const DEMO_NODE_REPORTS: Record<string, readonly DemoNode[]> = {
  'acme/prod': [
    { fixture: 'hardened-control-plane', name: 'prod-cp-1' },
    { fixture: 'kubeadm-worker', name: 'prod-worker-1' },
    { fixture: 'kubeadm-worker', name: 'prod-worker-2' },
  ],
  'acme/dev': [
    { fixture: 'kubeadm-control-plane', name: 'dev-cp-1' },
    { fixture: 'kubeadm-worker', name: 'dev-worker-1' },
  ],
  'acme/staging': [
    { fixture: 'eks-worker', name: 'ip-192-168-12-34.eu-west-1.compute.internal', providerID: 'aws:///eu-west-1a/i-0a1b2c3d4e5f60718' },
    { fixture: 'eks-worker', name: 'ip-192-168-40-7.eu-west-1.compute.internal', providerID: 'aws:///eu-west-1b/i-0f1e2d3c4b5a69788' },
  ],
};

/** One demo node's report: the fixture's, renamed, collected at `collectedAt`. */
export function demoNodeReport(node: DemoNode, collectedAt: Date): NodeReport {
  const report = JSON.parse(readFileSync(path.join(FIXTURES, node.fixture, 'report.json'), 'utf8')) as NodeReport;
  return { ...report, collectedAt: collectedAt.toISOString(), node: { ...report.node, name: node.name, ...(node.providerID ? { providerID: node.providerID } : {}) } };
}

/** Pushes the cluster's demo node reports (none for a cluster not listed); returns how many were stored. */
export async function pushDemoNodeReports(cluster: string, token: string, collectedAt: Date): Promise<number> {
  const ctx = await resolveAgentToken(`Bearer ${token}`);
  let stored = 0;
  for (const node of DEMO_NODE_REPORTS[cluster] ?? []) {
    const body = gzipSync(Buffer.from(JSON.stringify(demoNodeReport(node, collectedAt))));
    const result = await ingestNodeReport(ctx, {
      body: new ReadableStream({ start(controller) { controller.enqueue(new Uint8Array(body)); controller.close(); } }),
      contentEncoding: 'gzip',
      contentType: 'application/json',
      idempotencyKey: null,
    });
    if (result.status === 'stored') stored++;
  }
  return stored;
}
