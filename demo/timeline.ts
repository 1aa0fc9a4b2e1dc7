/**
 * The demo's 30 days. The files under demo/manifests are each cluster as it is today (day 30); every change
 * below says how the cluster differed on some earlier days, so the history ends exactly where the files are.
 * Pure: objects in, objects out. scripts/demo-history.ts turns each day into a snapshot.
 */

export const DEMO_DAYS = 30;

export type DemoCluster = {
  org: 'acme' | 'globex';
  name: string;
  /** Folder under demo/manifests. */
  manifests: string;
  /** The kube-system namespace uid: the identity the agent reports, stable for the life of the cluster. */
  uid: string;
  provider: 'eks' | 'gke';
  serverVersion: string;
  /** Whether the agent runs with --include-secrets (Secrets as metadata only). */
  includeSecrets: boolean;
};

export const DEMO_CLUSTERS: readonly DemoCluster[] = [
  { org: 'acme', name: 'prod', manifests: 'prod', uid: '3f6c2a1e-8b7d-4c59-a0e4-5d1f9b2c7e11', provider: 'eks', serverVersion: 'v1.30.4-eks-a737599', includeSecrets: true },
  { org: 'acme', name: 'staging', manifests: 'staging', uid: '9a4e7b20-1c3d-4f8e-b6a5-2e0d8c7f1b22', provider: 'eks', serverVersion: 'v1.30.4-eks-a737599', includeSecrets: true },
  { org: 'acme', name: 'dev', manifests: 'dev', uid: 'c1d8e5f3-6a2b-4e7c-9d0f-7b3a1e5c9d33', provider: 'eks', serverVersion: 'v1.31.0-eks-a737599', includeSecrets: true },
  { org: 'globex', name: 'main', manifests: 'globex', uid: '5e2b9c7a-4d1f-4a3e-8c6b-0f9e2d4a7c44', provider: 'gke', serverVersion: 'v1.30.3-gke.1969001', includeSecrets: false },
];

type Json = Record<string, unknown>;
/** A Kubernetes object as read from a manifest. */
export type Manifest = Json & { apiVersion: string; kind: string; metadata: Json & { name: string; namespace?: string } };

export type Change = {
  /** `<org>/<cluster>` */
  cluster: string;
  /** The days (1-based, `until` excluded) on which the cluster looked different from its manifests. */
  from: number;
  until: number;
  story: string;
  apply: (objects: Manifest[]) => void;
};

const isRecord = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Checks that a value read from a manifest file is a Kubernetes object with a name. */
export function toManifest(value: unknown, source: string): Manifest {
  if (isRecord(value) && typeof value.apiVersion === 'string' && typeof value.kind === 'string' && isRecord(value.metadata) && typeof value.metadata.name === 'string') {
    return value as Manifest;
  }
  throw new Error(`${source}: every document must be a Kubernetes object with apiVersion, kind and metadata.name`);
}

function record(parent: Json, key: string, where: string): Json {
  const value = parent[key];
  if (!isRecord(value)) throw new Error(`demo timeline: ${where} has no ${key}`);
  return value;
}

// The story and the files must agree: a change that names an object the manifests lack is a bug, not a no-op.
function find(objects: Manifest[], kind: string, namespace: string | undefined, name: string): Manifest {
  const found = objects.find((o) => o.kind === kind && o.metadata.namespace === namespace && o.metadata.name === name);
  if (!found) throw new Error(`demo timeline: no ${kind} ${namespace ? `${namespace}/` : ''}${name} in the manifests`);
  return found;
}

function remove(objects: Manifest[], predicate: (object: Manifest) => boolean, what: string): void {
  const before = objects.length;
  for (let i = objects.length - 1; i >= 0; i -= 1) {
    const object = objects[i];
    if (object && predicate(object)) objects.splice(i, 1);
  }
  if (objects.length === before) throw new Error(`demo timeline: nothing to remove for ${what}`);
}

function podSpec(workload: Manifest): Json {
  const where = `${workload.kind} ${workload.metadata.name}`;
  const spec = record(workload, 'spec', where);
  const template = workload.kind === 'CronJob' ? record(record(record(spec, 'jobTemplate', where), 'spec', where), 'template', where) : record(spec, 'template', where);
  return record(template, 'spec', where);
}

function container(workload: Manifest, name: string): Json {
  const containers = podSpec(workload).containers;
  const found = Array.isArray(containers) ? containers.find((c): c is Json => isRecord(c) && c.name === name) : undefined;
  if (!found) throw new Error(`demo timeline: ${workload.kind} ${workload.metadata.name} has no container ${name}`);
  return found;
}

const RBAC = 'rbac.authorization.k8s.io';

export const CHANGES: readonly Change[] = [
  {
    cluster: 'acme/staging', from: 1, until: 12,
    story: 'checkout runs privileged while the payments team profiles it, and shop allows the privileged level; both fixed on day 12',
    apply: (objects) => {
      const checkout = container(find(objects, 'Deployment', 'shop', 'checkout'), 'checkout');
      checkout.securityContext = { ...record(checkout, 'securityContext', 'checkout'), privileged: true, allowPrivilegeEscalation: true };
      const labels = record(find(objects, 'Namespace', undefined, 'shop').metadata, 'labels', 'namespace shop');
      labels['pod-security.kubernetes.io/enforce'] = 'privileged';
    },
  },
  {
    cluster: 'acme/staging', from: 1, until: 4,
    story: 'the plain-HTTP shop-preview Ingress appears on day 4 and stays',
    apply: (objects) => remove(objects, (o) => o.kind === 'Ingress' && o.metadata.name === 'shop-preview', 'Ingress shop-preview'),
  },
  {
    cluster: 'acme/staging', from: 1, until: 20,
    story: 'postgres reads its superuser password from a plain env var until day 20, then from a mounted Secret',
    apply: (objects) => {
      const postgres = container(find(objects, 'StatefulSet', 'data', 'postgres'), 'postgres');
      const env = Array.isArray(postgres.env) ? postgres.env : [];
      // The value is fictional; the agent's redaction replaces it before the snapshot leaves the "cluster".
      postgres.env = env.map((item: unknown) => (isRecord(item) && item.name === 'POSTGRES_PASSWORD_FILE' ? { name: 'POSTGRES_PASSWORD', value: 'St4ging-Postgres-Pw-not-real' } : item));
    },
  },
  {
    cluster: 'acme/prod', from: 1, until: 18,
    story: 'monitoring gets its NetworkPolicies (default deny, scrape egress) on day 18',
    apply: (objects) => remove(objects, (o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === 'monitoring', 'NetworkPolicies in monitoring'),
  },
  {
    cluster: 'acme/prod', from: 25, until: 28,
    story: 'during an incident on day 25 someone grants on-call "*" on pods in shop; removed on day 28',
    apply: (objects) => {
      objects.push(
        {
          apiVersion: `${RBAC}/v1`, kind: 'Role', metadata: { name: 'incident-debug', namespace: 'shop' },
          rules: [{ apiGroups: [''], resources: ['pods', 'pods/exec', 'pods/log'], verbs: ['*'] }],
        },
        {
          apiVersion: `${RBAC}/v1`, kind: 'RoleBinding', metadata: { name: 'incident-debug', namespace: 'shop' },
          roleRef: { apiGroup: RBAC, kind: 'Role', name: 'incident-debug' },
          subjects: [{ apiGroup: RBAC, kind: 'Group', name: 'acme:oncall' }],
        },
      );
    },
  },
  {
    cluster: 'acme/dev', from: 1, until: 6,
    story: 'frontend runs the mutable latest tag until day 6, then the main branch build',
    apply: (objects) => {
      container(find(objects, 'Deployment', 'shop', 'frontend'), 'frontend').image = 'registry.acme.example/webshop/frontend:latest';
    },
  },
  {
    cluster: 'acme/dev', from: 8, until: 22,
    story: 'the ingress controller leaves the host network on day 8; an old values file brings hostNetwork back on day 22',
    apply: (objects) => {
      const spec = podSpec(find(objects, 'Deployment', 'ingress-nginx', 'ingress-nginx-controller'));
      delete spec.hostNetwork;
      delete spec.dnsPolicy;
    },
  },
  {
    cluster: 'acme/dev', from: 1, until: 10,
    story: 'cart gets CPU and memory limits on day 10',
    apply: (objects) => {
      delete record(container(find(objects, 'Deployment', 'shop', 'cart'), 'cart'), 'resources', 'cart').limits;
    },
  },
  {
    cluster: 'acme/dev', from: 1, until: 16,
    story: 'a debug-shell Deployment appears in the default namespace on day 16 and is never cleaned up',
    apply: (objects) => remove(objects, (o) => o.kind === 'Deployment' && o.metadata.namespace === 'default', 'Deployments in default'),
  },
  {
    cluster: 'globex/main', from: 1, until: 9,
    story: 'etl-nightly gets resource limits on day 9',
    apply: (objects) => {
      delete record(container(find(objects, 'CronJob', 'pipeline', 'etl-nightly'), 'etl'), 'resources', 'etl').limits;
    },
  },
  {
    cluster: 'globex/main', from: 1, until: 14,
    story: 'gitops-repo-server gets the RuntimeDefault seccomp profile on day 14',
    apply: (objects) => {
      delete record(podSpec(find(objects, 'Deployment', 'gitops', 'gitops-repo-server')), 'securityContext', 'gitops-repo-server').seccompProfile;
    },
  },
  {
    cluster: 'globex/main', from: 1, until: 20,
    story: 'a NodePort Service opens Kafka to the vendor on day 20',
    apply: (objects) => remove(objects, (o) => o.kind === 'Service' && o.metadata.name === 'kafka-external', 'Service kafka-external'),
  },
];

/** The cluster's objects on `day` (1 = oldest): a copy of today's manifests with that day's changes applied. */
export function objectsOn(cluster: DemoCluster, day: number, manifests: readonly Manifest[]): Manifest[] {
  const objects = structuredClone([...manifests]);
  for (const change of CHANGES) {
    if (change.cluster === `${cluster.org}/${cluster.name}` && day >= change.from && day < change.until) change.apply(objects);
  }
  return objects;
}
