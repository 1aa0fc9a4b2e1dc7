import { authorize } from '../../platform/auth/permissions';
import { actorUserId, type OrgContext } from '../../platform/auth/context';
import { dbFor } from '../../platform/db/tenant';
import { writeAudit } from '../audit/write-audit';
import { SetDueDateSchema, type SetDueDateInput } from './schemas';
import { BULK_TRANSACTION, lockFindings } from './workflow';
import { parseInput } from '@/lib/platform/input';

/** Overrides the due date the pipeline set from the organization's dueDays (null: no due date). */
export async function setDueDate(ctx: OrgContext, input: SetDueDateInput): Promise<{ updated: number }> {
  authorize(ctx, 'finding.assign');
  const { findingIds, dueAt } = parseInput(SetDueDateSchema, input);
  const actor = actorUserId(ctx);
  return dbFor(ctx).$transaction(async (tx) => {
    const findings = await lockFindings(tx, findingIds);
    await tx.finding.updateMany({ where: { id: { in: findingIds } }, data: { dueAt } });
    await tx.findingEvent.createMany({
      data: findings.map((finding) => ({
        organizationId: ctx.organizationId, findingId: finding.id, type: 'due_date_set', actorUserId: actor,
        data: { from: finding.dueAt?.toISOString() ?? null, to: dueAt?.toISOString() ?? null },
      })),
    });
    for (const finding of findings) {
      await writeAudit(tx, ctx, { action: 'finding.due_date_set', targetType: 'Finding', targetId: finding.id, before: { dueAt: finding.dueAt }, after: { dueAt } });
    }
    return { updated: findings.length };
  }, BULK_TRANSACTION);
}
