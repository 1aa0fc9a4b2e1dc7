import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { devSubjectForEmail } from '../lib/testing/identities';

/** The one password every development account signs in with. */
export const DEV_PASSWORD = 'bulwark';

/** `emailVerified: false` makes the IdP assert `email_verified: false` (tests of what an unverified address may not do). */
export type DevUser = { email: string; name: string; groups: readonly string[]; emailVerified?: boolean };

/** Named demo accounts; the seed's memberships and group mappings refer to these emails and groups. */
export const DEV_USERS: readonly DevUser[] = [
  { email: 'owner@acme.test', name: 'Olivia Owner', groups: ['acme-owners'] },
  { email: 'admin@acme.test', name: 'Adam Admin', groups: ['acme-admins'] },
  { email: 'engineer@acme.test', name: 'Erin Engineer', groups: ['acme-engineers', 'team-platform'] },
  { email: 'auditor@acme.test', name: 'Aria Auditor', groups: ['acme-auditors'] },
  { email: 'viewer@acme.test', name: 'Victor Viewer', groups: ['acme-viewers'] },
  { email: 'admin@globex.test', name: 'Gloria Globex', groups: ['globex-admins'] },
];

/**
 * Which accounts an IdP process serves (DEV_IDP_USERS or --users). `platform` is the platform IdP; `acme` plays
 * Acme's own IdP (its SSO connection in the demo and e2e): Acme's people with Acme's groups. Each also has a
 * person whose address the IdP does not vouch for, and the platform one a non-member who carries an Acme group
 * name (a group of the same name from another IdP must grant nothing).
 */
export const DEV_USER_SETS = {
  platform: [
    ...DEV_USERS,
    { email: 'groupie@platform.test', name: 'Gus Groupie', groups: ['acme-admins', 'acme-owners'] },
    { email: 'unverified@platform.test', name: 'Una Unverified', groups: [], emailVerified: false },
  ],
  acme: [
    ...DEV_USERS.filter((user) => user.email.endsWith('@acme.test')),
    { email: 'unverified@acme.test', name: 'Uma Unverified', groups: ['acme-admins'], emailVerified: false },
  ],
} as const satisfies Record<string, readonly DevUser[]>;
export type DevUserSet = keyof typeof DEV_USER_SETS;

// `.test` is reserved (RFC 2606) and never resolves, so accepting any address under it cannot impersonate a
// real person, while each e2e test can still sign in as a fresh user of its own.
const DevEmailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email())
  .refine((email) => email.endsWith('.test'), 'only addresses under .test sign in here');

/** Stable OIDC subject for an email: the same person keeps the same `sub` across restarts. */
export const subjectForEmail = devSubjectForEmail;

/** "owner-3f9a.qa@e2e.test" → "Owner 3f9a Qa". */
export function nameFromEmail(email: string): string {
  const local = email.slice(0, email.indexOf('@'));
  return local
    .split(/[._+-]+/)
    .filter((word) => word.length > 0)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
}

/** The account for an email under `.test`, named demo user or not; null for any other address. */
export function findDevUser(email: string, users: readonly DevUser[] = DEV_USERS): DevUser | null {
  const parsed = DevEmailSchema.safeParse(email);
  if (!parsed.success) return null;
  const known = users.find((user) => user.email === parsed.data);
  return known ?? { email: parsed.data, name: nameFromEmail(parsed.data), groups: [] };
}

/** The account when email and password are right, otherwise null (the caller can't tell which was wrong). */
export function authenticateDevUser(email: string, password: string, users: readonly DevUser[] = DEV_USERS): DevUser | null {
  const user = findDevUser(email, users);
  return user && isDevPassword(password) ? user : null;
}

function isDevPassword(password: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(password), digest(DEV_PASSWORD));
}
