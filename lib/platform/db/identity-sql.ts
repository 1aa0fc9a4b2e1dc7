import type { BaseClient } from './client';

/**
 * Locks a user's row until the end of the transaction `tx` (SELECT ... FOR UPDATE): two changes to the same
 * user's sign-ins serialize on it (two unlinks at once must not remove both remaining identities). Users are
 * not tenant rows, so this runs on the system client's transaction.
 */
export async function lockUserRow(tx: Pick<BaseClient, '$queryRaw'>, userId: string): Promise<void> {
  await tx.$queryRaw`SELECT id FROM "User" WHERE id = ${userId}::uuid FOR UPDATE`;
}
