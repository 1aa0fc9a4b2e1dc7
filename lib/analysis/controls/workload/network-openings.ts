import type { CheckContext, Violation } from '@/lib/analysis/model/control';
import { describeRef, refOf } from '@/lib/analysis/model/kube';
import { describeOpening, effectiveIsolation, type Direction, type EffectiveIsolation, type Opening } from '@/lib/analysis/model/network-policy';
import type { Workload } from '@/lib/analysis/model/targets';

/**
 * A workload's effective isolation, computed once per evaluation: four controls ask the same question of each
 * workload. A Workload object lives for one evaluation, and its namespace's policies do not change within it.
 */
export function isolationOf(workload: Workload, ctx: CheckContext): EffectiveIsolation {
  return (workload.memo.isolation ??= effectiveIsolation(ctx.policiesIn(workload.namespace), workload.spec.labels));
}

/**
 * One finding per workload for the openings a predicate picks among what the policies selecting it allow in a
 * direction. A workload no policy isolates is network-isolation's finding, not these: its evidence would have no
 * policy and rule to name.
 */
export function openingViolations(
  workload: Workload,
  ctx: CheckContext,
  direction: Direction,
  pick: (opening: Opening) => boolean,
  describe: (subject: string) => string,
  item: string,
): Violation[] {
  const state = isolationOf(workload, ctx)[direction];
  const openings = state.openings.filter(pick);
  const first = openings[0];
  if (!first) return [];
  const more = openings.length > 1 ? `; also ${openings.slice(1, 4).map(describeOpening).join('; ')}${openings.length > 4 ? ` and ${openings.length - 4} more` : ''}` : '';
  return [
    {
      message: `${describe(describeRef(refOf(workload.object)))}: ${describeOpening(first)}${more}`,
      evidence: {
        type: 'path',
        path: first.path,
        value: {
          policy: first.policy,
          rule: first.ruleIndex,
          ...(first.peerIndex !== undefined ? { peer: first.peerIndex } : {}),
          scope: first.scope,
          ports: first.ports,
          ...(first.cidr ? { cidr: first.cidr } : {}),
          ...(first.except ? { except: first.except } : {}),
        },
        object: { kind: 'NetworkPolicy', name: first.policy },
      },
      item,
    },
  ];
}
