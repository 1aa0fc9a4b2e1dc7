import type { ConfigMapMeta, KubeObject, ResourceName, SecretMeta, Snapshot, SnapshotObjects } from '@/lib/analysis/snapshot/schema';
import { RESOURCE_KINDS, RESOURCE_NAMES, SNAPSHOT_SCHEMA_VERSION } from '@/lib/analysis/snapshot/schema';

/**
 * Builders for Kubernetes objects in tests. Each returns a plain object in the API's own shape with safe defaults
 * (a hardened container, an explicit namespace) so a test states only what it is about. Tests only.
 */

type Meta = { name?: string; namespace?: string; uid?: string; labels?: Record<string, string>; annotations?: Record<string, string>; ownerReferences?: OwnerRef[] };
type OwnerRef = { apiVersion: string; kind: string; name: string; uid?: string; controller?: boolean };
type Json = Record<string, unknown>;

let counter = 0;
/** A deterministic uid per call, so tests can check that fingerprints ignore it. */
export function nextUid(): string {
  counter += 1;
  return `00000000-0000-4000-8000-${counter.toString().padStart(12, '0')}`;
}

function meta(defaults: { name: string; namespace?: string }, overrides: Meta = {}): KubeObject['metadata'] {
  const namespace = overrides.namespace ?? defaults.namespace;
  return {
    name: overrides.name ?? defaults.name,
    ...(namespace !== undefined ? { namespace } : {}),
    uid: overrides.uid ?? nextUid(),
    ...(overrides.labels ? { labels: overrides.labels } : {}),
    ...(overrides.annotations ? { annotations: overrides.annotations } : {}),
    ...(overrides.ownerReferences ? { ownerReferences: overrides.ownerReferences } : {}),
  };
}

/** A container that passes every workload control; override what the test is about. */
export function container(overrides: Json = {}): Json {
  return {
    name: 'app',
    image: 'ghcr.io/acme/app:1.0.0@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
    resources: { limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '100m', memory: '128Mi' } },
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
    },
    ...overrides,
  };
}

/** A pod spec that passes every workload control. */
export function podSpec(overrides: Json = {}): Json {
  return {
    serviceAccountName: 'app',
    automountServiceAccountToken: false,
    securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [container()],
    ...overrides,
  };
}

export function pod(metadata: Meta = {}, spec: Json = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: meta({ name: 'app', namespace: 'team-a' }, metadata), spec: podSpec(spec) };
}

function templated(apiVersion: string, kind: string, metadata: Meta, spec: Json, extra: Json = {}): KubeObject {
  const m = meta({ name: 'app', namespace: 'team-a' }, metadata);
  return {
    apiVersion,
    kind,
    metadata: m,
    spec: { selector: { matchLabels: { app: m.name } }, template: { metadata: { labels: { app: m.name } }, spec: podSpec(spec) }, ...extra },
  };
}

export const deployment = (metadata: Meta = {}, spec: Json = {}) => templated('apps/v1', 'Deployment', metadata, spec, { replicas: 2 });
export const replicaSet = (metadata: Meta = {}, spec: Json = {}) => templated('apps/v1', 'ReplicaSet', metadata, spec);
export const statefulSet = (metadata: Meta = {}, spec: Json = {}) => templated('apps/v1', 'StatefulSet', metadata, spec);
export const daemonSet = (metadata: Meta = {}, spec: Json = {}) => templated('apps/v1', 'DaemonSet', metadata, spec);
export const job = (metadata: Meta = {}, spec: Json = {}) => templated('batch/v1', 'Job', metadata, spec);
export const replicationController = (metadata: Meta = {}, spec: Json = {}) => templated('v1', 'ReplicationController', metadata, spec);

export function cronJob(metadata: Meta = {}, spec: Json = {}): KubeObject {
  const m = meta({ name: 'app', namespace: 'team-a' }, metadata);
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: m,
    spec: { schedule: '0 * * * *', jobTemplate: { spec: { template: { metadata: { labels: { app: m.name } }, spec: podSpec({ restartPolicy: 'OnFailure', ...spec }) } } } },
  };
}

/** An ownerReference pointing at `owner`, as a controller sets it. */
export function ownedBy(owner: KubeObject): OwnerRef[] {
  return [{ apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid, controller: true }];
}

/** A Deployment with its ReplicaSet and `replicas` Pods, owner references set like the controllers do. */
export function deploymentWithPods(metadata: Meta = {}, spec: Json = {}, replicas = 2): KubeObject[] {
  const d = deployment(metadata, spec);
  const rs = replicaSet({ name: `${d.metadata.name}-7f9c`, namespace: d.metadata.namespace, ownerReferences: ownedBy(d) }, spec);
  const pods = Array.from({ length: replicas }, (_, i) =>
    pod({ name: `${d.metadata.name}-7f9c-${i}`, namespace: d.metadata.namespace, ownerReferences: ownedBy(rs), labels: { app: d.metadata.name } }, spec),
  );
  return [d, rs, ...pods];
}

export type Rule = { apiGroups?: string[]; resources?: string[]; verbs: string[]; resourceNames?: string[]; nonResourceURLs?: string[] };

export function role(metadata: Meta = {}, rules: Rule[] = []): KubeObject {
  return { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: meta({ name: 'app', namespace: 'team-a' }, metadata), rules };
}

export function clusterRole(metadata: Meta = {}, rules: Rule[] = [], aggregationRule?: { clusterRoleSelectors: Json[] }): KubeObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: meta({ name: 'app' }, metadata),
    rules,
    ...(aggregationRule ? { aggregationRule } : {}),
  };
}

export type Subject = { kind: 'User' | 'Group' | 'ServiceAccount'; name: string; namespace?: string };
export const user = (name: string): Subject => ({ kind: 'User', name });
export const group = (name: string): Subject => ({ kind: 'Group', name });
export const serviceAccountSubject = (namespace: string, name: string): Subject => ({ kind: 'ServiceAccount', name, namespace });

function subjectsOf(subjects: Subject[]): Json[] {
  return subjects.map((s) => (s.kind === 'ServiceAccount' ? { kind: s.kind, name: s.name, namespace: s.namespace } : { kind: s.kind, name: s.name, apiGroup: 'rbac.authorization.k8s.io' }));
}

export function roleBinding(metadata: Meta, roleRef: { kind: 'Role' | 'ClusterRole'; name: string }, subjects: Subject[]): KubeObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: meta({ name: 'app', namespace: 'team-a' }, metadata),
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...roleRef },
    subjects: subjectsOf(subjects),
  };
}

export function clusterRoleBinding(metadata: Meta, roleRef: { name: string }, subjects: Subject[]): KubeObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: meta({ name: 'app' }, metadata),
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', ...roleRef },
    subjects: subjectsOf(subjects),
  };
}

export function serviceAccount(metadata: Meta = {}, extra: Json = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta({ name: 'app', namespace: 'team-a' }, metadata), ...extra };
}

/** A namespace enforcing the restricted Pod Security Standard unless labels say otherwise. */
export function namespace(name = 'team-a', labels: Record<string, string> = { 'pod-security.kubernetes.io/enforce': 'restricted' }): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, uid: nextUid(), labels } };
}

/** A default-deny (ingress and egress) policy unless spec says otherwise. */
export function networkPolicy(metadata: Meta = {}, spec: Json = { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }): KubeObject {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: meta({ name: 'default-deny', namespace: 'team-a' }, metadata), spec };
}

export function service(metadata: Meta = {}, spec: Json = { type: 'ClusterIP', ports: [{ port: 80 }] }): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: meta({ name: 'app', namespace: 'team-a' }, metadata), spec };
}

export function ingress(metadata: Meta = {}, spec: Json = { tls: [{ hosts: ['app.example.com'], secretName: 'app-tls' }], rules: [] }): KubeObject {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: meta({ name: 'app', namespace: 'team-a' }, metadata), spec };
}

export function secretMeta(metadata: Meta = {}, type = 'Opaque', keys: string[] = ['password']): SecretMeta {
  return { apiVersion: 'v1', kind: 'Secret', metadata: meta({ name: 'app', namespace: 'team-a' }, metadata), type, keys };
}

/** A ConfigMap as the agent sends it: key names, and markers for the keys whose values looked like credentials. */
export function configMapMeta(metadata: Meta = {}, keys: string[] = ['app.properties'], data?: ConfigMapMeta['data']): ConfigMapMeta {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta({ name: 'app-config', namespace: 'team-a' }, metadata), keys, ...(data ? { data } : {}) };
}

const LIST_OF_KIND = Object.fromEntries(RESOURCE_NAMES.map((name) => [RESOURCE_KINDS[name], name])) as Record<string, ResourceName>;

export type SnapshotOptions = {
  collection?: Snapshot['collection'];
  mode?: Snapshot['agent']['mode'];
  clusterUid?: string;
  collectedAt?: string;
};

/** A valid Snapshot holding the given objects, each in the list of its kind (unknown kinds are dropped). */
export function snapshotOf(objects: readonly (KubeObject | SecretMeta | ConfigMapMeta)[], options: SnapshotOptions = {}): Snapshot {
  const lists = Object.fromEntries(RESOURCE_NAMES.map((name) => [name, [] as unknown[]])) as Record<ResourceName, unknown[]>;
  for (const object of objects) {
    const list = LIST_OF_KIND[object.kind];
    if (list) lists[list].push(object);
  }
  return {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    cluster: { uid: options.clusterUid ?? 'cluster-uid-1', name: 'test', provider: 'kind' },
    collectedAt: options.collectedAt ?? '2025-01-01T00:00:00Z',
    agent: { version: '0.0.0-test', mode: options.mode ?? 'in-cluster' },
    collection: options.collection ?? {},
    objects: lists as unknown as SnapshotObjects,
  };
}
