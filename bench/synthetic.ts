import { syntheticSnapshot } from '@/lib/testing/synthetic';
import type { Snapshot } from '@/lib/analysis/snapshot/schema';

/** The benchmark sizes: S, M and L clusters. */
export const SIZES = { S: 1_000, M: 10_000, L: 50_000 } as const;
export type SizeName = keyof typeof SIZES;
export const SEED = 42;

export type ObjectCounts = Record<string, number>;

/** What the brief asks of a synthetic cluster of `pods` pods, and how far the generator may stray from it. */
const EXPECTED: { label: string; count: (c: ObjectCounts) => number; per: number; tolerance: number }[] = [
  { label: 'pods', count: (c) => c.pods ?? 0, per: 1, tolerance: 0.01 },
  { label: 'namespaces = pods/25', count: (c) => c.namespaces ?? 0, per: 1 / 25, tolerance: 0.02 },
  { label: 'roles = pods/5 (Role + ClusterRole)', count: (c) => (c.roles ?? 0) + (c.clusterroles ?? 0), per: 1 / 5, tolerance: 0.02 },
  { label: 'bindings = pods/5 (RoleBinding + ClusterRoleBinding)', count: (c) => (c.rolebindings ?? 0) + (c.clusterrolebindings ?? 0), per: 1 / 5, tolerance: 0.02 },
  // Kubernetes gives every namespace a "default" ServiceAccount; the generator adds it on top of pods/10.
  { label: 'service accounts = pods/10 + one "default" per namespace', count: (c) => c.serviceaccounts ?? 0, per: 1 / 10 + 1 / 25, tolerance: 0.02 },
  { label: 'secrets = pods/2', count: (c) => c.secrets ?? 0, per: 1 / 2, tolerance: 0.02 },
  // Two policies (default-deny, allow-web) in every other namespace.
  { label: 'network policies in half the namespaces', count: (c) => (c.networkpolicies ?? 0) / 2, per: 1 / 50, tolerance: 0.05 },
];

export function objectCounts(snapshot: Snapshot): ObjectCounts {
  return Object.fromEntries(Object.entries(snapshot.objects).map(([name, list]) => [name, (list as unknown[]).length]));
}

/** Deviations from the expected proportions, as readable lines (empty when the snapshot matches). */
export function checkProportions(pods: number, counts: ObjectCounts): string[] {
  return EXPECTED.flatMap(({ label, count, per, tolerance }) => {
    const expected = pods * per;
    const actual = count(counts);
    return Math.abs(actual - expected) > Math.max(1, expected * tolerance) ? [`${label}: expected ~${Math.round(expected)}, got ${actual}`] : [];
  });
}

/** The snapshot every phase uses for a size, deterministic from SEED, with its proportions checked. */
export function benchSnapshot(pods: number, collectedAt?: string): { snapshot: Snapshot; counts: ObjectCounts; deviations: string[] } {
  const snapshot = syntheticSnapshot({ pods, seed: SEED });
  if (collectedAt) snapshot.collectedAt = collectedAt;
  const counts = objectCounts(snapshot);
  return { snapshot, counts, deviations: checkProportions(pods, counts) };
}

export function sizeName(pods: number): string {
  const entry = Object.entries(SIZES).find(([, value]) => value === pods);
  return entry ? entry[0] : String(pods);
}
