import type { ResourceName } from '@/lib/analysis/snapshot/schema';
import { POD_BEARING_KINDS } from '@/lib/analysis/model/kube';

/**
 * Pods are the ground truth of what runs: with them read, a workload whose controller list was not collected is
 * still seen through its Pods. Without them, workload controls cannot claim a pass.
 */
export const WORKLOAD_REQUIRES: readonly ResourceName[] = ['pods'];
export const WORKLOAD_KINDS = POD_BEARING_KINDS;

/** `container "web"`, `init container "migrate"`, `ephemeral container "debugger" (on Pod web-7f9c)`. */
export function describeContainer(container: { kind: string; name: string; pod: string | undefined }): string {
  const label = container.kind === 'initContainer' ? 'init container' : container.kind === 'ephemeralContainer' ? 'ephemeral container' : 'container';
  return `${label} "${container.name}"${container.pod ? ` (on Pod ${container.pod})` : ''}`;
}
