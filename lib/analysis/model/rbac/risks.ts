import type { PermissionQuery } from './rules';

/**
 * The risk vocabulary of RBAC: the rights the RBAC controls report, one query each, named once here so the
 * controls (lib/analysis/controls/rbac) and the access explorer (lib/analysis/access) judge a right alike.
 * Ordered by how much a holder can do with it (the explorer lists dangerous rights in this order).
 */
export const RBAC_RISK_IDS = [
  'wildcard',
  'escalate-bind',
  'impersonate',
  'nodes-proxy',
  'csr-approval',
  'webhook-configuration',
  'secrets-read',
  'pod-create',
  'pods-exec',
  'pods-ephemeral-containers',
  'token-create',
  'persistentvolume-create',
] as const;
export type RbacRiskId = (typeof RBAC_RISK_IDS)[number];

export type RbacRisk = {
  id: RbacRiskId;
  /** Short label for lists ("reads Secrets"). */
  label: string;
  /** The control that raises findings for this right. */
  controlId: string;
  /** Undefined for `wildcard`, which is a shape of rule rather than a query (see isWildcardRule). */
  query: PermissionQuery | undefined;
};

/** Creating any of these makes the cluster create pods for you, with any ServiceAccount and Secret of the namespace. */
export const POD_CREATING_RESOURCES = [
  { group: '', resource: 'pods' },
  { group: '', resource: 'replicationcontrollers' },
  { group: 'apps', resource: 'deployments' },
  { group: 'apps', resource: 'replicasets' },
  { group: 'apps', resource: 'statefulsets' },
  { group: 'apps', resource: 'daemonsets' },
  { group: 'batch', resource: 'jobs' },
  { group: 'batch', resource: 'cronjobs' },
] as const;

export const RISK_QUERIES = {
  secretsRead: { verbs: ['get', 'list', 'watch'], resources: [{ group: '', resource: 'secrets' }] },
  podCreate: { verbs: ['create'], resources: POD_CREATING_RESOURCES },
  podsExec: { verbs: ['create', 'get'], resources: [{ group: '', resource: 'pods/exec' }, { group: '', resource: 'pods/attach' }] },
  podsEphemeralContainers: { verbs: ['update', 'patch'], resources: [{ group: '', resource: 'pods/ephemeralcontainers' }] },
  escalateBind: {
    verbs: ['escalate', 'bind'],
    resources: [
      { group: 'rbac.authorization.k8s.io', resource: 'roles' },
      { group: 'rbac.authorization.k8s.io', resource: 'clusterroles' },
    ],
  },
  impersonate: {
    verbs: ['impersonate'],
    resources: [
      { group: '', resource: 'users' },
      { group: '', resource: 'groups' },
      { group: '', resource: 'serviceaccounts' },
      { group: 'authentication.k8s.io', resource: 'uids' },
      { group: 'authentication.k8s.io', resource: 'userextras' },
    ],
  },
  nodesProxy: { verbs: ['get', 'create', 'update', 'patch', 'delete'], resources: [{ group: '', resource: 'nodes/proxy' }], clusterScoped: true },
  csrApproval: { verbs: ['update', 'patch'], resources: [{ group: 'certificates.k8s.io', resource: 'certificatesigningrequests/approval' }], clusterScoped: true },
  webhookConfiguration: {
    verbs: ['create', 'update', 'patch', 'delete'],
    resources: [
      { group: 'admissionregistration.k8s.io', resource: 'validatingwebhookconfigurations' },
      { group: 'admissionregistration.k8s.io', resource: 'mutatingwebhookconfigurations' },
    ],
    clusterScoped: true,
  },
  tokenCreate: { verbs: ['create'], resources: [{ group: '', resource: 'serviceaccounts/token' }] },
  persistentVolumeCreate: { verbs: ['create'], resources: [{ group: '', resource: 'persistentvolumes' }], clusterScoped: true },
} as const satisfies Record<string, PermissionQuery>;

export const RBAC_RISKS: readonly RbacRisk[] = [
  { id: 'wildcard', label: 'uses "*" (every verb, resource or API group)', controlId: 'rbac.wildcard-in-role', query: undefined },
  { id: 'escalate-bind', label: 'escalates or binds roles', controlId: 'rbac.escalation-verbs', query: RISK_QUERIES.escalateBind },
  { id: 'impersonate', label: 'impersonates users, groups or ServiceAccounts', controlId: 'rbac.escalation-verbs', query: RISK_QUERIES.impersonate },
  { id: 'nodes-proxy', label: 'reaches kubelets through nodes/proxy', controlId: 'rbac.nodes-proxy', query: RISK_QUERIES.nodesProxy },
  { id: 'csr-approval', label: 'approves certificate signing requests', controlId: 'rbac.csr-approval', query: RISK_QUERIES.csrApproval },
  { id: 'webhook-configuration', label: 'changes admission webhook configurations', controlId: 'rbac.admission-webhooks', query: RISK_QUERIES.webhookConfiguration },
  { id: 'secrets-read', label: 'reads Secrets', controlId: 'rbac.secrets-read', query: RISK_QUERIES.secretsRead },
  { id: 'pod-create', label: 'creates pods (and so reads every Secret in scope)', controlId: 'rbac.pod-create', query: RISK_QUERIES.podCreate },
  { id: 'pods-exec', label: 'execs into or attaches to pods', controlId: 'rbac.pods-exec', query: RISK_QUERIES.podsExec },
  { id: 'pods-ephemeral-containers', label: 'adds ephemeral containers to pods', controlId: 'rbac.pods-ephemeral-containers', query: RISK_QUERIES.podsEphemeralContainers },
  { id: 'token-create', label: 'creates ServiceAccount tokens', controlId: 'rbac.serviceaccount-token-create', query: RISK_QUERIES.tokenCreate },
  { id: 'persistentvolume-create', label: 'creates PersistentVolumes (host paths)', controlId: 'rbac.persistentvolume-create', query: RISK_QUERIES.persistentVolumeCreate },
];
