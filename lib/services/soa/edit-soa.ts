import { authorize } from '../../platform/auth/permissions';
import { actorLabel, actorUserId, type OrgContext } from '../../platform/auth/context';
import { dbFor } from '../../platform/db/tenant';
import { Prisma } from '../../platform/db/client';
import { AppError } from '../../platform/errors';
import { parseInput } from '../../platform/input';
import { writeAudit } from '../audit/write-audit';
import { changedRequirements, completeDecisions, decisionsDigest, draftDecisions, storedDecisions, VERSION_SELECT, versionSummary } from './decisions';
import { frameworkOrNotFound } from './read-soa';
import { ApproveSoaSchema, SoaDecisionSchema, type ApproveSoaInput, type SoaDecisionInput } from './schemas';
import type { SoaDecision, SoaVersionSummary } from './types';

const OWNER_ROLES = ['OWNER', 'ADMIN', 'MEMBER'] as const;

/**
 * Records an owner's or admin's decision on one requirement in the draft: applicable, excluded or the provider's
 * responsibility (the last two with a justification), its implementation status and owner (a member who does the
 * work: owner, admin or member). Audited with the decision before and after; approving the draft makes it a version.
 */
export async function setSoaDecision(ctx: OrgContext, input: SoaDecisionInput): Promise<SoaDecision> {
  authorize(ctx, 'soa.edit');
  const data = parseInput(SoaDecisionSchema, input);
  const framework = frameworkOrNotFound(data.frameworkId);
  if (!framework.requirements.some((r) => r.id === data.requirementId)) {
    throw new AppError('not_found', `Requirement ${data.requirementId} is not part of ${framework.name}`);
  }
  return dbFor(ctx).$transaction(async (tx) => {
    const ownerUserId = data.ownerUserId ?? null;
    if (ownerUserId && (await tx.membership.count({ where: { userId: ownerUserId, role: { in: [...OWNER_ROLES] } } })) === 0) {
      throw new AppError('invalid', 'The owner must be an owner, admin or member of this organization', [{ path: 'ownerUserId', message: 'not a member who can own a requirement' }]);
    }
    const before = (await draftDecisions(tx, data.frameworkId)).get(data.requirementId) ?? null;
    const row = {
      applicability: data.applicability,
      justification: data.justification ?? null,
      implementationStatus: data.implementationStatus ?? null,
      ownerUserId,
      decidedById: actorUserId(ctx),
      decidedByLabel: actorLabel(ctx.actor),
      decidedAt: new Date(),
    };
    await tx.soaEntry.upsert({
      where: { organizationId_frameworkId_requirementId: { organizationId: ctx.organizationId, frameworkId: data.frameworkId, requirementId: data.requirementId } },
      create: { organizationId: ctx.organizationId, frameworkId: data.frameworkId, requirementId: data.requirementId, ...row },
      update: row,
    });
    const after = (await draftDecisions(tx, data.frameworkId)).get(data.requirementId);
    if (!after) throw new AppError('internal', 'The decision was not saved');
    await writeAudit(tx, ctx, {
      action: 'soa.decision.update',
      targetType: 'soa_requirement',
      targetId: `${data.frameworkId}:${data.requirementId}`,
      before,
      after,
    });
    return after;
  });
}

/**
 * Approves the draft as the framework's next version (1, 2, ...): a stored, immutable snapshot of every requirement's
 * decision with the approver, time and note, audited. Refused (409) when nothing changed since the latest version.
 */
export async function approveSoaVersion(ctx: OrgContext, input: ApproveSoaInput): Promise<SoaVersionSummary & { changed: string[] }> {
  authorize(ctx, 'soa.approve');
  const data = parseInput(ApproveSoaSchema, input);
  frameworkOrNotFound(data.frameworkId);
  try {
    return await dbFor(ctx).$transaction(async (tx) => {
      const decisions = completeDecisions(data.frameworkId, await draftDecisions(tx, data.frameworkId));
      const latest = await tx.soaVersion.findFirst({ where: { frameworkId: data.frameworkId }, orderBy: { version: 'desc' }, select: { version: true, decisions: true } });
      const changed = changedRequirements(latest ? storedDecisions(latest.decisions) : null, decisions);
      if (latest && changed.length === 0) {
        throw new AppError('conflict', `Nothing changed since version ${latest.version}: edit a decision before approving a new version`);
      }
      const version = (latest?.version ?? 0) + 1;
      const digest = decisionsDigest(decisions);
      const created = await tx.soaVersion.create({
        data: {
          organizationId: ctx.organizationId, frameworkId: data.frameworkId, version,
          decisions: decisions as unknown as Prisma.InputJsonValue, digest,
          approvedById: actorUserId(ctx), approvedByLabel: actorLabel(ctx.actor), note: data.note ?? null,
        },
        select: VERSION_SELECT,
      });
      await writeAudit(tx, ctx, {
        action: 'soa.version.approve',
        targetType: 'soa_version',
        targetId: created.id,
        after: { frameworkId: data.frameworkId, version, digest, note: data.note ?? null, changed },
      });
      return { ...versionSummary(created), changed };
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw new AppError('conflict', 'Another version was approved at the same moment; reload and try again');
    }
    throw error;
  }
}
