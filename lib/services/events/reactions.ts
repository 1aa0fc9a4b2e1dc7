import type { OrgContext } from '../../platform/auth/context';
import type { TenantTx } from '../../platform/db/tenant';
import { notifyForDomainEvent } from '../notifications/event-notifications';
import { mailForRiskEvent } from '../mail/event-mails';
import { noteFindingChangeOnTickets, openTicketForCriticalFinding } from '../tickets/ticket-reactions';
import { createEventDeliveries } from '../webhooks/event-deliveries';
import { closeRevocationsGone } from '../reviews/revocations';
import { isDomainEventType, type DomainEventType } from './types';

/** A DomainEvent row the dispatcher has claimed, read inside its organization's transaction. */
export type ClaimedEvent = { id: string; type: string; createdAt: Date; data: Record<string, unknown> };

/** What a reaction leaves for after the commit: webhook deliveries and mails to put on their queues. */
type AfterCommit = { deliveryIds?: string[]; mailIds?: string[] };
/** One thing the product does about an event, in the transaction that claims it (a failure retries the event). */
type Reaction = (tx: TenantTx, ctx: OrgContext, event: ClaimedEvent) => Promise<AfterCommit | void>;

const findingIdOf = (event: ClaimedEvent): string | null => (typeof event.data.findingId === 'string' ? event.data.findingId : null);

/** Every open ticket linked to the finding gets a timeline note: fixed or dismissed, or back after a later snapshot. */
const noteOnTickets = (change: 'finding_resolved' | 'finding_reopened'): Reaction => async (tx, ctx, event) => {
  const findingId = findingIdOf(event);
  if (findingId) await noteFindingChangeOnTickets(tx, ctx.organizationId, findingId, change);
};

/** A new CRITICAL finding opens a SEV1 ticket by itself, when the organization has autoTicketCritical on. */
const ticketIfCritical: Reaction = async (tx, ctx, event) => {
  const findingId = findingIdOf(event);
  if (findingId && event.data.severity === 'CRITICAL') await openTicketForCriticalFinding(tx, ctx, findingId);
};

/** In-app notifications: approvers are asked, the requester hears back (notifications/event-notifications.ts). */
const notifyInApp: Reaction = async (tx, ctx, event) => {
  await notifyForDomainEvent(tx, { id: ctx.organizationId, slug: ctx.organizationSlug }, event.type, event.data);
};

/** E-mail: approvers are asked, the requester hears the decision (mail/event-mails.ts); queued after the commit. */
const mailPeople: Reaction = async (tx, ctx, event) => ({ mailIds: await mailForRiskEvent(tx, ctx, event.type, event.data) });

/**
 * Access reviews (issue 22): a snapshot in which a revoked right is gone closes its revocation (reviews/revocations.ts).
 * Pipeline announces the evaluation; it does not know reviews exist.
 */
const closeRevokedAccess: Reaction = async (tx, ctx, event) => {
  const { clusterId, snapshotId } = event.data;
  if (typeof clusterId === 'string' && typeof snapshotId === 'string') await closeRevocationsGone(tx, ctx, { clusterId, snapshotId });
};

/** One WebhookDelivery per enabled webhook subscribed to the type (webhooks/event-deliveries.ts), queued after the commit. */
const deliverToWebhooks: Reaction = async (tx, ctx, event) => ({ deliveryIds: await createEventDeliveries(tx, ctx, event) });

/**
 * What happens when a finding opens (or any domain event happens): everything the product does about each
 * event type, in order. Every type must be listed (the compiler checks), so a new event type is a decision here.
 * Webhooks can subscribe only to the types in webhooks/schemas.ts WEBHOOK_EVENTS; for the others
 * deliverToWebhooks finds no subscriber.
 */
export const REACTIONS: { readonly [T in DomainEventType]: readonly Reaction[] } = {
  'finding.opened':      [ticketIfCritical, deliverToWebhooks],
  'finding.resolved':    [noteOnTickets('finding_resolved'), deliverToWebhooks],
  'finding.reopened':    [noteOnTickets('finding_reopened'), deliverToWebhooks],
  'risk.requested':      [notifyInApp, mailPeople, deliverToWebhooks],
  'risk.approved':       [notifyInApp, mailPeople, deliverToWebhooks],
  'risk.rejected':       [notifyInApp, mailPeople, deliverToWebhooks],
  'risk.expired':        [notifyInApp, deliverToWebhooks],
  'risk.revoked':        [notifyInApp, deliverToWebhooks],
  'exception.requested': [notifyInApp, deliverToWebhooks],
  'exception.approved':  [notifyInApp, deliverToWebhooks],
  'exception.rejected':  [notifyInApp, deliverToWebhooks],
  'ticket.created':      [deliverToWebhooks],
  'ticket.updated':      [deliverToWebhooks],
  'cluster.stale':       [deliverToWebhooks],
  'cluster.baseline':    [deliverToWebhooks],
  'evaluation.failed':   [deliverToWebhooks],
  'evaluation.completed': [closeRevokedAccess, deliverToWebhooks],
};

/** A type this build does not know (a row written by another version): the notifications and webhooks rooms judge it by name. */
const UNKNOWN_TYPE: readonly Reaction[] = [notifyInApp, deliverToWebhooks];

/** Runs the event's reactions in the caller's transaction; returns the webhook deliveries and mails to queue after the commit. */
export async function react(tx: TenantTx, ctx: OrgContext, event: ClaimedEvent): Promise<{ deliveryIds: string[]; mailIds: string[] }> {
  const deliveryIds: string[] = [];
  const mailIds: string[] = [];
  for (const reaction of isDomainEventType(event.type) ? REACTIONS[event.type] : UNKNOWN_TYPE) {
    const after = await reaction(tx, ctx, event);
    if (after) {
      deliveryIds.push(...(after.deliveryIds ?? []));
      mailIds.push(...(after.mailIds ?? []));
    }
  }
  return { deliveryIds, mailIds };
}
