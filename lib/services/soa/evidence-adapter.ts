import type { EvidenceState } from '../../analysis/frameworks/compliance-status';
import type { FrameworkId } from '../../analysis/frameworks';
import type { OrgContext } from '../../platform/auth/context';
import { evidenceStates } from '../evidence/evidence-state';

/**
 * The evidence state of each requirement of the framework (a requirement missing from the map has none), from the
 * evidence room. The one place the SoA asks it, so the statuses of the page, the coverage and the report agree.
 */
export async function evidenceStatesFor(ctx: OrgContext, frameworkId: FrameworkId, now: Date = new Date()): Promise<Map<string, EvidenceState>> {
  return evidenceStates(ctx, frameworkId, now);
}
