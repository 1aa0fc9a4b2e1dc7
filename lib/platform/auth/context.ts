import { AppError } from '../errors';
import type { Role } from '../db/client';

export type Actor =
  | { kind: 'user'; userId: string; role: Role; email: string; name: string | null }
  | { kind: 'apiToken'; tokenId: string; role: Role }
  | { kind: 'agent'; clusterId: string; tokenId: string }
  | { kind: 'system'; reason: string };

/** Every request, job and CLI run that touches tenant data carries one. */
export type OrgContext = { organizationId: string; organizationSlug: string; actor: Actor; ip?: string | null; userAgent?: string | null };

/**
 * The ways to obtain an OrgContext, all in lib/platform/auth: a signed-in session's membership (membership.ts,
 * resolveSessionMembership), an organization API token (api-token-context.ts), an agent token
 * (agent-token-context.ts), and a job or CLI acting for the organization (systemContext below). userContext is for
 * services that have just established who acts with which role (an accepted invitation, an audited identity change).
 */
export function systemContext(organizationId: string, reason: string, organizationSlug = ''): OrgContext {
  return { organizationId, organizationSlug, actor: { kind: 'system', reason } };
}

/** A person acting in an organization with `role`. */
export function userContext(
  organization: { id: string; slug: string },
  user: { userId: string; email: string; name: string | null },
  role: Role,
  request?: { ip?: string | null; userAgent?: string | null },
): OrgContext {
  return {
    organizationId: organization.id,
    organizationSlug: organization.slug,
    actor: { kind: 'user', userId: user.userId, role, email: user.email, name: user.name },
    ...(request ? { ip: request.ip ?? null, userAgent: request.userAgent ?? null } : {}),
  };
}

export function actorUserId(ctx: OrgContext): string | null {
  return ctx.actor.kind === 'user' ? ctx.actor.userId : null;
}

export function actorLabel(actor: Actor): string {
  switch (actor.kind) {
    case 'user': return actor.email;
    case 'apiToken': return `api-token:${actor.tokenId}`;
    case 'agent': return `agent:${actor.clusterId}`;
    case 'system': return `system:${actor.reason}`;
  }
}

/** Comments, requests and decisions are signed by a person; API tokens and jobs can't make them. */
export function requireUserId(ctx: OrgContext, what: string): string {
  const userId = actorUserId(ctx);
  if (!userId) throw new AppError('forbidden', `Only a signed-in user can ${what}`);
  return userId;
}
