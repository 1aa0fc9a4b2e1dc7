import type { TenantTx } from './tenant';

/**
 * Raw SQL for the evaluation's bulk writes: one statement whatever the number of findings, with the array
 * passed as a single parameter (an IN list of 50,000 ids would exceed Postgres' parameter limit).
 * Every function takes the organization first and filters on it, and has a cross-tenant test.
 */
export async function touchFindings(tx: TenantTx, organizationId: string, clusterId: string, fingerprints: string[], seenAt: Date, snapshotId: string): Promise<number> {
  if (fingerprints.length === 0) return 0;
  return tx.$executeRaw`
    UPDATE "Finding" SET "lastSeenAt" = ${seenAt}, "lastSnapshotId" = ${snapshotId}::uuid
    WHERE "organizationId" = ${organizationId}::uuid AND "clusterId" = ${clusterId}::uuid
      AND "status" <> 'RESOLVED' AND "fingerprint" = ANY(${fingerprints}::text[])`;
}

export type FindingChange = { id: string; message: string; severity: string; evidence: string };

/** Findings whose message, severity or evidence changed while they stayed open (rare; one statement anyway). */
export async function updateFindingDetails(tx: TenantTx, organizationId: string, changes: FindingChange[]): Promise<number> {
  if (changes.length === 0) return 0;
  return tx.$executeRaw`
    UPDATE "Finding" AS f SET "message" = c.message, "severity" = c.severity::"Severity", "evidence" = c.evidence::jsonb, "updatedAt" = now()
    FROM unnest(${changes.map((c) => c.id)}::uuid[], ${changes.map((c) => c.message)}::text[], ${changes.map((c) => c.severity)}::text[], ${changes.map((c) => c.evidence)}::text[])
      AS c(id, message, severity, evidence)
    WHERE f."organizationId" = ${organizationId}::uuid AND f.id = c.id`;
}
