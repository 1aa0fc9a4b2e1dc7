import { createHash } from 'node:crypto';
import type { Grant } from './grants';

/**
 * A digest of a cluster's effective permissions: two snapshots whose RBAC grants the same rights through the same
 * chains have the same digest, whatever else changed (pods, labels, resourceVersions, object order).
 * Grants come from effectivePermissions, already stable-sorted with sorted arrays.
 */
export function permissionDigest(grants: readonly Grant[]): string {
  const hash = createHash('sha256');
  for (const grant of grants) hash.update(JSON.stringify(grant)).update('\n');
  return hash.digest('hex');
}
