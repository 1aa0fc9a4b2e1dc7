import type { EvidenceState } from '../../analysis/frameworks/compliance-status';
import type { FrameworkId } from '../../analysis/frameworks';
import type { OrgContext } from '../../platform/auth/context';

/**
 * The evidence state of each requirement of the framework, from the evidence room
 * (lib/services/evidence/evidence-state.ts: `evidenceStates(ctx, frameworkId)`). The one place the SoA asks it.
 */
export async function evidenceStatesFor(_ctx: OrgContext, _frameworkId: FrameworkId): Promise<Map<string, EvidenceState>> {
  // Until the evidence room exists, no requirement has evidence ('none' everywhere).
  return new Map();
}
