import { findFramework, type Framework, type FrameworkId, type Requirement } from '../../analysis/frameworks';
import { AppError } from '../../platform/errors';
import type { TenantTx } from '../../platform/db/tenant';

/** The framework and requirement evidence is attached to (CIS manual items included), or 404. */
export function requirementOrNotFound(frameworkId: string, requirementId: string): { framework: Framework; requirement: Requirement } {
  const framework = findFramework(frameworkId as FrameworkId);
  if (!framework) throw new AppError('not_found', `Framework ${frameworkId} not found`);
  const requirement = framework.requirements.find((r) => r.id === requirementId);
  if (!requirement) throw new AppError('not_found', `Requirement ${requirementId} is not part of ${framework.name}`);
  return { framework, requirement };
}

/** The requirement's page, where its evidence and requests are (notification links point here). */
export function requirementPath(orgSlug: string, frameworkId: string, requirementId: string): string {
  return `/o/${orgSlug}/controls/requirements/${encodeURIComponent(frameworkId)}/${encodeURIComponent(requirementId)}`;
}

/** Roles that own evidence and requirements: people who do the work (auditors and viewers only look). */
export const OWNER_ROLES = ['OWNER', 'ADMIN', 'MEMBER'] as const;

export async function assertWorkingMember(tx: TenantTx, userId: string, path: string): Promise<void> {
  if ((await tx.membership.count({ where: { userId, role: { in: [...OWNER_ROLES] } } })) === 0) {
    throw new AppError('invalid', 'Choose an owner, admin or member of this organization', [{ path, message: 'not a member who can own evidence' }]);
  }
}

/** The requirement's owner in the Statement of Applicability, if one was named (read from its table, not the room). */
export async function soaOwnerOf(tx: TenantTx, organizationId: string, frameworkId: string, requirementId: string): Promise<string | null> {
  const entry = await tx.soaEntry.findUnique({
    where: { organizationId_frameworkId_requirementId: { organizationId, frameworkId, requirementId } },
    select: { ownerUserId: true },
  });
  return entry?.ownerUserId ?? null;
}
