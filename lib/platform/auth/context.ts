import { AppError } from '../errors';
import type { Role } from '../db/client';

export type Actor =
  | { kind: 'user'; userId: string; role: Role; email: string; name: string | null }
  | { kind: 'apiToken'; tokenId: string; role: Role }
  | { kind: 'agent'; clusterId: string; tokenId: string }
  | { kind: 'system'; reason: string };

/** Every request, job and CLI run that touches tenant data carries one. */
export type OrgContext = { organizationId: string; organizationSlug: string; actor: Actor; ip?: string | null; userAgent?: string | null };

export function systemContext(organizationId: string, reason: string, organizationSlug = ''): OrgContext {
  return { organizationId, organizationSlug, actor: { kind: 'system', reason } };
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
