import { buildSnapshot } from '@/lib/analysis/snapshot/build';
import type { Snapshot } from '@/lib/analysis/snapshot/schema';

/** A small valid snapshot whose content (and so idempotency key) differs per namespace name. */
export function testSnapshot(namespace: string, collectedAt = '2025-05-01T10:00:00Z'): Snapshot {
  return buildSnapshot({
    objects: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } }],
    cluster: { uid: 'test-cluster-uid', name: 'test', provider: 'kind' },
    collectedAt,
    agentVersion: 'test',
    mode: 'in-cluster',
  }).snapshot;
}

export const namespaceOf = (body: unknown): string | undefined =>
  (body as { objects?: { namespaces?: Array<{ metadata?: { name?: string } }> } }).objects?.namespaces?.[0]?.metadata?.name;
