import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'X-Bulwark-Signature';
export const TIMESTAMP_HEADER = 'X-Bulwark-Timestamp';
export const EVENT_HEADER = 'X-Bulwark-Event';
export const DELIVERY_HEADER = 'X-Bulwark-Delivery';

/** `sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`: the timestamp is signed too, so an old body can't be replayed as new. */
export function signWebhookBody(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex')}`;
}

/**
 * For receivers (and our tests): true when `header` is the signature of this exact body and timestamp, and
 * the timestamp is within `toleranceSeconds` of now. Constant-time comparison.
 */
export function verifyWebhookSignature(
  secret: string, timestamp: string, body: string, header: string | null | undefined,
  options: { toleranceSeconds?: number; now?: Date } = {},
): boolean {
  if (!header || !/^\d{1,12}$/.test(timestamp)) return false;
  const tolerance = options.toleranceSeconds ?? 300;
  const nowSeconds = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (Math.abs(nowSeconds - Number(timestamp)) > tolerance) return false;
  const expected = Buffer.from(signWebhookBody(secret, timestamp, body));
  const given = Buffer.from(header.trim());
  return expected.length === given.length && timingSafeEqual(expected, given);
}
