import type { Role } from '@/lib/platform/db/client';

/** How roles read in the settings pages, and what each one may do (mirrors lib/platform/auth/permissions.ts). */
export const ROLE_LABELS: Record<Role, string> = { OWNER: 'Owner', ADMIN: 'Admin', MEMBER: 'Member', AUDITOR: 'Auditor', VIEWER: 'Viewer' };

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  OWNER: 'everything, including managing owners',
  ADMIN: 'clusters, members, teams, tokens and settings; not owners',
  MEMBER: 'works on findings, risk requests and tickets',
  AUDITOR: 'reads everything, generates reports, reads the audit log',
  VIEWER: 'reads findings, clusters and tickets',
};

export const ALL_ROLES: readonly Role[] = ['OWNER', 'ADMIN', 'MEMBER', 'AUDITOR', 'VIEWER'];

/** The roles someone may hand out: OWNER only by an owner. */
export function assignableRoles(mayManageOwners: boolean): Role[] {
  return ALL_ROLES.filter((role) => role !== 'OWNER' || mayManageOwners);
}
