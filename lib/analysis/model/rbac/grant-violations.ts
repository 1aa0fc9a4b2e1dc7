import { rbacEvidence, subjectItem, type CheckContext, type Violation } from '../control';
import type { Severity } from '../evidence';
import { describeScope, describeSubject, type BindingView, type GrantMatch, type RbacSubject } from './model';
import type { PermissionQuery } from './rules';

export type GrantMessage = (args: { subject: string; scope: string; verbs: string; grant: GrantMatch; binding: BindingView }) => string;

/**
 * The usual shape of an RBAC control: if the binding's role grants the query, every subject of the binding gets
 * one violation on the binding, naming the subject, with the binding -> role -> rule chain as evidence.
 */
export function grantViolations(
  binding: BindingView,
  ctx: CheckContext,
  query: PermissionQuery,
  message: GrantMessage,
  severity?: (binding: BindingView) => Severity | undefined,
): Violation[] {
  const grant = ctx.rbac.findGrant(binding, query);
  if (!grant) return [];
  const level = severity?.(binding);
  return binding.subjects.map((subject: RbacSubject) => ({
    message: message({ subject: describeSubject(subject), scope: describeScope(binding), verbs: grant.verbs.join(', '), grant, binding }),
    evidence: rbacEvidence(binding, subject, grant.effective),
    item: subjectItem(subject),
    ...(level ? { severity: level } : {}),
  }));
}

/** Cluster-wide grants are worse than the same grant in one namespace. */
export function lowerInNamespace(namespaced: Severity): (binding: BindingView) => Severity | undefined {
  return (binding) => (binding.namespace ? namespaced : undefined);
}

export function via(grant: GrantMatch): string {
  return grant.effective.viaAggregation ? ` (through aggregated ClusterRole ${grant.effective.viaAggregation.join(' > ')})` : '';
}
