import { z } from 'zod';
import { systemDb } from '../db/tenant';

/** What a session cookie carries about how it was issued (set at sign-in from syncUserAtSignIn's result). */
export const SessionClaimsSchema = z.object({ userId: z.uuid(), identityId: z.uuid(), sessionVersion: z.number().int().min(0) });
export type SessionClaims = z.infer<typeof SessionClaimsSchema>;

/**
 * How long one process trusts a check. Short, so an unlinked identity or a locked account ends sessions served by
 * other processes within seconds; in the process that made the change, forgetSessionChecks ends them at once.
 */
export const SESSION_CHECK_TTL_MS = 5_000;
const MAX_ENTRIES = 10_000;

const checks = new Map<string, { current: boolean; checkedAt: number }>();

/**
 * Whether a session is still good: its identity still exists and still belongs to its user, and the user's
 * sessionVersion is the one the session was issued with. Called per request (lib/web/auth.ts's auth()); the
 * answer is cached in-process for SESSION_CHECK_TTL_MS. Memberships and roles are not part of it: they are
 * read per request by resolveMembership, so removing a member or changing a role counts on the next request.
 */
export async function isSessionCurrent(claims: SessionClaims, now = Date.now()): Promise<boolean> {
  const key = `${claims.userId}:${claims.identityId}:${claims.sessionVersion}`;
  const cached = checks.get(key);
  if (cached && now - cached.checkedAt < SESSION_CHECK_TTL_MS) return cached.current;
  const identity = await systemDb().userIdentity.findUnique({ where: { id: claims.identityId }, select: { userId: true, user: { select: { sessionVersion: true } } } });
  const current = identity !== null && identity.userId === claims.userId && identity.user.sessionVersion === claims.sessionVersion;
  if (checks.size >= MAX_ENTRIES) checks.clear();
  checks.set(key, { current, checkedAt: now });
  return current;
}

/** Drops this process's cached checks of a user's sessions (after their sessionVersion or identities changed). */
export function forgetSessionChecks(userId: string): void {
  for (const key of checks.keys()) if (key.startsWith(`${userId}:`)) checks.delete(key);
}

/** Ends every session of a user (all devices, all identities) from the next request on. */
export async function endAllSessions(userId: string): Promise<number> {
  const user = await systemDb().user.update({ where: { id: userId }, data: { sessionVersion: { increment: 1 } }, select: { sessionVersion: true } });
  forgetSessionChecks(userId);
  return user.sessionVersion;
}
