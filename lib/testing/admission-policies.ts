import type { KubeObject, Snapshot } from '@/lib/analysis/snapshot/schema';

/**
 * The cluster's own admission policies for tests, e2e and the demo (issue 23): a ValidatingAdmissionPolicy that
 * requires an `owner` label on Deployments, and a binding that applies it to the namespaces labelled `env: prod`.
 */
export function requireOwnerLabelPolicy(name = 'require-owner-label'): KubeObject {
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicy',
    metadata: { name },
    spec: {
      failurePolicy: 'Fail',
      matchConstraints: { resourceRules: [{ apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['deployments'] }] },
      validations: [
        {
          expression: "has(object.metadata.labels) && 'owner' in object.metadata.labels",
          messageExpression: "'Deployment ' + object.metadata.name + ' has no owner label'",
        },
      ],
    },
  };
}

export function admissionPolicyBinding(name: string, policyName: string, options: { actions?: string[]; namespaceLabels?: Record<string, string> } = {}): KubeObject {
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicyBinding',
    metadata: { name },
    spec: {
      policyName,
      validationActions: options.actions ?? ['Deny'],
      ...(options.namespaceLabels ? { matchResources: { namespaceSelector: { matchLabels: options.namespaceLabels } } } : {}),
    },
  };
}

/** A policy that reads `request`, which no stored object has: not evaluable. */
export function requestReadingPolicy(name = 'no-admin-changes'): KubeObject {
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicy',
    metadata: { name },
    spec: { matchConstraints: { resourceRules: [{ apiGroups: ['apps'], resources: ['deployments'], operations: ['UPDATE'] }] }, validations: [{ expression: "request.userInfo.username != 'admin'" }] },
  };
}

/** The snapshot with these policy lists, collected. */
export function withAdmissionPolicies(snapshot: Snapshot, lists: Partial<Pick<Snapshot['objects'], 'validatingadmissionpolicies' | 'validatingadmissionpolicybindings' | 'kyvernopolicies' | 'gatekeeperconstraints'>>): Snapshot {
  const collection = { ...snapshot.collection };
  for (const [list, items] of Object.entries(lists)) collection[list as keyof typeof lists] = { status: 'collected', count: items?.length ?? 0 };
  return { ...snapshot, collection, objects: { ...snapshot.objects, ...lists } };
}
