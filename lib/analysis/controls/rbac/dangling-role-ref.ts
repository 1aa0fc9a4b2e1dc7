import { absence, defineControl } from '@/lib/analysis/model/control';
import { isBootstrapClusterRoleName } from '@/lib/analysis/model/rbac/bootstrap';
import { describeSubject } from '@/lib/analysis/model/rbac/model';
import { BINDING_KINDS, RBAC_REQUIRES } from './shared';

export const danglingRoleRef = defineControl({
  id: 'rbac.dangling-role-ref',
  version: 1,
  title: 'Bindings point at roles that exist',
  description: 'Reports RoleBindings and ClusterRoleBindings whose roleRef names a Role or ClusterRole that does not exist.',
  rationale:
    'Kubernetes accepts a binding to a role that does not exist. It grants nothing today, but whoever later creates a role with that name decides what the binding\'s subjects can do, without touching the binding.',
  remediation: 'Delete the binding, or create the role it was meant to reference with the intended rules.',
  severity: 'medium',
  kinds: BINDING_KINDS,
  mappings: { cis: [], iso27001: ['A.5.18', 'A.8.2'], nsa: ['rbac'] },
  // Existence is judged only where the list was read: an unread list is not proof of absence.
  requires: RBAC_REQUIRES,
  target: 'binding',
  check: (binding) => {
    if (binding.role) return [];
    const { kind, name } = binding.roleRef;
    if (kind === 'ClusterRole' && isBootstrapClusterRoleName(name)) return [];
    const namespace = kind === 'Role' ? binding.namespace : null;
    const target = namespace ? `${kind} ${namespace}/${name}` : `${kind} ${name}`;
    const names = binding.subjects.slice(0, 3).map(describeSubject);
    const subjects = binding.subjects.length > 3 ? `${names.join(', ')} and ${binding.subjects.length - 3} more` : names.join(', ') || 'its subjects';
    return [
      absence(
        `${binding.kind} ${binding.name} references ${target}, which does not exist: whoever creates it decides what ${subjects} can do`,
        target,
        `roleRef:${kind}:${name}`,
        { kind, namespace, name },
      ),
    ];
  },
});
