import { createHash } from 'node:crypto';

/**
 * The OIDC subject the development IdP (scripts/dev-idp.ts) gives an email: the same person keeps the same `sub`
 * across restarts. Seeds, e2e fixtures and test factories give users the identity (platform issuer, this subject)
 * so a seeded person signs in as themselves; nothing outside development and tests derives subjects from emails.
 */
export function devSubjectForEmail(email: string): string {
  return createHash('sha256').update(email.toLowerCase()).digest('hex').slice(0, 32);
}
