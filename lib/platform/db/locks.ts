import type { TenantTx } from './tenant';

/**
 * Every Postgres advisory lock the app takes, by name. A lock is `pg_advisory_xact_lock(hashtextextended(scope, key))`:
 * the key names what is serialized, the scope (an organization or cluster id) whose. Two holders exclude each
 * other only if they compute the same number, so a key must never change, nor be reused for another purpose:
 * during a rolling deploy the old and the new version take these locks side by side. Add a new lock with a new
 * key. (The migration runner takes Prisma's own session lock; see lib/platform/db/migrate.ts.)
 */
export const LOCKS = {
  /**
   * Per organization: one writer of the audit hash chain at a time, from reading the head to inserting the next
   * entry (writeAudit), so seq stays gap-free and each entry links the previous one; the anchor job takes it too,
   * so the head it signs is still the head when it writes the anchor.
   */
  auditChain: 7,
  /**
   * Per cluster: one snapshot evaluation at a time, so a cluster's findings, scores and current evaluation
   * follow one snapshot after another, and a re-run of the same job waits for the first and then sees it done.
   */
  clusterEvaluation: 11,
  /** Per organization: ticket numbers are max + 1, so two tickets created at once cannot get the same number. */
  ticketNumber: 13,
  /**
   * Per organization: the duplicate lookup and the pending-report cap of a report request see every earlier
   * request, so two identical requests sent at once are not both queued and the cap holds.
   */
  reportRequest: 17,
  /**
   * Per organization: the evidence storage quota (EVIDENCE_MAX_ORG_BYTES) is checked and the new file counted in one
   * step, so two uploads at once cannot both fit in the room left for one.
   */
  evidenceQuota: 19,
} as const satisfies Record<string, number>;

export type LockName = keyof typeof LOCKS;

/**
 * Takes the named lock for `scopeId` until the end of the transaction `tx` (commit or rollback): there is no
 * unlock, which is why this is a statement to await rather than a callback around a block. It waits for a
 * holder in another transaction and is re-entrant within one (writeAudit after the anchor job's own lock).
 */
export async function advisoryXactLock(tx: TenantTx, lock: LockName, scopeId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${scopeId}, ${LOCKS[lock]}::bigint))`;
}
