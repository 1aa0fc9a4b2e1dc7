import type { KubeObject, ResourceName, SecretMeta, Snapshot, SnapshotObjects } from '@/lib/analysis/snapshot/schema';
import { RESOURCE_NAMES, SNAPSHOT_SCHEMA_VERSION } from '@/lib/analysis/snapshot/schema';

/**
 * A synthetic cluster for benchmarks and load tests, deterministic from its seed: the same options always give
 * the same snapshot. Proportions follow a typical multi-tenant cluster: 25 pods per namespace, a role and a
 * binding per 5 pods, a ServiceAccount per 10, a Secret per 2, NetworkPolicies in half the namespaces, and a
 * realistic share of misconfigurations (a few privileged pods, many without limits or seccomp).
 */
export type SyntheticOptions = { pods: number; seed?: number };

type Json = Record<string, unknown>;

/** mulberry32: small, fast and good enough to spread misconfigurations. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function syntheticSnapshot(options: SyntheticOptions): Snapshot {
  const rand = random(options.seed ?? 1);
  const chance = (p: number) => rand() < p;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
  let uidCounter = 0;
  const uid = () => `00000000-0000-4000-8000-${(uidCounter++).toString(16).padStart(12, '0')}`;

  const lists = Object.fromEntries(RESOURCE_NAMES.map((name) => [name, [] as unknown[]])) as Record<ResourceName, unknown[]>;
  const add = (resource: ResourceName, object: KubeObject | SecretMeta) => lists[resource].push(object);

  const namespaceCount = Math.max(1, Math.round(options.pods / 25));
  const namespaces = Array.from({ length: namespaceCount }, (_, i) => (i === 0 ? 'default' : `team-${i.toString().padStart(4, '0')}`));
  for (const [i, name] of namespaces.entries()) {
    add('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name, uid: uid(), labels: i % 3 === 0 ? {} : { 'pod-security.kubernetes.io/enforce': pick(['baseline', 'restricted', 'privileged']) } } });
    if (i % 2 === 0) {
      add('networkpolicies', { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'default-deny', namespace: name, uid: uid() }, spec: { podSelector: {}, policyTypes: chance(0.5) ? ['Ingress', 'Egress'] : ['Ingress'] } });
      add('networkpolicies', { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'allow-web', namespace: name, uid: uid() }, spec: { podSelector: { matchLabels: { tier: 'web' } }, ingress: [{ from: [{ podSelector: {} }] }] } });
    }
  }

  const serviceAccountsByNamespace = new Map<string, string[]>();
  for (let i = 0; i < Math.round(options.pods / 10); i++) {
    const namespace = namespaces[i % namespaceCount] as string;
    const name = `sa-${i}`;
    serviceAccountsByNamespace.set(namespace, [...(serviceAccountsByNamespace.get(namespace) ?? []), name]);
    add('serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace, uid: uid() }, ...(chance(0.5) ? { automountServiceAccountToken: false } : {}) });
  }
  for (const namespace of namespaces) add('serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace, uid: uid() } });

  const podSpec = (namespace: string, app: string): Json => {
    const hardened = chance(0.6);
    const container: Json = {
      name: app,
      image: chance(0.15) ? `nginx:latest` : chance(0.5) ? `ghcr.io/acme/${app}:1.${Math.floor(rand() * 20)}.0` : `registry.example.com/${app}:2.0@sha256:${'ab'.repeat(32)}`,
      ports: [{ containerPort: 8080, ...(chance(0.02) ? { hostPort: 8080 } : {}) }],
      env: [
        { name: 'LOG_LEVEL', value: 'info' },
        ...(chance(0.2) ? [{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: `${app}-db`, key: 'password' } } }] : []),
        ...(chance(0.05) ? [{ name: 'API_TOKEN', value: { redacted: true, sha256Prefix: '0badc0de', length: 40, reason: 'sensitive-name' } }] : []),
      ],
      ...(chance(0.7) ? { resources: { limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '100m', memory: '128Mi' } } } : {}),
      securityContext: hardened
        ? { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } }
        : { ...(chance(0.05) ? { privileged: true } : {}), ...(chance(0.05) ? { capabilities: { add: ['NET_ADMIN'] } } : {}) },
    };
    const accounts = serviceAccountsByNamespace.get(namespace) ?? [];
    return {
      ...(chance(0.7) && accounts.length > 0 ? { serviceAccountName: pick(accounts) } : {}),
      ...(chance(0.5) ? { automountServiceAccountToken: false } : {}),
      ...(chance(0.03) ? { hostNetwork: true } : {}),
      ...(chance(0.01) ? { hostPID: true } : {}),
      securityContext: hardened ? { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } } : {},
      ...(chance(0.03) ? { volumes: [{ name: 'host', hostPath: { path: '/var/log' } }] } : {}),
      ...(chance(0.2) ? { initContainers: [{ ...container, name: 'init' }] } : {}),
      containers: [container],
    };
  };

  const ownerRef = (object: KubeObject) => [{ apiVersion: object.apiVersion, kind: object.kind, name: object.metadata.name, uid: object.metadata.uid, controller: true }];
  const podOf = (namespace: string, name: string, spec: Json, labels: Record<string, string>, owner?: KubeObject) =>
    add('pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, uid: uid(), labels, ...(owner ? { ownerReferences: ownerRef(owner) } : {}) }, spec });

  let pods = 0;
  let workload = 0;
  while (pods < options.pods) {
    const namespace = namespaces[workload % namespaceCount] as string;
    const app = `app-${workload++}`;
    const labels = { app, tier: pick(['web', 'api', 'worker']) };
    const spec = podSpec(namespace, app);
    const template = { metadata: { labels }, spec };
    const roll = rand();
    const meta = () => ({ name: app, namespace, uid: uid(), labels });
    if (roll < 0.65) {
      const replicas = 1 + Math.floor(rand() * 4);
      const deployment: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta(), spec: { replicas, selector: { matchLabels: { app } }, template } };
      const replicaSet: KubeObject = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { ...meta(), name: `${app}-5d4f8`, ownerReferences: ownerRef(deployment) }, spec: { replicas, selector: { matchLabels: { app } }, template } };
      add('deployments', deployment);
      add('replicasets', replicaSet);
      for (let r = 0; r < replicas; r++) podOf(namespace, `${app}-5d4f8-${r}`, spec, labels, replicaSet);
      pods += replicas;
    } else if (roll < 0.75) {
      const replicas = 1 + Math.floor(rand() * 3);
      const statefulSet: KubeObject = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: meta(), spec: { replicas, serviceName: app, selector: { matchLabels: { app } }, template } };
      add('statefulsets', statefulSet);
      for (let r = 0; r < replicas; r++) podOf(namespace, `${app}-${r}`, spec, labels, statefulSet);
      pods += replicas;
    } else if (roll < 0.8) {
      const daemonSet: KubeObject = { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: meta(), spec: { selector: { matchLabels: { app } }, template } };
      add('daemonsets', daemonSet);
      for (let r = 0; r < 3; r++) podOf(namespace, `${app}-node${r}`, spec, labels, daemonSet);
      pods += 3;
    } else if (roll < 0.9) {
      const cronJob: KubeObject = { apiVersion: 'batch/v1', kind: 'CronJob', metadata: meta(), spec: { schedule: '0 * * * *', jobTemplate: { spec: { template: { ...template, spec: { ...spec, restartPolicy: 'OnFailure' } } } } } };
      const job: KubeObject = { apiVersion: 'batch/v1', kind: 'Job', metadata: { ...meta(), name: `${app}-29000000`, ownerReferences: ownerRef(cronJob) }, spec: { template } };
      add('cronjobs', cronJob);
      add('jobs', job);
      podOf(namespace, `${app}-29000000-x`, spec, labels, job);
      pods += 1;
    } else {
      podOf(namespace, app, spec, labels);
      pods += 1;
    }
    if (workload % 10 === 0) {
      add('services', { apiVersion: 'v1', kind: 'Service', metadata: { name: app, namespace, uid: uid() }, spec: { type: chance(0.1) ? 'LoadBalancer' : 'ClusterIP', selector: { app }, ports: [{ port: 80 }] } });
    }
    if (workload % 50 === 0) {
      add('ingresses', { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: app, namespace, uid: uid() }, spec: { rules: [{ host: `${app}.example.com` }], ...(chance(0.5) ? { tls: [{ hosts: [`${app}.example.com`] }] } : {}) } });
    }
  }

  const roleCount = Math.round(options.pods / 5);
  const ruleSets = [
    [{ apiGroups: [''], resources: ['pods', 'services', 'configmaps'], verbs: ['get', 'list', 'watch'] }],
    [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list', 'create', 'update', 'patch'] }],
    [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] }],
    [{ apiGroups: [''], resources: ['pods/exec', 'pods/log'], verbs: ['create', 'get'] }],
    [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
    [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }],
  ];
  const weights = [0.45, 0.2, 0.1, 0.1, 0.02, 0.13];
  const ruleSet = () => {
    let r = rand();
    for (const [i, weight] of weights.entries()) {
      if (r < weight) return ruleSets[i] ?? [];
      r -= weight;
    }
    return ruleSets[0] ?? [];
  };
  const roleRefs: { kind: 'Role' | 'ClusterRole'; name: string; namespace?: string }[] = [];
  for (let i = 0; i < roleCount; i++) {
    if (i % 2 === 0) {
      const namespace = namespaces[i % namespaceCount] as string;
      add('roles', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: `role-${i}`, namespace, uid: uid() }, rules: ruleSet() });
      roleRefs.push({ kind: 'Role', name: `role-${i}`, namespace });
    } else {
      const aggregated = i % 97 === 1;
      add('clusterroles', {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: `clusterrole-${i}`, uid: uid(), labels: { 'rbac.example.com/aggregate-to-ops': String(i % 7 === 0) } },
        rules: aggregated ? [] : ruleSet(),
        ...(aggregated ? { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'rbac.example.com/aggregate-to-ops': 'true' } }] } } : {}),
      });
      roleRefs.push({ kind: 'ClusterRole', name: `clusterrole-${i}` });
    }
  }
  for (let i = 0; i < Math.round(options.pods / 5); i++) {
    const ref = roleRefs.length > 0 ? pick(roleRefs) : { kind: 'ClusterRole' as const, name: 'view' };
    const namespace = ref.namespace ?? (namespaces[i % namespaceCount] as string);
    const accounts = serviceAccountsByNamespace.get(namespace) ?? ['default'];
    const subjects = [
      chance(0.5) ? { kind: 'ServiceAccount', name: chance(0.02) ? `deleted-sa-${i}` : pick(accounts), namespace } : { kind: 'Group', name: `team-${i % 40}`, apiGroup: 'rbac.authorization.k8s.io' },
    ];
    const roleRef = { apiGroup: 'rbac.authorization.k8s.io', kind: ref.kind, name: chance(0.01) ? `missing-${i}` : ref.name };
    if (ref.kind === 'ClusterRole' && chance(0.1)) {
      add('clusterrolebindings', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: `crb-${i}`, uid: uid() }, roleRef, subjects });
    } else {
      add('rolebindings', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: `rb-${i}`, namespace, uid: uid() }, roleRef, subjects });
    }
  }

  for (let i = 0; i < Math.round(options.pods / 2); i++) {
    const namespace = namespaces[i % namespaceCount] as string;
    const legacy = chance(0.05);
    add('secrets', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: legacy ? `sa-token-${i}` : `secret-${i}`, namespace, uid: uid() },
      type: legacy ? 'kubernetes.io/service-account-token' : 'Opaque',
      keys: legacy ? ['token', 'ca.crt', 'namespace'] : ['password'],
    });
  }

  const collection = Object.fromEntries(RESOURCE_NAMES.map((name) => [name, { status: 'collected' as const, count: lists[name].length }]));
  return {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    cluster: { uid: `synthetic-${options.seed ?? 1}`, name: 'synthetic', provider: 'unknown' },
    collectedAt: '2025-01-01T00:00:00Z',
    agent: { version: 'synthetic', mode: 'in-cluster' },
    collection,
    objects: lists as unknown as SnapshotObjects,
  };
}
