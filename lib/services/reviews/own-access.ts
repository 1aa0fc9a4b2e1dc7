import type { TenantTx } from '../../platform/db/tenant';

/** The names a reviewer is known by in a cluster's RBAC: as a User subject, and the groups they belong to. */
export type ReviewerIdentity = { userNames: Set<string>; groups: Set<string> };

/** Prefixes API servers commonly put before an OIDC username (`--oidc-username-prefix`). */
const USERNAME_PREFIXES = ['oidc:', 'oidc#', 'sso:', 'user:'];

function withoutPrefix(name: string): string {
  const lower = name.toLowerCase();
  const prefix = USERNAME_PREFIXES.find((p) => lower.startsWith(p));
  return prefix ? lower.slice(prefix.length) : lower;
}

/**
 * Who the reviewer is, as a cluster would name them: their e-mail addresses (the account's and every linked
 * identity's), the part before the @ (a common username), their display name, and the IdP groups their last sign-in
 * through the organization's connection asserted (group sync). Matching is case-insensitive and generous on
 * purpose: refusing a review that was not one's own costs a second reviewer; accepting one's own breaks four eyes.
 */
export async function reviewerIdentity(tx: TenantTx, userId: string): Promise<ReviewerIdentity> {
  const membership = await tx.membership.findFirst({
    where: { userId },
    select: { idpGroups: true, user: { select: { email: true, name: true, identities: { select: { email: true, subject: true } } } } },
  });
  const userNames = new Set<string>();
  const groups = new Set<string>();
  if (!membership) return { userNames, groups };
  const emails = [membership.user.email, ...membership.user.identities.map((identity) => identity.email)].filter(Boolean);
  for (const email of emails) {
    userNames.add(email.toLowerCase());
    const local = email.split('@')[0];
    if (local) userNames.add(local.toLowerCase());
  }
  for (const identity of membership.user.identities) userNames.add(identity.subject.toLowerCase());
  if (membership.user.name) userNames.add(membership.user.name.toLowerCase());
  for (const group of membership.idpGroups) groups.add(group.toLowerCase());
  return { userNames, groups };
}

/** Why this subject is the reviewer's own access, or null when it is not. */
export function ownAccessReason(identity: ReviewerIdentity, subject: { subjectKind: string; subjectName: string }): string | null {
  if (subject.subjectKind === 'User' && identity.userNames.has(withoutPrefix(subject.subjectName))) {
    return `User "${subject.subjectName}" is you`;
  }
  if (subject.subjectKind === 'Group' && identity.groups.has(subject.subjectName.toLowerCase())) {
    return `you are in the group "${subject.subjectName}" (from your identity provider)`;
  }
  return null;
}
