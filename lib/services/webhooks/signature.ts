import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Standard Webhooks (https://www.standardwebhooks.com): every delivery carries
 * - `webhook-id`: the delivery's id (the same on every retry, so a receiver can drop duplicates),
 * - `webhook-timestamp`: seconds since the epoch when this attempt was signed,
 * - `webhook-signature`: `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`, keyed with the base64-decoded
 *   part of the `whsec_<base64>` secret (space-separated when several signatures apply).
 * Receivers verify with any Standard Webhooks library (the README shows Node's `standardwebhooks`); our tests check
 * these signatures with that library too. Node's crypto signs: the scheme is one HMAC, no dependency needed.
 */
export const ID_HEADER = 'webhook-id';
export const TIMESTAMP_HEADER = 'webhook-timestamp';
export const SIGNATURE_HEADER = 'webhook-signature';
/** Bulwark's own: the event type, so a receiver can route before parsing the body. */
export const EVENT_HEADER = 'x-bulwark-event';

const SECRET_PREFIX = 'whsec_';

/** A new signing secret: `whsec_` and 32 random bytes in standard base64. */
export function newWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString('base64')}`;
}

function keyOf(secret: string): Buffer {
  return Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');
}

/** The `webhook-signature` value for this message: `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`. */
export function signWebhookBody(secret: string, id: string, timestamp: string, body: string): string {
  return `v1,${createHmac('sha256', keyOf(secret)).update(`${id}.${timestamp}.${body}`, 'utf8').digest('base64')}`;
}

/**
 * For receivers written against Bulwark alone (and our tests): true when one of the header's `v1,` signatures is
 * this exact id, timestamp and body's, and the timestamp is within `toleranceSeconds` of now. Constant-time.
 */
export function verifyWebhookSignature(
  secret: string, headers: { id: string; timestamp: string; signature: string | null | undefined }, body: string,
  options: { toleranceSeconds?: number; now?: Date } = {},
): boolean {
  const { id, timestamp, signature } = headers;
  if (!signature || !/^\d{1,12}$/.test(timestamp)) return false;
  const tolerance = options.toleranceSeconds ?? 300;
  const nowSeconds = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (Math.abs(nowSeconds - Number(timestamp)) > tolerance) return false;
  const expected = Buffer.from(signWebhookBody(secret, id, timestamp, body));
  return signature.trim().split(/\s+/).some((candidate) => {
    const given = Buffer.from(candidate);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
