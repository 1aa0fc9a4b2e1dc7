import type { ResourceName } from '@/lib/analysis/snapshot/schema';
import type { Violation } from '@/lib/analysis/model/control';
import { POD_BEARING_KINDS } from '@/lib/analysis/model/kube';
import type { PssViolation } from '@/lib/analysis/model/pod-security';

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

/** A Pod Security Standards violation (lib/analysis/model/pod-security.ts) as a control's violation, evidence on its field. */
export function fromPss(v: PssViolation, item: string = v.item): Violation {
  return { message: v.message, evidence: { type: 'path', path: v.path, value: v.value, ...(v.object ? { object: v.object } : {}) }, item };
}
