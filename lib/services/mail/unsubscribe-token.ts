import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { keyring } from '../../platform/auth/secret-box';
import { env } from '../../platform/env';
import { MAIL_CATEGORIES, TRANSACTIONAL_CATEGORIES, type MailCategory } from './types';

/**
 * Unsubscribe links: `/mail/unsubscribe?t=<payload>.<signature>`, the payload naming the organization, the
 * address and the category, signed with HMAC-SHA256 under a key derived (HKDF) from BULWARK_ENCRYPTION_KEY. The
 * token grants one thing: stopping that category of mail to that address from that organization. It does not
 * expire (an old mail's link must keep working); rotating the encryption key invalidates old links.
 */
const PayloadSchema = z.object({ o: z.uuid(), e: z.string().min(3).max(320), c: z.enum(MAIL_CATEGORIES) }).strict();
export type UnsubscribeClaim = { organizationId: string; email: string; category: MailCategory };

function signingKey(): Buffer {
  return Buffer.from(hkdfSync('sha256', keyring().current.secret, Buffer.alloc(0), 'bulwark mail unsubscribe v1', 32));
}

function sign(payload: string): string {
  return createHmac('sha256', signingKey()).update(payload).digest('base64url');
}

export function unsubscribeToken(claim: UnsubscribeClaim): string {
  if (TRANSACTIONAL_CATEGORIES.has(claim.category)) throw new Error(`${claim.category} mail is transactional: it has no unsubscribe link`);
  const payload = Buffer.from(JSON.stringify({ o: claim.organizationId, e: claim.email.toLowerCase(), c: claim.category })).toString('base64url');
  return `${payload}.${sign(payload)}`;
}

export function unsubscribeUrl(claim: UnsubscribeClaim): string {
  return `${env().APP_URL.replace(/\/$/, '')}/mail/unsubscribe?t=${encodeURIComponent(unsubscribeToken(claim))}`;
}

/** The claim of a well-formed, correctly signed token; null for anything else. */
export function readUnsubscribeToken(token: string): UnsubscribeClaim | null {
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined || payload.length > 1_000) return null;
  const expected = Buffer.from(sign(payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  try {
    const parsed = PayloadSchema.safeParse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
    if (!parsed.success || TRANSACTIONAL_CATEGORIES.has(parsed.data.c)) return null;
    return { organizationId: parsed.data.o, email: parsed.data.e, category: parsed.data.c };
  } catch {
    return null;
  }
}
