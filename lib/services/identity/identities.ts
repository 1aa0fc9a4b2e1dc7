import { randomBytes } from 'node:crypto';
import { systemDb, dbFor } from '../../platform/db/tenant';
import type { Role } from '../../platform/db/client';
import { lockUserRow } from '../../platform/db/identity-sql';
import { writeAudit, type AuditInput } from '../audit/write-audit';
import { AppError } from '../../platform/errors';
import { systemContext, userContext, type Actor, type OrgContext } from '../../platform/auth/context';
import { hashToken } from '../../platform/auth/tokens';
import { forgetSessionChecks } from '../../platform/auth/session-version';
import type { SignInAssertion } from './sign-in';
import { isUniqueViolation } from '../../platform/db/unique-violation';

/** How long "Link another sign-in" waits for the sign-in to come back. */
export const LINK_INTENT_MINUTES = 10;

export type ResolvedIdentity = {
  userId: string;
  identityId: string;
  sessionVersion: number;
  /** How a new identity joined an existing user; null when the identity was known or a new user was made. */
  linkedBy: 'explicit' | 'verified-domain' | null;
};

const IDENTITY_SELECT = { id: true, user: { select: { id: true, email: true, name: true, sessionVersion: true } } } as const;

/**
 * Starts "Link another sign-in" for a signed-in user: the token goes into an HttpOnly cookie of this browser
 * (lib/web/link-intent.ts); only its hash is stored. The next sign-in that presents it attaches its identity to
 * this user. Earlier unfinished intents of the user are dropped, so at most one is live.
 */
export async function startIdentityLink(userId: string, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
  const token = `bwl_${randomBytes(32).toString('base64url')}`;
  const expiresAt = new Date(now.getTime() + LINK_INTENT_MINUTES * 60_000);
  await systemDb().$transaction([
    systemDb().identityLinkIntent.deleteMany({ where: { userId, consumedAt: null } }),
    systemDb().identityLinkIntent.create({ data: { userId, tokenHash: hashToken(token), expiresAt } }),
  ]);
  return { token, expiresAt };
}

/** The user a link token was issued to, consuming it: single use, and only before it expires. */
async function consumeLinkIntent(token: string, now: Date): Promise<string | null> {
  const tokenHash = hashToken(token);
  // One conditional UPDATE: of two sign-ins racing with the same cookie, exactly one consumes it.
  const consumed = await systemDb().identityLinkIntent.updateMany({ where: { tokenHash, consumedAt: null, expiresAt: { gt: now } }, data: { consumedAt: now } });
  if (consumed.count !== 1) return null;
  const intent = await systemDb().identityLinkIntent.findUnique({ where: { tokenHash }, select: { userId: true } });
  return intent?.userId ?? null;
}

/**
 * The existing user a verified email may join: only when the IdP vouches for the address (email_verified true),
 * the sign-in came through an organization's own SSO connection, and that organization has proven it owns the
 * address's domain (a DNS-verified domain). Then the organization controls that mailbox, so the person who
 * holds the address is the person the connection signs in. Several users can share an address (other IdPs may
 * have asserted it); a member of the organization wins, then the oldest account.
 */
async function findUserForVerifiedDomain(assertion: SignInAssertion, email: string): Promise<{ userId: string; organizationId: string } | null> {
  if (assertion.profile.email_verified !== true || !assertion.connectionId) return null;
  const domain = email.slice(email.lastIndexOf('@') + 1);
  const db = systemDb();
  const connection = await db.ssoConnection.findUnique({ where: { id: assertion.connectionId }, select: { organizationId: true, issuer: true } });
  if (!connection || connection.issuer !== assertion.issuer) return null;
  const verified = await db.verifiedDomain.findFirst({ where: { organizationId: connection.organizationId, domain, verifiedAt: { not: null } }, select: { id: true } });
  if (!verified) return null;
  const users = await db.user.findMany({
    where: { email: { equals: email, mode: 'insensitive' } },
    orderBy: { createdAt: 'asc' },
    select: { id: true, memberships: { where: { organizationId: connection.organizationId }, select: { id: true } } },
  });
  const chosen = users.find((u) => u.memberships.length > 0) ?? users[0];
  return chosen ? { userId: chosen.id, organizationId: connection.organizationId } : null;
}

/**
 * Writes one entry to the audit log of each organization the user belongs to (plus `alsoOrganizationId`): an
 * identity is the user's, not one organization's, but every organization they can reach should see who can now
 * sign in as them. Written after the change, one transaction per organization (each chain is locked alone).
 */
export async function auditIdentityChange(userId: string, actor: Actor | 'self', input: AuditInput, alsoOrganizationId?: string): Promise<void> {
  const db = systemDb();
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true, name: true, memberships: { select: { organizationId: true, role: true } } } });
  const orgs = new Map<string, Role | null>(user.memberships.map((m) => [m.organizationId, m.role]));
  if (alsoOrganizationId && !orgs.has(alsoOrganizationId)) orgs.set(alsoOrganizationId, null);
  for (const [organizationId, role] of orgs) {
    const ctx: OrgContext = actor !== 'self' ? { organizationId, organizationSlug: '', actor }
      : role ? userContext({ id: organizationId, slug: '' }, { userId, email: user.email, name: user.name }, role)
      : systemContext(organizationId, 'sign-in');
    await dbFor(ctx).$transaction((tx) => writeAudit(tx, ctx, input));
  }
}

/**
 * The identity part of sign-in. The user is found by (issuer, subject), never by email. A new (issuer, subject)
 * becomes a new user, whatever address it asserts, unless
 * - `linkToken` is a live "Link another sign-in" intent: the identity joins the user who started it; or
 * - the verified-domain rule of findUserForVerifiedDomain holds: it joins the user with that address.
 * A link token for an identity that already belongs to someone else is refused (identities never move).
 */
export async function resolveIdentityAtSignIn(assertion: SignInAssertion, options: { linkToken?: string | null; now?: Date } = {}): Promise<ResolvedIdentity> {
  const { issuer, connectionId, profile } = assertion;
  const now = options.now ?? new Date();
  const email = profile.email.toLowerCase();
  const emailVerified = profile.email_verified === true;
  const db = systemDb();
  const linkUserId = options.linkToken ? await consumeLinkIntent(options.linkToken, now) : null;

  const found = await db.userIdentity.findUnique({ where: { issuer_subject: { issuer, subject: profile.sub } }, select: { id: true, userId: true } });
  if (found) {
    if (linkUserId && found.userId !== linkUserId) {
      throw new AppError('conflict', 'This sign-in already belongs to another Bulwark account: sign in with it and unlink it there first');
    }
    const identity = await db.userIdentity.update({
      where: { id: found.id },
      data: { email, emailVerified, lastSignInAt: now, user: { update: { name: profile.name ?? undefined, lastSignInAt: now } } },
      select: IDENTITY_SELECT,
    });
    return { userId: identity.user.id, identityId: identity.id, sessionVersion: identity.user.sessionVersion, linkedBy: null };
  }

  const domainMatch = linkUserId ? null : await findUserForVerifiedDomain(assertion, email);
  const existingUserId = linkUserId ?? domainMatch?.userId ?? null;
  const fields = { issuer, subject: profile.sub, email, emailVerified, lastSignInAt: now, ...(connectionId ? { connection: { connect: { id: connectionId } } } : {}) };
  let identity;
  try {
    identity = await db.userIdentity.create({
      data: {
        ...fields,
        user: existingUserId
          ? { connect: { id: existingUserId } }
          : { create: { email, name: profile.name ?? null, lastSignInAt: now } },
      },
      select: IDENTITY_SELECT,
    });
  } catch (error) {
    // The same first sign-in twice at once (two tabs): the other request created the identity; use it.
    if (!isUniqueViolation(error)) throw error;
    return resolveIdentityAtSignIn(assertion, { now });
  }
  if (existingUserId) await db.user.update({ where: { id: existingUserId }, data: { lastSignInAt: now } });
  const linkedBy = linkUserId ? 'explicit' : domainMatch ? 'verified-domain' : null;
  if (linkedBy) {
    await auditIdentityChange(identity.user.id, linkedBy === 'explicit' ? 'self' : { kind: 'system', reason: 'verified-domain-sign-in' }, {
      action: 'identity.linked', targetType: 'User', targetId: identity.user.id,
      after: { identityId: identity.id, issuer, subject: profile.sub, connectionId, email, linkedBy },
    }, domainMatch?.organizationId);
  }
  return { userId: identity.user.id, identityId: identity.id, sessionVersion: identity.user.sessionVersion, linkedBy };
}

/** The sign-ins a user can use, for Settings -> Profile. */
export async function listIdentities(userId: string) {
  return systemDb().userIdentity.findMany({
    where: { userId },
    orderBy: { createdAt: 'asc' },
    select: { id: true, issuer: true, email: true, emailVerified: true, createdAt: true, lastSignInAt: true, connection: { select: { id: true, name: true } } },
  });
}

/**
 * Removes one of the user's own identities (never the last: they could not sign in any more) and ends all of
 * their sessions by bumping sessionVersion, so a session that came through the removed sign-in stops at once.
 */
export async function unlinkIdentity(userId: string, identityId: string): Promise<void> {
  const db = systemDb();
  const removed = await db.$transaction(async (tx) => {
    // Lock the user row: two unlinks at once must not remove both remaining identities.
    await lockUserRow(tx, userId);
    const identities = await tx.userIdentity.findMany({ where: { userId }, select: { id: true, issuer: true, subject: true, email: true, connectionId: true } });
    const identity = identities.find((i) => i.id === identityId);
    if (!identity) throw new AppError('not_found', 'Sign-in not found');
    if (identities.length <= 1) throw new AppError('conflict', 'This is your only sign-in: link another one before removing it');
    await tx.userIdentity.delete({ where: { id: identity.id } });
    await tx.user.update({ where: { id: userId }, data: { sessionVersion: { increment: 1 } } });
    return identity;
  });
  forgetSessionChecks(userId);
  await auditIdentityChange(userId, 'self', {
    action: 'identity.unlinked', targetType: 'User', targetId: userId,
    before: { identityId: removed.id, issuer: removed.issuer, subject: removed.subject, connectionId: removed.connectionId, email: removed.email },
  });
}

/** The organization's enabled SSO connections a member may link as another sign-in (names only). */
export async function listLinkableConnections(ctx: Pick<OrgContext, 'organizationId'>) {
  return dbFor(ctx).ssoConnection.findMany({ where: { enabled: true }, orderBy: { name: 'asc' }, select: { id: true, name: true } });
}
