import { containerViolation, type Violation } from '@/lib/analysis/model/control';
import { describeHit, rawContainerOf, type CredentialHit } from '@/lib/analysis/model/credentials';
import type { Workload } from '@/lib/analysis/model/targets';
import { containerItem, type Container } from '@/lib/analysis/model/workload-types';
import { describeContainer } from './shared';

/**
 * One violation per credential a finder sees in the workload's own containers (those on Pods below it are not in
 * its object), named by container and field, never by value. `labelKey` is the evidence field the hit's label goes
 * in (`flag`, `header`); `describe` words the message.
 */
export function credentialHitViolations(
  workload: Workload,
  find: (raw: Readonly<Record<string, unknown>>) => CredentialHit[],
  labelKey: string,
  describe: (container: string, hit: CredentialHit) => string,
): Violation[] {
  const violations: Violation[] = [];
  for (const c of workload.containers) {
    const raw = rawContainerOf(c);
    if (!raw) continue;
    for (const hit of find(raw)) violations.push(hitViolation(c, hit, labelKey, `${describe(describeContainer(c), hit)} (${describeHit(hit)})`));
  }
  return violations;
}

function hitViolation(c: Container, hit: CredentialHit, labelKey: string, message: string): Violation {
  const v = containerViolation(c, hit.field, message, {
    redacted: true,
    reason: hit.reason,
    length: hit.length,
    ...(hit.label ? { [labelKey]: hit.label } : {}),
  });
  return { ...v, item: containerItem(c, hit.field) };
}
