import { z } from 'zod';
import type { WebhookFormat } from '../db/client';
import type { DomainEventType } from '../events/emit';

/** The domain events a webhook can subscribe to (the same names as the DomainEvent outbox). */
export const WEBHOOK_EVENTS = [
  'finding.opened', 'finding.resolved', 'finding.reopened',
  'risk.requested', 'risk.approved', 'risk.rejected', 'risk.expired', 'risk.revoked',
  'ticket.created', 'ticket.updated',
  'cluster.stale', 'cluster.baseline', 'evaluation.failed',
] as const satisfies readonly DomainEventType[];
export const WEBHOOK_FORMATS = ['JSON', 'SLACK'] as const satisfies readonly WebhookFormat[];
/** The event type of a delivery made by "Send test". */
export const WEBHOOK_TEST_EVENT = 'webhook.test';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * IP literals a webhook must not reach over https: private, link-local (the cloud metadata service lives at
 * 169.254.169.254), CGNAT and unspecified addresses. The URL parser has already normalised odd IPv4 spellings
 * (0x7f.1, 2130706433). Hostnames that resolve to such addresses are not caught here.
 */
function isInternalAddressLiteral(hostname: string): boolean {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(hostname);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return a === 0 || a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127);
  }
  if (hostname.startsWith('[')) {
    const v6 = hostname.slice(1, -1).toLowerCase();
    return v6 === '::' || v6.startsWith('fc') || v6.startsWith('fd') || v6.startsWith('fe8') || v6.startsWith('fe9') || v6.startsWith('fea') || v6.startsWith('feb') || v6.startsWith('::ffff:');
  }
  return false;
}

/** https anywhere public; plain http only to this machine (local development and tests). No credentials in the URL. */
export function isAllowedWebhookUrl(value: string): boolean {
  let url: URL;
  try { url = new URL(value); } catch { return false; }
  if (url.username || url.password) return false;
  if (url.protocol === 'https:') return !isInternalAddressLiteral(url.hostname);
  if (url.protocol === 'http:') return LOOPBACK_HOSTS.has(url.hostname);
  return false;
}

export const WebhookUrlSchema = z.string().trim().max(2000)
  .refine(isAllowedWebhookUrl, 'Use an https:// URL on a public host (http:// only for localhost)');

export const CreateWebhookSchema = z.object({
  url: WebhookUrlSchema,
  events: z.array(z.enum(WEBHOOK_EVENTS)).min(1, 'Choose at least one event').transform((events) => [...new Set(events)]),
  format: z.enum(WEBHOOK_FORMATS).default('JSON'),
});
export type CreateWebhookInput = z.input<typeof CreateWebhookSchema>;

export const UpdateWebhookSchema = z.object({
  webhookId: z.uuid(),
  enabled: z.boolean().optional(),
  events: z.array(z.enum(WEBHOOK_EVENTS)).min(1).transform((events) => [...new Set(events)]).optional(),
});
export type UpdateWebhookInput = z.input<typeof UpdateWebhookSchema>;

export const ListDeliveriesQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** The id of the last delivery of the previous page. */
  cursor: z.uuid().optional(),
});
export type ListDeliveriesQueryInput = z.input<typeof ListDeliveriesQuerySchema>;
