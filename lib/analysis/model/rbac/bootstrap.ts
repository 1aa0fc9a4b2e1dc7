import type { KubeObject } from '@/lib/analysis/snapshot/schema';

/**
 * ClusterRoles every cluster has. A manifest set (offline scan) binds to them without containing them, so a
 * binding to one is not dangling, and the engine substitutes the rules below when the snapshot lacks them.
 */
const BOOTSTRAP_NAMES = new Set(['cluster-admin', 'admin', 'edit', 'view']);

export function isBootstrapClusterRoleName(name: string): boolean {
  return BOOTSTRAP_NAMES.has(name) || name.startsWith('system:');
}

const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];
const READ = ['get', 'list', 'watch'];

type Rule = { apiGroups: string[]; resources: string[]; verbs: string[]; nonResourceURLs?: string[] };

const VIEW: Rule[] = [
  {
    apiGroups: [''],
    resources: [
      'configmaps', 'endpoints', 'persistentvolumeclaims', 'persistentvolumeclaims/status', 'pods', 'replicationcontrollers',
      'replicationcontrollers/scale', 'serviceaccounts', 'services', 'services/status', 'bindings', 'events', 'limitranges',
      'namespaces/status', 'pods/log', 'pods/status', 'replicationcontrollers/status', 'resourcequotas', 'resourcequotas/status', 'namespaces',
    ],
    verbs: READ,
  },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: READ },
  {
    apiGroups: ['apps'],
    resources: ['controllerrevisions', 'daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status', 'replicasets', 'replicasets/scale', 'replicasets/status', 'statefulsets', 'statefulsets/scale', 'statefulsets/status'],
    verbs: READ,
  },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers', 'horizontalpodautoscalers/status'], verbs: READ },
  { apiGroups: ['batch'], resources: ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status'], verbs: READ },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets', 'poddisruptionbudgets/status'], verbs: READ },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'ingresses/status', 'networkpolicies'], verbs: READ },
];

const EDIT: Rule[] = [
  ...VIEW,
  { apiGroups: [''], resources: ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services/proxy'], verbs: READ },
  { apiGroups: [''], resources: ['serviceaccounts'], verbs: ['impersonate'] },
  { apiGroups: [''], resources: ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy'], verbs: WRITE },
  { apiGroups: [''], resources: ['pods/eviction'], verbs: ['create'] },
  {
    apiGroups: [''],
    resources: ['configmaps', 'events', 'persistentvolumeclaims', 'replicationcontrollers', 'replicationcontrollers/scale', 'secrets', 'serviceaccounts', 'services', 'services/proxy'],
    verbs: WRITE,
  },
  { apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'] },
  {
    apiGroups: ['apps'],
    resources: ['daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'replicasets', 'replicasets/scale', 'statefulsets', 'statefulsets/scale'],
    verbs: WRITE,
  },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: WRITE },
  { apiGroups: ['batch'], resources: ['cronjobs', 'jobs'], verbs: WRITE },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: WRITE },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'networkpolicies'], verbs: WRITE },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: WRITE },
];

const ADMIN: Rule[] = [
  ...EDIT,
  { apiGroups: ['authorization.k8s.io'], resources: ['localsubjectaccessreviews'], verbs: ['create'] },
  { apiGroups: ['rbac.authorization.k8s.io'], resources: ['rolebindings', 'roles'], verbs: [...WRITE, ...READ] },
];

const CLUSTER_ADMIN: Rule[] = [
  { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
  { apiGroups: [], resources: [], verbs: ['*'], nonResourceURLs: ['*'] },
];

const AGGREGATE = 'rbac.authorization.k8s.io/aggregate-to-';

/**
 * The four user-facing default ClusterRoles with their (aggregated) rules, for snapshots built from manifests.
 * They keep Kubernetes' aggregation labels and selectors, so a manifest's ClusterRole labelled
 * aggregate-to-edit extends edit and admin exactly as it would in a cluster.
 */
export function bootstrapClusterRoles(): KubeObject[] {
  return (
    [
      ['cluster-admin', CLUSTER_ADMIN, undefined, {}],
      ['admin', ADMIN, 'admin', {}],
      ['edit', EDIT, 'edit', { [`${AGGREGATE}admin`]: 'true' }],
      ['view', VIEW, 'view', { [`${AGGREGATE}edit`]: 'true' }],
    ] as const
  ).map(([name, rules, aggregateTo, labels]) => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name, labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults', ...labels } },
    rules,
    ...(aggregateTo ? { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [`${AGGREGATE}${aggregateTo}`]: 'true' } }] } } : {}),
  }));
}
