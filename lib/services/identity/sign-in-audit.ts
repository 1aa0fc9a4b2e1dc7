import { systemDb, dbFor } from '../../platform/db/tenant';
import { systemContext, userContext, type OrgContext } from '../../platform/auth/context';
import { resolveSessionMembership } from '../../platform/auth/membership';
import type { RequestMeta } from '../../platform/auth/request-meta';
import { logger } from '../../platform/log';
import { isAppError } from '../../platform/errors';
import { consumeRateLimit } from '../../platform/rate-limit';
import { writeAudit } from '../audit/write-audit';
import { connectionIdFromProviderId } from '../sso/schemas';

const log = logger.child({ component: 'sign-in' });

/**
 * Anyone can make a refusal happen: a forged callback to `/api/auth/callback/sso-<id>` with `error=access_denied`
 * needs no account. So refusals reach an organization's audit log within a budget (per organization, shared by
 * every web replica through Redis); beyond it they go to the server log only, counted, and the organization's
 * log stays readable. Successes need a real sign-in at the IdP and are always written.
 */
export const REFUSAL_AUDIT_BUDGET = { points: 30, seconds: 600 } as const;

async function withinRefusalBudget(organizationId: string): Promise<boolean> {
  try {
    await consumeRateLimit('signin-audit', organizationId, REFUSAL_AUDIT_BUDGET.points, REFUSAL_AUDIT_BUDGET.seconds);
    return true;
  } catch (error) {
    if (isAppError(error) && error.code === 'rate_limited') return false;
    throw error;
  }
}

/**
 * Every way a sign-in can end without a session, as the code has them (lib/web/auth.ts, lib/web/sign-in-attempt.ts,
 * resolveIdentityAtSignIn). There is no "unknown account" refusal: a new identity becomes a new user; SSO
 * enforcement does not refuse a sign-in either, it refuses the session at the organization's door, so a success
 * records whether the session may enter (`access`).
 */
export const SIGN_IN_REFUSALS = {
  idp_refused: 'The identity provider refused or cancelled the sign-in',
  invalid_idp_response: 'The identity provider\'s answer failed a check (state, PKCE, code exchange or ID token)',
  invalid_profile: 'The identity provider\'s claims lack a usable subject or email address',
  identity_conflict: 'The sign-in belongs to another Bulwark account, so it could not be linked',
  connection_disabled: 'The organization\'s SSO connection is disabled',
  unknown_provider: 'No such sign-in provider or SSO connection',
  error: 'Bulwark could not complete the sign-in',
} as const;
export type SignInRefusal = keyof typeof SIGN_IN_REFUSALS;

export type SignInAttempt = {
  /** The next-auth provider id: `oidc` (the platform IdP), an OIDC_EXTRA_PROVIDERS id, or `sso-<connection id>`. */
  providerId: string;
  /** The platform provider's display name (an SSO connection's name is read from the database). */
  providerName: string | null;
  issuer: string | null;
  outcome: 'succeeded' | 'refused';
  /** Refused: why (unknown when the caller could not tell; then `error`, or the connection's state). */
  reason?: SignInRefusal;
  /** The IdP's own error code when it sent one (`access_denied`); never a token or a code. */
  idpError?: string | null;
  /** Who: known on success, and on a refusal after the IdP answered (its subject). */
  userId?: string | null;
  subject?: string | null;
  email?: string | null;
  request: RequestMeta;
};

type Access = 'member' | 'sso_required' | 'no_membership';

/**
 * Records one sign-in attempt in the audit log of the organizations it concerns, each in its own chain
 * (writeAudit: the `auditChain` lock, one transaction per organization):
 * - through an organization's SSO connection: that organization only, success or refusal, member or not (its IdP
 *   was used; a success that gave no membership says so);
 * - through a platform provider: the organizations the user belongs to, when the user is known (on success, or
 *   by the identity the IdP asserted); never any other organization.
 * An attempt no organization can be named for (an unknown provider or connection, a platform refusal before the
 * IdP said who) goes to the server log only: provider, issuer, reason, client address and user agent, no token.
 */
export async function recordSignInAttempt(attempt: SignInAttempt): Promise<{ organizationIds: string[] }> {
  const db = systemDb(); // crosses tenants on purpose: which organizations an attempt concerns is the question
  const connectionId = connectionIdFromProviderId(attempt.providerId);
  const connection = connectionId
    ? await db.ssoConnection.findUnique({ where: { id: connectionId }, select: { id: true, organizationId: true, name: true, issuer: true, enabled: true } })
    : null;
  const reason: SignInRefusal | undefined = attempt.outcome === 'succeeded' ? undefined
    : attempt.reason ?? (connectionId && !connection ? 'unknown_provider' : connection && !connection.enabled ? 'connection_disabled' : 'error');
  const issuer = attempt.issuer ?? connection?.issuer ?? null;
  const userId = attempt.userId ?? (issuer && attempt.subject
    ? (await db.userIdentity.findUnique({ where: { issuer_subject: { issuer, subject: attempt.subject } }, select: { userId: true } }))?.userId ?? null
    : null);
  const user = userId ? await db.user.findUnique({
    where: { id: userId },
    select: { email: true, name: true, memberships: { select: { organizationId: true, role: true, organization: { select: { slug: true } } } } },
  }) : null;

  const organizationIds = connectionId ? (connection ? [connection.organizationId] : []) : (user?.memberships.map((m) => m.organizationId) ?? []);
  if (organizationIds.length === 0) {
    const fields = { provider: attempt.providerId, issuer, outcome: attempt.outcome, reason, idpError: attempt.idpError ?? undefined, userId: userId ?? undefined, ip: attempt.request.ip, userAgent: attempt.request.userAgent };
    if (attempt.outcome === 'succeeded') log.info(fields, 'sign-in of a user with no organization');
    else log.warn(fields, `sign-in refused: ${SIGN_IN_REFUSALS[reason ?? 'error']}`);
    return { organizationIds };
  }

  const after = {
    method: connection ? 'sso' : 'platform',
    provider: attempt.providerId,
    idp: connection?.name ?? attempt.providerName ?? attempt.providerId,
    issuer,
    outcome: attempt.outcome,
    ...(reason ? { reason, reasonText: SIGN_IN_REFUSALS[reason] } : {}),
    ...(attempt.idpError ? { idpError: attempt.idpError.slice(0, 100) } : {}),
    email: user?.email ?? attempt.email ?? null,
  };
  const written: string[] = [];
  for (const organizationId of organizationIds) {
    if (attempt.outcome === 'refused' && !(await withinRefusalBudget(organizationId))) {
      log.warn({ organizationId, provider: attempt.providerId, reason, ip: attempt.request.ip, userAgent: attempt.request.userAgent },
        'sign-in refusal over the organization\'s audit budget: server log only');
      continue;
    }
    written.push(organizationId);
    const membership = user?.memberships.find((m) => m.organizationId === organizationId);
    const request = { ip: attempt.request.ip, userAgent: attempt.request.userAgent };
    const ctx: OrgContext = user && userId && membership
      ? userContext({ id: organizationId, slug: membership.organization.slug }, { userId, email: user.email, name: user.name }, membership.role, request)
      : { ...systemContext(organizationId, 'sign-in'), ...request };
    let access: Access | undefined;
    if (attempt.outcome === 'succeeded') {
      if (!membership || !userId) access = 'no_membership';
      else access = (await resolveSessionMembership({ userId, connectionId: connection?.id ?? null }, membership.organization.slug)).kind === 'sso_required' ? 'sso_required' : 'member';
    }
    await dbFor(ctx).$transaction((tx) => writeAudit(tx, ctx, {
      action: `sign_in.${attempt.outcome}`,
      ...(userId ? { targetType: 'User', targetId: userId } : {}),
      after: { ...after, ...(access ? { access } : {}) },
    }));
  }
  return { organizationIds: written };
}
