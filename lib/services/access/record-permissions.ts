import { permissionDigest, permissionTable, type PermissionTable } from '../../analysis/access';
import type { Snapshot } from '../../analysis/snapshot/schema';
import { insertAccessRows } from '../../platform/db/access-sql';
import type { TenantTx } from '../../platform/db/tenant';
import { rowsOfTable } from './rows';

export type PreparedPermissions = { table: PermissionTable; digest: string };

/** The pure part, run before the evaluation's transaction (like the engine). */
export function preparePermissions(snapshot: Snapshot): PreparedPermissions {
  const table = permissionTable(snapshot);
  return { table, digest: permissionDigest(table) };
}

/**
 * Records which permission set an evaluated snapshot had, in the evaluation's transaction (under its cluster
 * lock, so two evaluations of a cluster never race to create the same set). A set whose digest the cluster
 * already has is reused: an unchanged re-push adds one AccessSnapshot row and no permission rows.
 */
export async function recordPermissions(
  tx: TenantTx,
  args: { organizationId: string; clusterId: string; snapshotId: string; evaluationRunId: string; collectedAt: Date; prepared: PreparedPermissions },
): Promise<{ setId: string; created: boolean }> {
  const { organizationId, clusterId, prepared } = args;
  let created = false;
  let set = await tx.accessPermissionSet.findFirst({ where: { clusterId, digest: prepared.digest }, select: { id: true } });
  if (!set) {
    set = await tx.accessPermissionSet.create({
      data: { organizationId, clusterId, digest: prepared.digest, roleCount: prepared.table.roles.length, bindingCount: prepared.table.bindings.length },
      select: { id: true },
    });
    await insertAccessRows(tx, organizationId, set.id, rowsOfTable(prepared.table));
    created = true;
  }
  await tx.accessSnapshot.create({
    data: { organizationId, clusterId, snapshotId: args.snapshotId, evaluationRunId: args.evaluationRunId, setId: set.id, collectedAt: args.collectedAt },
  });
  return { setId: set.id, created };
}
