import { z } from 'zod';
import { resolveIdentityAtSignIn } from './identities';
import { syncGroupMemberships } from './group-sync';

export const OidcProfileSchema = z.object({
  sub: z.string().min(1),
  email: z.email(),
  /** Only `true` counts: missing or false means the IdP does not vouch for the address. */
  email_verified: z.boolean().nullish(),
  name: z.string().nullish(),
  groups: z.array(z.string()).nullish(),
});
export type OidcProfile = z.infer<typeof OidcProfileSchema>;

/** Who the IdP says signed in, and through which connection (null: the platform IdP from the environment). */
export type SignInAssertion = { issuer: string; connectionId: string | null; profile: OidcProfile };

/**
 * Runs at every sign-in. The user is found by the identity (issuer, subject), never by email: a new identity
 * is a new user, whatever address it asserts, unless the user linked it explicitly (`linkToken`, "Link another
 * sign-in") or the verified-domain rule holds (lib/services/identity/identities.ts). Pending invitations grant nothing here:
 * they are accepted by an explicit click on the link (lib/services/orgs/invitations.ts). Then IdP group mappings of the
 * connection the session came through are applied (a mapped group grants its role in that organization; losing
 * the group removes a membership that came from it). Invitations and direct grants are never downgraded by
 * group sync.
 */
export async function syncUserAtSignIn(assertion: SignInAssertion & { linkToken?: string | null }): Promise<{ userId: string; identityId: string; sessionVersion: number }> {
  const { connectionId, profile } = assertion;
  const email = profile.email.toLowerCase();
  const groups = profile.groups ?? [];
  const identity = await resolveIdentityAtSignIn(assertion, { linkToken: assertion.linkToken ?? null });
  const user = { id: identity.userId };

  // A group claim counts only on the connection that issued it, in that connection's organization (group-sync.ts).
  await syncGroupMemberships({ userId: user.id, email, connectionId, groups });
  return { userId: identity.userId, identityId: identity.identityId, sessionVersion: identity.sessionVersion };
}
