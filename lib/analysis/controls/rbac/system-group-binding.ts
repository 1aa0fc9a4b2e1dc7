import { defineControl, rbacEvidence, subjectItem, type Violation } from '@/lib/analysis/model/control';
import { describeScope } from '@/lib/analysis/model/rbac/model';
import { BINDING_KINDS, RBAC_REQUIRES } from './shared';

const READ_VERBS = new Set(['get', 'list', 'watch']);
/** Reading these is not harmless: Secrets are credentials, and pod specs carry env values (often credentials too). */
const SENSITIVE_READ = new Set(['*', 'secrets', 'pods']);

export const systemGroupBinding = defineControl({
  id: 'rbac.system-group-binding',
  version: 1,
  title: 'No bindings to system:masters, anonymous or unauthenticated users',
  description:
    'Reports bindings whose subjects are system:masters, system:anonymous or system:unauthenticated, and bindings that give every authenticated user (system:authenticated) write access or read access to Secrets or pods.',
  rationale:
    'Members of system:masters bypass RBAC entirely and cannot be revoked short of rotating the cluster CA. Anything bound to system:anonymous or system:unauthenticated is open to anyone who reaches the API server; system:authenticated includes every ServiceAccount of every namespace.',
  remediation:
    'Delete the binding, or bind the role to a named group from your identity provider instead. Keep anonymous access limited to the built-in health and discovery endpoints.',
  severity: 'critical',
  kinds: BINDING_KINDS,
  mappings: { cis: ['5.1.7'], iso27001: ['A.8.2', 'A.5.16', 'A.5.18', 'A.5.15'], nsa: ['rbac', 'authentication'] },
  requires: RBAC_REQUIRES,
  target: 'binding',
  check: (binding, ctx) => {
    const violations: Violation[] = [];
    for (const subject of binding.subjects) {
      if (subject.kind !== 'Group' && subject.kind !== 'User') continue;
      const rules = binding.role ? ctx.rbac.effectiveRules(binding.role) : [];
      const first = rules[0];
      if (subject.name === 'system:masters') {
        violations.push({
          message: `Group system:masters is bound to ${binding.roleRef.kind} ${binding.roleRef.name}: its members bypass RBAC and cannot be revoked through it`,
          evidence: rbacEvidence(binding, subject, first),
          item: subjectItem(subject),
        });
      } else if (subject.name === 'system:anonymous' || subject.name === 'system:unauthenticated') {
        violations.push({
          message: `${subject.name} (anyone who can reach the API server) is bound to ${binding.roleRef.kind} ${binding.roleRef.name} ${describeScope(binding)}`,
          evidence: rbacEvidence(binding, subject, first),
          item: subjectItem(subject),
        });
      } else if (subject.name === 'system:authenticated') {
        const beyondRead = rules.find(
          ({ rule }) => rule.verbs.some((verb) => !READ_VERBS.has(verb)) || rule.resources.some((resource) => SENSITIVE_READ.has(resource)),
        );
        if (!beyondRead) continue;
        violations.push({
          message: `every authenticated user and ServiceAccount (system:authenticated) gets write access, or read access to Secrets or pod specs, through ${binding.roleRef.kind} ${binding.roleRef.name} ${describeScope(binding)}`,
          evidence: rbacEvidence(binding, subject, beyondRead),
          item: subjectItem(subject),
          severity: 'high',
        });
      }
    }
    return violations;
  },
});
