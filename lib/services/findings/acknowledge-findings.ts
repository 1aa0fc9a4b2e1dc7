import { AppError } from '../../platform/errors';
import { authorize } from '../../platform/auth/permissions';
import { actorUserId, type OrgContext } from '../../platform/auth/context';
import { dbFor } from '../../platform/db/tenant';
import { writeAudit } from '../audit/write-audit';
import { AcknowledgeFindingSchema, type AcknowledgeFindingInput } from './schemas';
import { BULK_TRANSACTION, lockFindings } from './workflow';
import { parseInput } from '@/lib/platform/input';

/** OPEN -> ACKNOWLEDGED, for one or many findings. Any selected finding in another status refuses the request. */
export async function acknowledgeFindings(ctx: OrgContext, input: AcknowledgeFindingInput): Promise<{ acknowledged: number }> {
  authorize(ctx, 'finding.acknowledge');
  const { findingIds, note } = parseInput(AcknowledgeFindingSchema, input);
  const userId = actorUserId(ctx);
  return dbFor(ctx).$transaction(async (tx) => {
    const findings = await lockFindings(tx, findingIds);
    const notOpen = findings.filter((finding) => finding.status !== 'OPEN');
    if (notOpen.length > 0) {
      throw new AppError('conflict', `Only open findings can be acknowledged; ${notOpen.length} of the selected are not`,
        notOpen.map((finding) => ({ path: `findingIds.${finding.id}`, message: `is ${finding.status.toLowerCase().replace('_', ' ')}` })));
    }
    const now = new Date();
    await tx.finding.updateMany({ where: { id: { in: findingIds }, status: 'OPEN' }, data: { status: 'ACKNOWLEDGED', acknowledgedAt: now, acknowledgedById: userId } });
    await tx.findingEvent.createMany({
      data: findings.map((finding) => ({ organizationId: ctx.organizationId, findingId: finding.id, type: 'acknowledged', actorUserId: userId, data: note ? { note } : {} })),
    });
    for (const finding of findings) {
      await writeAudit(tx, ctx, { action: 'finding.acknowledged', targetType: 'Finding', targetId: finding.id, before: { status: finding.status }, after: { status: 'ACKNOWLEDGED', ...(note ? { note } : {}) } });
    }
    return { acknowledged: findings.length };
  }, BULK_TRANSACTION);
}
