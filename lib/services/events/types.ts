/**
 * The names of the domain events (the DomainEvent outbox's `type`). A leaf like events/emit: every room may
 * import it, to emit an event or to name the ones it cares about (webhook subscriptions, notification titles).
 */
export const DOMAIN_EVENT_TYPES = [
  'finding.opened', 'finding.resolved', 'finding.reopened',
  'risk.requested', 'risk.approved', 'risk.rejected', 'risk.expired', 'risk.revoked',
  'exception.requested', 'exception.approved', 'exception.rejected',
  'ticket.created', 'ticket.updated',
  'cluster.stale', 'cluster.baseline', 'evaluation.failed', 'evaluation.completed',
] as const;

export type DomainEventType = (typeof DOMAIN_EVENT_TYPES)[number];

export function isDomainEventType(type: string): type is DomainEventType {
  return (DOMAIN_EVENT_TYPES as readonly string[]).includes(type);
}

/** An event as a room emits it: what happened and the ids it is about (never evidence or secrets). */
export type DomainEventInput = { type: DomainEventType; data: Record<string, unknown> };
