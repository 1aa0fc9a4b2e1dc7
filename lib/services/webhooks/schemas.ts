import { z } from 'zod';
import type { WebhookFormat } from '../../platform/db/client';
import { DOMAIN_EVENT_TYPES } from '../events/types';
import { validateWebhookUrl } from './url-policy';

/** The domain events a webhook can subscribe to: every domain event (the same names as the DomainEvent outbox). */
export const WEBHOOK_EVENTS = DOMAIN_EVENT_TYPES;
export const WEBHOOK_FORMATS = ['JSON', 'SLACK'] as const satisfies readonly WebhookFormat[];
/** The event type of a delivery made by "Send test". */
export const WEBHOOK_TEST_EVENT = 'webhook.test';

/**
 * The save-time check (lib/services/webhooks/url-policy.ts): https (http only outside production), no credentials, no
 * internal address or metadata name. The host's addresses are checked again at every delivery.
 */
export const WebhookUrlSchema = z.string().trim().max(2000).superRefine((value, context) => {
  const check = validateWebhookUrl(value);
  if (!check.ok) context.addIssue({ code: 'custom', message: check.error });
});

export const CreateWebhookSchema = z.object({
  url: WebhookUrlSchema,
  events: z.array(z.enum(WEBHOOK_EVENTS)).min(1, 'Choose at least one event').transform((events) => [...new Set(events)]),
  format: z.enum(WEBHOOK_FORMATS).default('JSON'),
});
export type CreateWebhookInput = z.input<typeof CreateWebhookSchema>;

const WebhookEventsSchema = z.array(z.enum(WEBHOOK_EVENTS)).min(1, 'Choose at least one event').transform((events) => [...new Set(events)]);

/** Edit a webhook: any of its URL, events, format, and whether it is enabled. */
export const UpdateWebhookSchema = z.object({
  webhookId: z.uuid(),
  url: WebhookUrlSchema.optional(),
  enabled: z.boolean().optional(),
  events: WebhookEventsSchema.optional(),
  format: z.enum(WEBHOOK_FORMATS).optional(),
});
export type UpdateWebhookInput = z.input<typeof UpdateWebhookSchema>;

export const ListDeliveriesQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** The id of the last delivery of the previous page. */
  cursor: z.uuid().optional(),
});
export type ListDeliveriesQueryInput = z.input<typeof ListDeliveriesQuerySchema>;

/** A webhook named by id (rotate the secret, send a test, delete). */
export const WebhookIdSchema = z.object({ webhookId: z.uuid() });
export type WebhookIdInput = z.input<typeof WebhookIdSchema>;

/** "Retry now" for one failed delivery of a webhook. */
export const RetryDeliverySchema = z.object({ webhookId: z.uuid(), deliveryId: z.uuid() });
export type RetryDeliveryInput = z.input<typeof RetryDeliverySchema>;

/** The v1 API's PATCH body: what updateWebhook changes, the webhook named by the URL. */
export const PatchWebhookBodySchema = UpdateWebhookSchema.omit({ webhookId: true });
export type PatchWebhookBody = z.infer<typeof PatchWebhookBodySchema>;

/** A webhook as the v1 API shows it (never its secret). */
export const WebhookResourceSchema = z.object({
  id: z.uuid(), url: z.string(), events: z.array(z.string()), format: z.enum(WEBHOOK_FORMATS), enabled: z.boolean(), createdAt: z.iso.datetime(),
});
export type WebhookResource = z.infer<typeof WebhookResourceSchema>;

export function webhookResource(webhook: { id: string; url: string; events: string[]; format: WebhookFormat; enabled: boolean; createdAt: Date }): WebhookResource {
  return { id: webhook.id, url: webhook.url, events: webhook.events, format: webhook.format, enabled: webhook.enabled, createdAt: webhook.createdAt.toISOString() };
}
