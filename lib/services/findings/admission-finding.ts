import { ADMISSION_CONTROL_PREFIX } from '../../analysis/engine';

/**
 * The control of a finding of one of the cluster's own ValidatingAdmissionPolicies (`vap.<policy>`, issue 23): no
 * catalog row names it, so its title and texts come from the finding's evidence (policy, binding, actions).
 */
export function admissionControlOf<S extends string>(finding: { controlId: string; evidence: unknown; resourceKind: string; severity: S }) {
  if (!finding.controlId.startsWith(ADMISSION_CONTROL_PREFIX)) return null;
  const evidence = (typeof finding.evidence === 'object' && finding.evidence !== null ? finding.evidence : {}) as { type?: unknown; policy?: unknown; binding?: unknown; validationActions?: unknown };
  if (evidence.type !== 'admission-policy' || typeof evidence.policy !== 'string') return null;
  const binding = typeof evidence.binding === 'string' ? evidence.binding : null;
  const actions = Array.isArray(evidence.validationActions) ? evidence.validationActions.filter((a): a is string => typeof a === 'string') : [];
  const denies = actions.includes('Deny');
  return {
    id: finding.controlId,
    title: `Admission policy ${evidence.policy}`,
    description: `The cluster's own ValidatingAdmissionPolicy ${evidence.policy}, judged against the objects already running`,
    rationale: `The cluster's owners require this of every ${finding.resourceKind} the policy selects${binding ? ` (binding \`${binding}\`, actions ${actions.join(', ') || 'none'})` : ''}. Admission checks only new requests: an object created before the policy${denies ? '' : ', or let through because the binding only warns or audits,'} keeps running while it violates it. Counted in no CIS or ISO score.`,
    remediation: `Change the ${finding.resourceKind} so that it satisfies ValidatingAdmissionPolicy \`${evidence.policy}\` (${denies ? 'its next update would be denied otherwise' : 'its next update would be warned about or audited otherwise'}), or change the policy or its binding in the cluster. The next snapshot resolves the finding once it passes.`,
    severity: finding.severity,
  };
}
