import type { OrgContext } from '../auth/context';
import { dbFor } from '../db/tenant';
import { renderWebhookBody, type WebhookPayload } from './payload';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, signWebhookBody } from './signature';

export const WEBHOOK_TIMEOUT_MS = 10_000;

export type DeliveryOutcome = 'delivered' | 'skipped' | 'gone';

/** A failed attempt: thrown so BullMQ retries with backoff (the job options are in lib/queue/producers.ts). */
export class WebhookDeliveryError extends Error {
  override readonly name = 'WebhookDeliveryError';
}

function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return `timed out after ${timeoutMs} ms`;
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  return `request failed: ${cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error))}`.slice(0, 500);
}

/**
 * One attempt at one delivery: POST the stored payload, signed, and record the outcome (status, response code,
 * duration, attempts, error). A 2xx marks it DELIVERED. Anything else (non-2xx, redirect, timeout, connection
 * error) throws; on the final attempt the delivery is marked FAILED first. Redirects are not followed: a
 * receiver can't bounce our signed request to an address we would refuse.
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
  let error: string | null = null;
  try {
    const response = await fetch(webhook.url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'Bulwark-Webhooks/1.0',
        [SIGNATURE_HEADER]: signWebhookBody(webhook.secret, timestamp, body),
        [TIMESTAMP_HEADER]: timestamp,
        [EVENT_HEADER]: delivery.eventType,
        [DELIVERY_HEADER]: delivery.id,
      },
      body,
    });
    responseStatus = response.status;
    await response.body?.cancel(); // the receiver's body is not ours to store
    if (response.status < 200 || response.status >= 300) error = `HTTP ${response.status}`;
  } catch (failure) {
    error = describeFailure(failure, timeoutMs);
  }
  const durationMs = Math.round(performance.now() - started);
  const delivered = error === null;
  await db.webhookDelivery.update({
    where: { id: deliveryId },
    data: {
      attempts: { increment: 1 }, responseStatus, durationMs, error,
      status: delivered ? 'DELIVERED' : options.isFinalAttempt ? 'FAILED' : 'PENDING',
      deliveredAt: delivered ? new Date() : null,
    },
  });
  if (!delivered) throw new WebhookDeliveryError(`webhook delivery ${deliveryId}: ${error}`);
  return 'delivered';
}
