import { AppError } from '../../platform/errors';
import { authorize } from '../../platform/auth/permissions';
import type { OrgContext } from '../../platform/auth/context';
import { dbFor } from '../../platform/db/tenant';
import { writeAudit } from '../audit/write-audit';
import { ListExceptionsQuerySchema, type ListExceptionsQueryInput } from './schemas';
import { isUuid, parseInput } from '@/lib/platform/input';

const DAY_MS = 86_400_000;

/**
 * Scoped exceptions, newest first. `isStale`: the evaluation has not matched the exception in the last
 * `staleAfterDays` days, or never has (the resource was fixed or deleted, so the exception only hides a
 * future problem). A new exception is stale until the next snapshot of its cluster is evaluated; `createdAt`
 * and `lastMatchedAt` let the page say which.
 */
export async function listExceptions(ctx: OrgContext, query: ListExceptionsQueryInput = {}, now: Date = new Date()) {
  authorize(ctx, 'finding.read');
  const { staleAfterDays, includeExpired } = parseInput(ListExceptionsQuerySchema, query);
  const cutoff = new Date(now.getTime() - staleAfterDays * DAY_MS);
  const db = dbFor(ctx);
  const rows = await db.findingException.findMany({ where: includeExpired ? {} : { expiresAt: { gt: now } }, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }], take: 1000 });
  const clusterIds = [...new Set(rows.map((row) => row.clusterId).filter((id): id is string => id !== null))];
  const clusters = await db.cluster.findMany({ where: { id: { in: clusterIds } }, select: { id: true, name: true } });
  const clusterNames = new Map(clusters.map((cluster) => [cluster.id, cluster.name]));
  return rows.map((row) => ({
    ...row,
    clusterName: row.clusterId ? (clusterNames.get(row.clusterId) ?? null) : null,
    isExpired: row.expiresAt <= now,
    isStale: row.lastMatchedAt === null || row.lastMatchedAt < cutoff,
  }));
}

/** Removes an exception: the next evaluation reports what it was hiding again. */
export async function deleteException(ctx: OrgContext, exceptionId: string): Promise<void> {
  authorize(ctx, 'exception.manage');
  if (!isUuid(exceptionId)) throw new AppError('not_found', 'Exception not found');
  await dbFor(ctx).$transaction(async (tx) => {
    const exception = await tx.findingException.findUnique({ where: { id: exceptionId } });
    if (!exception) throw new AppError('not_found', 'Exception not found');
    await tx.findingException.delete({ where: { id: exceptionId } });
    await writeAudit(tx, ctx, {
      action: 'exception.deleted', targetType: 'FindingException', targetId: exceptionId,
      before: { scope: exception.scope, controlId: exception.controlId, clusterId: exception.clusterId, namespace: exception.namespace, resourceKind: exception.resourceKind, resourceName: exception.resourceName, expiresAt: exception.expiresAt },
    });
  });
}
