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

/** `container "web"`, `init container "migrate"`, `ephemeral container "debugger" (on Pod web-7f9c)`: lives in the model. */
export { describeContainer } from '@/lib/analysis/model/pod-security';

/** A Pod Security Standards violation (lib/analysis/model/pod-security.ts) as a control's violation, evidence on its field. */
export function fromPss(v: PssViolation, item: string = v.item): Violation {
  return { message: v.message, evidence: { type: 'path', path: v.path, value: v.value, ...(v.object ? { object: v.object } : {}) }, item };
}
