import type { ConfigMapMeta, KubeObject, ResourceName, SecretMeta } from '@/lib/analysis/snapshot/schema';

/** Every kind that carries a pod template (or is a Pod), in the order Kubernetes' controllers nest them. */
export const POD_BEARING_KINDS = [
  'Pod',
  'Deployment',
  'ReplicaSet',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'CronJob',
  'ReplicationController',
] as const;
export type PodBearingKind = (typeof POD_BEARING_KINDS)[number];

/** The snapshot lists that hold pod-bearing objects. */
export const POD_BEARING_RESOURCES = [
  'pods',
  'deployments',
  'replicasets',
  'statefulsets',
  'daemonsets',
  'jobs',
  'cronjobs',
  'replicationcontrollers',
] as const satisfies readonly ResourceName[];

export const RBAC_RESOURCES = ['roles', 'clusterroles', 'rolebindings', 'clusterrolebindings'] as const satisfies readonly ResourceName[];

/** Kinds that live outside namespaces; everything else we read is namespaced. */
const CLUSTER_SCOPED_KINDS = new Set(['Namespace', 'Node', 'ClusterRole', 'ClusterRoleBinding']);

/** Namespaces the control plane owns. */
export const PLATFORM_NAMESPACES = new Set(['kube-system', 'kube-public', 'kube-node-lease']);

/** Identity of the object a finding is about. */
export type ResourceRef = {
  apiVersion: string;
  kind: string;
  namespace: string | null;
  name: string;
  uid: string | null;
};

export type AnyObject = KubeObject | SecretMeta | ConfigMapMeta;

export function isPodBearingKind(kind: string): kind is PodBearingKind {
  return (POD_BEARING_KINDS as readonly string[]).includes(kind);
}

export function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED_KINDS.has(kind);
}

export function refOf(object: AnyObject): ResourceRef {
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    namespace: object.metadata.namespace ?? null,
    name: object.metadata.name,
    uid: object.metadata.uid ?? null,
  };
}

/**
 * The namespace an object acts in. A namespaced manifest without metadata.namespace lands in the namespace kubectl
 * is pointed at, which is `default` unless someone says otherwise, so that is what we assume.
 */
export function namespaceOf(object: AnyObject): string | null {
  if (isClusterScoped(object.kind)) return null;
  return object.metadata.namespace || 'default';
}

/** "apps/v1" -> "apps", "v1" -> "" (the core group). */
export function apiGroupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}

/** "Deployment default/web" style label for messages. */
export function describeRef(ref: Pick<ResourceRef, 'kind' | 'namespace' | 'name'>): string {
  return ref.namespace ? `${ref.kind} ${ref.namespace}/${ref.name}` : `${ref.kind} ${ref.name}`;
}

/**
 * Objects Kubernetes (or the distribution) creates and reconciles itself: the bootstrap RBAC, `system:` names and
 * everything in the control-plane namespaces. Reporting them by default would drown a cluster's real findings in
 * things its owner cannot change.
 */
export function isPlatformDefault(object: AnyObject): boolean {
  const { metadata } = object;
  if (metadata.labels?.['kubernetes.io/bootstrapping'] === 'rbac-defaults') return true;
  if (metadata.name.startsWith('system:')) return true;
  if (object.kind === 'Namespace') return PLATFORM_NAMESPACES.has(metadata.name);
  return metadata.namespace !== undefined && PLATFORM_NAMESPACES.has(metadata.namespace);
}
