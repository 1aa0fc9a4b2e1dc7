import { absence, defineControl, type Violation } from '@/lib/analysis/model/control';
import { describeScope } from '@/lib/analysis/model/rbac/model';
import { BINDING_KINDS } from './shared';

export const danglingSubject = defineControl({
  id: 'rbac.dangling-subject',
  version: 1,
  title: 'Bindings name ServiceAccounts that exist',
  description: 'Reports RoleBindings and ClusterRoleBindings with a ServiceAccount subject that does not exist.',
  rationale:
    'Kubernetes accepts a binding to a ServiceAccount that does not exist yet. Whoever can create a ServiceAccount with that name in that namespace later inherits the binding\'s rights.',
  remediation: 'Remove the subject from the binding (or delete the binding) when the ServiceAccount is gone; recreate the ServiceAccount only if the grant is still wanted.',
  severity: 'high',
  kinds: BINDING_KINDS,
  mappings: { cis: [], iso27001: ['A.5.16', 'A.5.18'], nsa: ['rbac'] },
  requires: ['rolebindings', 'clusterrolebindings', 'serviceaccounts'],
  target: 'binding',
  check: (binding, ctx) => {
    const violations: Violation[] = [];
    binding.subjects.forEach((subject) => {
      if (subject.kind !== 'ServiceAccount' || !subject.namespace) return;
      // Every namespace gets a `default` ServiceAccount from the controller manager.
      if (subject.name === 'default') return;
      if (ctx.findServiceAccount(subject.namespace, subject.name)) return;
      violations.push(
        absence(
          `${binding.kind} ${binding.name} grants ${binding.roleRef.kind} ${binding.roleRef.name} ${describeScope(binding)} to ServiceAccount ${subject.namespace}/${subject.name}, which does not exist: whoever creates it inherits the role`,
          `ServiceAccount ${subject.namespace}/${subject.name}`,
          `subject:${subject.namespace}:${subject.name}`,
          { kind: 'ServiceAccount', namespace: subject.namespace, name: subject.name },
        ),
      );
    });
    return violations;
  },
});
