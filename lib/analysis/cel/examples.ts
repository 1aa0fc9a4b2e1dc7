import type { Severity } from '@/lib/analysis/model/evidence';
import type { RuleSpec } from './spec';

/** A custom control an admin can copy from the examples library (Controls → Custom → Examples). */
export type CustomControlExample = {
  key: string;
  title: string;
  severity: Severity;
  rationale: string;
  remediation: string;
  rule: RuleSpec;
};

/**
 * The examples library. Every expression compiles (examples.test.ts) and is written in the CEL subset Kubernetes'
 * ValidatingAdmissionPolicy accepts, so a rule can be moved into the cluster unchanged.
 */
export const CUSTOM_CONTROL_EXAMPLES: readonly CustomControlExample[] = [
  {
    key: 'ingress-security-review',
    title: 'Public-facing Ingresses require a security review',
    severity: 'high',
    rationale: 'An Ingress with a public host name exposes a service to the internet; the security team reviews every such exposure first.',
    remediation: 'Ask the security team for a review and record its ticket in the Ingress annotation security-review/ticket.',
    rule: {
      match: { resources: [{ apiGroups: ['networking.k8s.io'], kinds: ['Ingress'] }] },
      validations: [
        {
          expression:
            '!(has(object.spec.rules) && object.spec.rules.exists(r, has(r.host) && !r.host.endsWith(".internal"))) || (has(object.metadata.annotations) && "security-review/ticket" in object.metadata.annotations)',
          messageExpression:
            '"Ingress " + object.metadata.name + " exposes " + object.spec.rules.filter(r, has(r.host)).map(r, r.host).join(", ") + " without a security-review/ticket annotation"',
          message: 'public-facing Ingress without a security-review/ticket annotation',
        },
      ],
    },
  },
  {
    key: 'payments-rolebindings',
    title: 'Only the payments team may hold RoleBindings in payments',
    severity: 'high',
    rationale: 'The payments namespace processes card data; access to it is limited to the payments team and its own service accounts.',
    remediation: 'Remove subjects other than the payments-team group and service accounts of the payments namespace from the RoleBinding.',
    rule: {
      match: { resources: [{ apiGroups: ['rbac.authorization.k8s.io'], kinds: ['RoleBinding'] }], namespaces: ['payments'] },
      validations: [
        {
          expression:
            '!has(object.subjects) || object.subjects.all(s, (s.kind == "Group" && s.name == "payments-team") || (s.kind == "ServiceAccount" && has(s.namespace) && s.namespace == "payments"))',
          messageExpression:
            '"RoleBinding " + object.metadata.name + " grants access in payments to " + object.subjects.filter(s, !((s.kind == "Group" && s.name == "payments-team") || (s.kind == "ServiceAccount" && has(s.namespace) && s.namespace == "payments"))).map(s, s.kind + " " + s.name).join(", ")',
        },
      ],
    },
  },
  {
    key: 'prod-owner-label',
    title: 'Every Deployment in prod has an owner label',
    severity: 'medium',
    rationale: 'On-call needs to know who owns a production workload within minutes of an incident.',
    remediation: 'Add the label owner=<team> to the Deployment (and its template).',
    rule: {
      match: { resources: [{ apiGroups: ['apps'], kinds: ['Deployment'] }], namespaces: ['prod', 'prod-*'] },
      validations: [
        {
          expression: 'has(object.metadata.labels) && "owner" in object.metadata.labels && object.metadata.labels["owner"] != ""',
          messageExpression: '"Deployment " + object.metadata.namespace + "/" + object.metadata.name + " has no owner label"',
        },
      ],
    },
  },
  {
    key: 'loadbalancer-outside-ingress',
    title: 'No LoadBalancer Services outside ingress-* namespaces',
    severity: 'medium',
    rationale: 'Traffic from outside enters through the ingress controllers only; a LoadBalancer Service elsewhere bypasses their TLS and WAF.',
    remediation: 'Change the Service to type ClusterIP and publish it through an Ingress, or move it into an ingress-* namespace.',
    rule: {
      match: { resources: [{ apiGroups: [''], kinds: ['Service'] }], excludedNamespaces: ['ingress-*'] },
      validations: [
        {
          expression: '!has(object.spec.type) || object.spec.type != "LoadBalancer"',
          messageExpression: '"Service " + object.metadata.namespace + "/" + object.metadata.name + " is a LoadBalancer outside the ingress-* namespaces"',
        },
      ],
    },
  },
  {
    key: 'approved-registries',
    title: 'Images only from approved registries',
    severity: 'high',
    rationale: 'Images from registries the organization does not control skip its scanning and signing.',
    remediation: 'Mirror the image into an approved registry (Settings → Organization lists them) and reference it from there.',
    rule: {
      match: { resources: [{ apiGroups: ['apps'], kinds: ['Deployment', 'StatefulSet', 'DaemonSet'] }] },
      validations: [
        {
          expression: 'size(params.allowedRegistries) == 0 || object.spec.template.spec.containers.all(c, params.allowedRegistries.exists(r, c.image.startsWith(r)))',
          messageExpression:
            '"images from unapproved registries: " + object.spec.template.spec.containers.filter(c, !params.allowedRegistries.exists(r, c.image.startsWith(r))).map(c, c.image).join(", ")',
        },
      ],
    },
  },
];
