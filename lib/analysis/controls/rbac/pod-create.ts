import { defineControl } from '@/lib/analysis/model/control';
import { grantViolations, lowerInNamespace, via } from '@/lib/analysis/model/rbac/grant-violations';
import { apiGroupMatches, resourceMatches } from '@/lib/analysis/model/rbac/rules';
import { POD_CREATING_RESOURCES, RISK_QUERIES } from '@/lib/analysis/model/rbac/risks';
import { BINDING_KINDS, RBAC_REQUIRES } from './shared';


export const podCreate = defineControl({
  id: 'rbac.pod-create',
  version: 1,
  title: 'Access to create pods is minimal',
  description: 'Reports subjects that can create pods, or any workload that creates pods (Deployments, Jobs, CronJobs...).',
  rationale:
    'Whoever can create a pod in a namespace can mount any Secret of that namespace and run as any of its ServiceAccounts, so pod creation is read access to every Secret there, and to every permission its ServiceAccounts hold.',
  remediation:
    'Deploy through a pipeline or GitOps controller that holds this right, and give people read-only roles. Where a person must create workloads, limit it to a namespace that holds no other team\'s Secrets.',
  severity: 'high',
  kinds: BINDING_KINDS,
  mappings: { cis: ['5.1.4'], iso27001: ['A.8.2', 'A.8.3', 'A.5.15'], nsa: ['rbac'] },
  requires: RBAC_REQUIRES,
  target: 'binding',
  check: (binding, ctx) =>
    grantViolations(
      binding,
      ctx,
      RISK_QUERIES.podCreate,
      ({ subject, grant, binding: b }) => {
        const rule = grant.effective.rule;
        const what = POD_CREATING_RESOURCES.filter((r) => apiGroupMatches(rule, r.group) && resourceMatches(rule, r.resource))
          .map((r) => r.resource)
          .join(', ');
        const where = b.namespace ? `namespace ${b.namespace}` : 'every namespace';
        return `${subject} can create ${what} in ${where}, which gives it read access to every Secret in ${where}${via(grant)}`;
      },
      lowerInNamespace('medium'),
    ),
});
