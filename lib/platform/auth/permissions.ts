import { AppError } from '../errors';
import type { Role } from '../db/client';
import type { OrgContext } from './context';

/** Who may do what. Every page, route handler, server action and job asks this table and nothing else. */
export const PERMISSIONS = {
  'org.read': ['OWNER', 'ADMIN', 'MEMBER', 'AUDITOR', 'VIEWER'],
  'org.manage': ['OWNER', 'ADMIN'],
  'member.read': ['OWNER', 'ADMIN', 'MEMBER', 'AUDITOR', 'VIEWER'],
  'member.manage': ['OWNER', 'ADMIN'],
  'team.read': ['OWNER', 'ADMIN', 'MEMBER', 'AUDITOR', 'VIEWER'],
  'team.manage': ['OWNER', 'ADMIN'],
  'cluster.read': ['OWNER', 'ADMIN', 'MEMBER', 'AUDITOR', 'VIEWER'],
  'cluster.manage': ['OWNER', 'ADMIN'],
  'token.manage': ['OWNER', 'ADMIN'],
  'apitoken.manage': ['OWNER', 'ADMIN'],
  'finding.read': ['OWNER', 'ADMIN', 'MEMBER', 'AUDITOR', 'VIEWER'],
  'finding.acknowledge': ['OWNER', 'ADMIN', 'MEMBER'],
  'finding.assign': ['OWNER', 'ADMIN', 'MEMBER'],
  'finding.comment': ['OWNER', 'ADMIN', 'MEMBER'],
  'finding.false_positive': ['OWNER', 'ADMIN'],
  'risk.request': ['OWNER', 'ADMIN', 'MEMBER'],
  'risk.approve': ['OWNER', 'ADMIN'],
  'exception.manage': ['OWNER', 'ADMIN'],
  'ticket.read': ['OWNER', 'ADMIN', 'MEMBER', 'AUDITOR', 'VIEWER'],
  'ticket.manage': ['OWNER', 'ADMIN', 'MEMBER'],
  'report.read': ['OWNER', 'ADMIN', 'AUDITOR'],
  'report.generate': ['OWNER', 'ADMIN', 'AUDITOR'],
  'report.download': ['OWNER', 'ADMIN', 'AUDITOR'],
  // Scheduled reports (issue 20): whoever may generate reports schedules them; only owners and admins approve the
  // external addresses a schedule may mail (the reports leave the organization).
  'report.schedule': ['OWNER', 'ADMIN', 'AUDITOR'],
  'report.recipients.manage': ['OWNER', 'ADMIN'],
  'audit.read': ['OWNER', 'ADMIN', 'AUDITOR'],
  'webhook.manage': ['OWNER', 'ADMIN'],
  // Statement of Applicability (issue 19): everyone reads it (auditors above all); owners and admins decide and
  // approve a version (the approval is audited; a second person is not required).
  'soa.read': ['OWNER', 'ADMIN', 'MEMBER', 'AUDITOR', 'VIEWER'],
  'soa.edit': ['OWNER', 'ADMIN'],
  'soa.approve': ['OWNER', 'ADMIN'],
  // Evidence (issue 19): everyone sees what evidence exists and its state; files (policies, screenshots) only to
  // those who work with or audit them (not viewers). Members upload; owners and admins accept or reject (never their
  // own upload: four eyes); auditors, owners and admins ask for evidence; the request's thread is for all but viewers.
  'evidence.read': ['OWNER', 'ADMIN', 'MEMBER', 'AUDITOR', 'VIEWER'],
  'evidence.download': ['OWNER', 'ADMIN', 'MEMBER', 'AUDITOR'],
  'evidence.upload': ['OWNER', 'ADMIN', 'MEMBER'],
  'evidence.review': ['OWNER', 'ADMIN'],
  'evidence.request': ['OWNER', 'ADMIN', 'AUDITOR'],
  'evidence.comment': ['OWNER', 'ADMIN', 'MEMBER', 'AUDITOR'],
  // An SSO connection decides who signs in as whom; a verified domain routes everyone at it to that connection;
  // enforcement can lock members out. Owners only.
  'sso.manage': ['OWNER'],
  /** Names of the organization's connections, for the group-mapping form (admins map groups). */
  'sso.read': ['OWNER', 'ADMIN'],
  // Jira (issue 20): owners and admins connect it (its token acts in Jira for the organization); whoever works on
  // findings and tickets creates issues from them.
  'jira.manage': ['OWNER', 'ADMIN'],
  'jira.create': ['OWNER', 'ADMIN', 'MEMBER'],
  // The organization's own policies (issue 23): everyone sees its custom controls and frameworks; owners and admins
  // write, preview, enable and disable them (a control changes every cluster's findings and scores).
  'policy.read': ['OWNER', 'ADMIN', 'MEMBER', 'AUDITOR', 'VIEWER'],
  'policy.manage': ['OWNER', 'ADMIN'],
  // Access review campaigns (issue 22): everyone sees campaigns and their progress (auditors above all); owners and
  // admins start and sign off campaigns; whoever works on findings decides the items assigned to them (never their
  // own access: four eyes, checked by the reviews room).
  'access_review.read': ['OWNER', 'ADMIN', 'MEMBER', 'AUDITOR', 'VIEWER'],
  'access_review.manage': ['OWNER', 'ADMIN'],
  'access_review.decide': ['OWNER', 'ADMIN', 'MEMBER'],
} as const satisfies Record<string, readonly Role[]>;
export type Permission = keyof typeof PERMISSIONS;

/** Agents only push snapshots and read their own snapshot's status; system jobs act for the organization. */
const AGENT_PERMISSIONS: ReadonlySet<Permission> = new Set<Permission>([]);
export const AGENT_ACTIONS = ['snapshot.push', 'snapshot.status'] as const;

export function can(ctx: OrgContext, permission: Permission): boolean {
  switch (ctx.actor.kind) {
    case 'user':
    case 'apiToken':
      return (PERMISSIONS[permission] as readonly Role[]).includes(ctx.actor.role);
    case 'agent':
      return AGENT_PERMISSIONS.has(permission);
    case 'system':
      return true;
  }
}

export function authorize(ctx: OrgContext, permission: Permission): void {
  if (!can(ctx, permission)) throw new AppError('forbidden', `Your role may not do this (${permission})`);
}

export const ROLES: readonly Role[] = ['OWNER', 'ADMIN', 'MEMBER', 'AUDITOR', 'VIEWER'];
