import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { keyring } from '../../platform/auth/secret-box';
import { env } from '../../platform/env';

/**
 * Signed, expiring download links for mailed reports (issue 20): the file never sits in mail, only a link.
 *
 * Token: base64url(JSON payload) "." base64url(HMAC-SHA256(key, "bulwark-report-link.v1." + payload)). The payload
 * names the report, its organization, the recipient (a member's user id, or an approved external address) and
 * the expiry (seconds). The key is not a new secret: it is derived with HKDF-SHA256 from BULWARK_ENCRYPTION_KEY
 * (the current key of lib/platform/auth/secret-box.ts; the published development key outside production), info
 * "bulwark/report-download-link/v1", so no other use of that key can produce or check these MACs. Rotating
 * BULWARK_ENCRYPTION_KEY invalidates links already sent, which is acceptable for links that live days.
 */

/** A member's link: the member still signs in to use it, so it can live a week. */
export const MEMBER_LINK_TTL_MS = 7 * 86_400_000;
/** An external auditor's link works without an account, so it is short-lived (and the address must still be approved). */
export const EXTERNAL_LINK_TTL_MS = 72 * 3_600_000;

const PayloadSchema = z.object({
  v: z.literal(1),
  r: z.uuid(),
  o: z.uuid(),
  /** 'u': a member (s is the user id); 'e': an approved external address (s is the address). */
  k: z.enum(['u', 'e']),
  s: z.string().min(1).max(254),
  x: z.number().int().positive(),
}).strict();

export type LinkRecipient = { kind: 'member'; userId: string } | { kind: 'external'; email: string };
export type DownloadLink = { reportId: string; organizationId: string; recipient: LinkRecipient; expiresAt: Date };

function linkKey(): Buffer {
  return Buffer.from(hkdfSync('sha256', keyring().current.secret, Buffer.alloc(0), 'bulwark/report-download-link/v1', 32));
}

function mac(payload: string): Buffer {
  return createHmac('sha256', linkKey()).update(`bulwark-report-link.v1.${payload}`).digest();
}

export function signDownloadLink(link: DownloadLink): string {
  const payload = Buffer.from(JSON.stringify({
    v: 1, r: link.reportId, o: link.organizationId, k: link.recipient.kind === 'member' ? 'u' : 'e',
    s: link.recipient.kind === 'member' ? link.recipient.userId : link.recipient.email, x: Math.floor(link.expiresAt.getTime() / 1000),
  })).toString('base64url');
  return `${payload}.${mac(payload).toString('base64url')}`;
}

export function downloadLinkUrl(token: string, appUrl: string = env().APP_URL): string {
  return `${appUrl.replace(/\/+$/, '')}/api/reports/download/${token}`;
}

export type LinkCheck = { ok: true; link: DownloadLink } | { ok: false; reason: 'invalid' | 'expired' };

/** The signature first (anything altered or malformed is 'invalid'), then the expiry. */
export function verifyDownloadLink(token: string, now: Date = new Date()): LinkCheck {
  if (token.length > 2_000) return { ok: false, reason: 'invalid' };
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined || !/^[A-Za-z0-9_-]+$/.test(payload) || !/^[A-Za-z0-9_-]+$/.test(signature)) return { ok: false, reason: 'invalid' };
  const given = Buffer.from(signature, 'base64url');
  const expected = mac(payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'invalid' };
  let parsed: z.infer<typeof PayloadSchema>;
  try {
    parsed = PayloadSchema.parse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  const expiresAt = new Date(parsed.x * 1000);
  if (expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'expired' };
  return {
    ok: true,
    link: { reportId: parsed.r, organizationId: parsed.o, recipient: parsed.k === 'u' ? { kind: 'member', userId: parsed.s } : { kind: 'external', email: parsed.s }, expiresAt },
  };
}
