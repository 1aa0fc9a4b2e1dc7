import type { OrgContext } from '../../platform/auth/context';
import { dbFor } from '../../platform/db/tenant';
import { renderWebhookBody, type WebhookPayload } from './payload';
import { EVENT_HEADER, ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, signWebhookBody } from './signature';
import { WebhookAddressError, assertDeliverableAddress } from './resolve-target';
import { postToWebhook } from './post-webhook';

export const WEBHOOK_TIMEOUT_MS = 10_000;

export type DeliveryOutcome = 'delivered' | 'skipped' | 'gone';

/** A failed attempt: thrown so BullMQ retries with backoff (the job options are in lib/platform/queue/producers.ts). */
export class WebhookDeliveryError extends Error {
  override readonly name = 'WebhookDeliveryError';
}

function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof WebhookAddressError) return `refused: ${error.message}`.slice(0, 500);
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return `timed out after ${timeoutMs} ms`;
  const code = error instanceof Error ? (error as { code?: string }).code : undefined;
  return `request failed: ${code ?? (error instanceof Error ? error.message : String(error))}`.slice(0, 500);
}

/**
 * One attempt at one delivery: POST the stored payload, signed (Standard Webhooks headers, ./signature.ts), and
 * record the outcome (status, response code and excerpt, duration, attempts, error). A 2xx marks it DELIVERED. Anything else (non-2xx, redirect, timeout, connection
 * error, an address the policy refuses) throws; on the final attempt the delivery is marked FAILED first. The
 * host is resolved now and every address checked (lib/services/webhooks/url-policy.ts); the connection goes to the checked
 * address. Redirects are not followed: a receiver can't bounce our signed request to an address we would refuse.
 */
export async function deliverWebhook(
  ctx: OrgContext, deliveryId: string, options: { isFinalAttempt: boolean; timeoutMs?: number },
): Promise<DeliveryOutcome> {
  const timeoutMs = options.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
  const db = dbFor(ctx);
  const delivery = await db.webhookDelivery.findUnique({ where: { id: deliveryId } });
  if (!delivery) return 'gone'; // the webhook was deleted, and its log with it
  if (delivery.status !== 'PENDING') return 'skipped';
  const webhook = await db.webhook.findUnique({ where: { id: delivery.webhookId }, omit: { secret: false } });
  if (!webhook) return 'gone';
  if (!webhook.enabled) {
    await db.webhookDelivery.update({ where: { id: deliveryId }, data: { status: 'FAILED', error: 'the webhook is disabled' } });
    return 'skipped';
  }

  const body = renderWebhookBody(webhook.format, delivery.payload as WebhookPayload);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const started = performance.now();
  let responseStatus: number | null = null;
  let responseExcerpt: string | null = null;
  let error: string | null = null;
  try {
    const signal = AbortSignal.timeout(timeoutMs);
    const target = await assertDeliverableAddress(webhook.url);
    const response = await postToWebhook(target, {
      'Content-Type': 'application/json',
      'User-Agent': 'Bulwark-Webhooks/1.0',
      [ID_HEADER]: delivery.id,
      [TIMESTAMP_HEADER]: timestamp,
      [SIGNATURE_HEADER]: signWebhookBody(webhook.secret, delivery.id, timestamp, body),
      [EVENT_HEADER]: delivery.eventType,
    }, body, signal);
    responseStatus = response.status;
    responseExcerpt = response.excerpt || null;
    if (response.status >= 300 && response.status < 400) error = `HTTP ${response.status} (redirects are not followed)`;
    else if (response.status < 200 || response.status >= 300) error = `HTTP ${response.status}`;
  } catch (failure) {
    error = describeFailure(failure, timeoutMs);
  }
  const durationMs = Math.round(performance.now() - started);
  const delivered = error === null;
  await db.webhookDelivery.update({
    where: { id: deliveryId },
    data: {
      attempts: { increment: 1 }, responseStatus, responseExcerpt, durationMs, error, lastAttemptAt: new Date(),
      status: delivered ? 'DELIVERED' : options.isFinalAttempt ? 'FAILED' : 'PENDING',
      deliveredAt: delivered ? new Date() : null,
    },
  });
  if (!delivered) throw new WebhookDeliveryError(`webhook delivery ${deliveryId}: ${error}`);
  return 'delivered';
}
