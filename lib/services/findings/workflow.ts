import { AppError } from '../../platform/errors';
import type { TenantTx } from '../../platform/db/tenant';
import type { FindingStatus } from '../../platform/db/client';

/**
 * Transaction options for bulk actions: up to 500 findings, each with its own audit entry, must not hit
 * Prisma's 5 s default while an evaluation holds the same rows.
 */
export const BULK_TRANSACTION = { timeout: 30_000, maxWait: 10_000 } as const;

/** Findings that still need someone's attention (a risk-accepted one is decided, and resolved is done). */
export const ACTIONABLE_STATUSES: readonly FindingStatus[] = ['OPEN', 'ACKNOWLEDGED'];

/**
 * Locks the findings for the rest of the transaction and returns them. Touching the rows first serialises
 * concurrent workflow changes on the same finding (two approvals, an acknowledge racing a risk request), so
 * the status checks that follow see the last committed state. An id that is not this organization's is not
 * found, and the whole request is refused: nothing is half-written.
 */
export async function lockFindings(tx: TenantTx, findingIds: readonly string[]) {
  const ids = [...new Set(findingIds)];
  const locked = await tx.finding.updateMany({ where: { id: { in: ids } }, data: { updatedAt: new Date() } });
  if (locked.count !== ids.length) {
    throw new AppError('not_found', ids.length === 1 ? 'Finding not found' : 'One or more of the selected findings were not found');
  }
  return tx.finding.findMany({ where: { id: { in: ids } }, orderBy: { id: 'asc' } });
}



