import type { EvidenceState } from '../../analysis/frameworks/compliance-status';
import { authorize } from '../../platform/auth/permissions';
import type { OrgContext } from '../../platform/auth/context';
import { dbFor } from '../../platform/db/tenant';

export type { EvidenceState };

type StateRow = { requirementId: string; status: string; validUntil: Date };

/**
 * One requirement's evidence state from its items and open requests (pure; `evidenceStates` feeds it):
 * - current: an accepted item whose validity has not ended (validUntil > now);
 * - expired: accepted items exist, all of them past their validity;
 * - requested: an open evidence request and nothing current (wins over expired: someone is waiting for new evidence);
 * - none: otherwise (pending or rejected items do not count).
 */
export function evidenceStateOf(items: readonly Pick<StateRow, 'status' | 'validUntil'>[], openRequests: number, now: Date): EvidenceState {
  const accepted = items.filter((i) => i.status === 'accepted');
  if (accepted.some((i) => i.validUntil.getTime() > now.getTime())) return 'current';
  if (openRequests > 0) return 'requested';
  if (accepted.length > 0) return 'expired';
  return 'none';
}

/**
 * The evidence state of every requirement of the framework that has evidence or an open request (a requirement
 * missing from the map is 'none'). Read by the SoA, the reports and the requirement pages.
 */
export async function evidenceStates(ctx: OrgContext, frameworkId: string, now: Date = new Date()): Promise<Map<string, EvidenceState>> {
  authorize(ctx, 'evidence.read');
  const db = dbFor(ctx);
  const [items, requests] = await Promise.all([
    db.evidenceItem.findMany({ where: { frameworkId, status: 'accepted' }, select: { requirementId: true, status: true, validUntil: true } }),
    db.evidenceRequest.groupBy({ by: ['requirementId'], where: { frameworkId, status: 'open' }, _count: { _all: true } }),
  ]);
  const byRequirement = new Map<string, StateRow[]>();
  for (const item of items) byRequirement.set(item.requirementId, [...(byRequirement.get(item.requirementId) ?? []), item]);
  const open = new Map(requests.map((r) => [r.requirementId, r._count._all]));
  const states = new Map<string, EvidenceState>();
  for (const requirementId of new Set([...byRequirement.keys(), ...open.keys()])) {
    states.set(requirementId, evidenceStateOf(byRequirement.get(requirementId) ?? [], open.get(requirementId) ?? 0, now));
  }
  return states;
}
