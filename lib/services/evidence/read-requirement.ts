import { authorize } from '../../platform/auth/permissions';
import type { OrgContext } from '../../platform/auth/context';
import { dbFor } from '../../platform/db/tenant';
import type { EvidenceState } from '../../analysis/frameworks/compliance-status';
import { formatBytes, listEvidence, type EvidenceItemView } from './evidence';
import { evidenceStates } from './evidence-state';
import { listEvidenceRequests, type EvidenceRequestView } from './requests';
import { OWNER_ROLES, requirementOrNotFound, soaOwnerOf } from './requirements';
import { env } from '../../platform/env';

export type RequirementEvidence = {
  frameworkId: string;
  frameworkName: string;
  requirementId: string;
  title: string;
  description: string;
  assessment: 'automated' | 'partial' | 'manual';
  manualEvidence: string | null;
  state: EvidenceState;
  items: EvidenceItemView[];
  requests: EvidenceRequestView[];
  /** The requirement's owner in the Statement of Applicability (the default addressee of a request). */
  soaOwnerUserId: string | null;
  /** Owners, admins and members: who can own evidence or be asked for it. */
  people: { userId: string; label: string }[];
  maxFileLabel: string;
};

/** Everything a requirement's page shows about its evidence. */
export async function requirementEvidence(ctx: OrgContext, frameworkId: string, requirementId: string, now: Date = new Date()): Promise<RequirementEvidence> {
  authorize(ctx, 'evidence.read');
  const { framework, requirement } = requirementOrNotFound(frameworkId, requirementId);
  const [items, requests, states, extra] = await Promise.all([
    listEvidence(ctx, frameworkId, requirementId, now),
    listEvidenceRequests(ctx, frameworkId, requirementId, now),
    evidenceStates(ctx, frameworkId, now),
    dbFor(ctx).$transaction(async (tx) => ({
      soaOwnerUserId: await soaOwnerOf(tx, ctx.organizationId, frameworkId, requirementId),
      members: await tx.membership.findMany({ where: { role: { in: [...OWNER_ROLES] } }, select: { userId: true, user: { select: { name: true, email: true } } } }),
    })),
  ]);
  return {
    frameworkId, frameworkName: framework.name, requirementId, title: requirement.title, description: requirement.description,
    assessment: requirement.assessment, manualEvidence: requirement.manualEvidence ?? null,
    state: states.get(requirementId) ?? 'none', items, requests, soaOwnerUserId: extra.soaOwnerUserId,
    people: extra.members.map((m) => ({ userId: m.userId, label: m.user.name ? `${m.user.name} (${m.user.email})` : m.user.email })).sort((a, b) => a.label.localeCompare(b.label)),
    maxFileLabel: formatBytes(env().EVIDENCE_MAX_FILE_BYTES),
  };
}
