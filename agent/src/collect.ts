import type { ClusterIdentity, CollectionStatus, PolicyListName, ResourceName, Snapshot } from '@/lib/analysis/snapshot/schema';
import { POLICY_LIST_NAMES, RESOURCE_KINDS, RESOURCE_NAMES } from '@/lib/analysis/snapshot/schema';
import { preparePolicyObject } from '@/lib/analysis/snapshot/build';
import { toConfigMapMeta } from '@/lib/analysis/snapshot/redact';
import { stripObject } from '@/lib/analysis/snapshot/strip';
import { statusMessage, type KubeClient } from './kube-client';
import type { Logger } from './log';

/** Where each resource of the contract is listed across all namespaces, and the apiVersion its items get. */
export const RESOURCE_ENDPOINTS: Record<ResourceName, { path: string; apiVersion: string }> = {
  namespaces: { path: '/api/v1/namespaces', apiVersion: 'v1' },
  nodes: { path: '/api/v1/nodes', apiVersion: 'v1' },
  pods: { path: '/api/v1/pods', apiVersion: 'v1' },
  deployments: { path: '/apis/apps/v1/deployments', apiVersion: 'apps/v1' },
  replicasets: { path: '/apis/apps/v1/replicasets', apiVersion: 'apps/v1' },
  statefulsets: { path: '/apis/apps/v1/statefulsets', apiVersion: 'apps/v1' },
  daemonsets: { path: '/apis/apps/v1/daemonsets', apiVersion: 'apps/v1' },
  jobs: { path: '/apis/batch/v1/jobs', apiVersion: 'batch/v1' },
  cronjobs: { path: '/apis/batch/v1/cronjobs', apiVersion: 'batch/v1' },
  replicationcontrollers: { path: '/api/v1/replicationcontrollers', apiVersion: 'v1' },
  serviceaccounts: { path: '/api/v1/serviceaccounts', apiVersion: 'v1' },
  roles: { path: '/apis/rbac.authorization.k8s.io/v1/roles', apiVersion: 'rbac.authorization.k8s.io/v1' },
  clusterroles: { path: '/apis/rbac.authorization.k8s.io/v1/clusterroles', apiVersion: 'rbac.authorization.k8s.io/v1' },
  rolebindings: { path: '/apis/rbac.authorization.k8s.io/v1/rolebindings', apiVersion: 'rbac.authorization.k8s.io/v1' },
  clusterrolebindings: { path: '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', apiVersion: 'rbac.authorization.k8s.io/v1' },
  networkpolicies: { path: '/apis/networking.k8s.io/v1/networkpolicies', apiVersion: 'networking.k8s.io/v1' },
  services: { path: '/api/v1/services', apiVersion: 'v1' },
  ingresses: { path: '/apis/networking.k8s.io/v1/ingresses', apiVersion: 'networking.k8s.io/v1' },
  secrets: { path: '/api/v1/secrets', apiVersion: 'v1' },
  configmaps: { path: '/api/v1/configmaps', apiVersion: 'v1' },
};

/**
 * Secrets come as PartialObjectMetadata: names, labels and annotations, no `data`, so values never reach
 * the agent's memory. There is deliberately no `, application/json` fallback: a server that can't answer
 * in this form must fail the request, not send whole Secrets. The price: key names are not in metadata,
 * so live snapshots carry `keys: []` (offline manifests still give them).
 */
export const PARTIAL_METADATA_ACCEPT = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';

export const DEFAULT_PAGE_SIZE = 500;

/** The agent could not identify the cluster or authenticate: nothing useful can be sent. */
export class CollectError extends Error {
  override readonly name = 'CollectError';
}

type Json = Record<string, unknown>;
const isRecord = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

type ListResult = { status: 'collected'; items: Json[] } | { status: 'forbidden' | 'error'; message: string } | { status: 'not-served'; message: string };

async function listResource(client: KubeClient, resource: ResourceName, options: { pageSize: number; log: Logger }): Promise<Exclude<ListResult, { status: 'not-served' }>> {
  const { path, apiVersion } = RESOURCE_ENDPOINTS[resource];
  const kind = RESOURCE_KINDS[resource];
  const isSecrets = resource === 'secrets';
  const result = await listPath(client, path, {
    ...options,
    resource,
    accept: isSecrets ? PARTIAL_METADATA_ACCEPT : undefined,
    // List items carry no kind of their own; managedFields (often half an object's size) go right away.
    // A ConfigMap's values are read (to find credentials among them) and dropped page by page: only key
    // names and redaction markers stay in memory and reach the snapshot.
    shape: (item) => {
      const object = isSecrets ? { apiVersion, kind, metadata: item.metadata } : { ...item, apiVersion, kind };
      return resource === 'configmaps' ? toConfigMapMeta(stripObject(object)) : stripObject(object);
    },
  });
  return result.status === 'not-served' ? { status: 'error', message: `${path} is not served by this API server` } : result;
}

/** Lists one REST path page by page; `shape` turns each item into what the snapshot keeps (page by page). */
async function listPath(
  client: KubeClient,
  path: string,
  options: { pageSize: number; log: Logger; resource: string; accept?: string; shape: (item: Json) => Json },
): Promise<ListResult> {
  const { resource } = options;
  const items: Json[] = [];
  let continueToken: string | undefined;
  let restarted = false;
  let page = 0;

  for (;;) {
    let response;
    try {
      response = await client.get(path, { query: { limit: options.pageSize, continue: continueToken }, accept: options.accept });
    } catch (error) {
      return { status: 'error', message: (error as Error).message };
    }
    if (response.status === 401) throw new CollectError(`the API server refused the agent's credentials (401): ${statusMessage(response)}`);
    if (response.status === 403) return { status: 'forbidden', message: statusMessage(response) };
    // A continue token expires (410 Gone) when a list takes longer than etcd keeps its revision: start over once.
    if (response.status === 410 && continueToken && !restarted) {
      options.log.warn('list continue token expired, listing again from the start', { resource });
      restarted = true;
      continueToken = undefined;
      items.length = 0;
      continue;
    }
    if (response.status === 404) return { status: 'not-served', message: `${path} is not served by this API server` };
    if (response.status !== 200 || !isRecord(response.body) || !Array.isArray(response.body.items)) {
      return { status: 'error', message: response.status === 200 ? 'the API server answered with something that is not a list' : statusMessage(response) };
    }
    page += 1;
    for (const item of response.body.items) {
      if (!isRecord(item)) continue;
      items.push(options.shape(item));
    }
    options.log.debug('listed page', { resource, page, items: response.body.items.length });
    const next = isRecord(response.body.metadata) ? response.body.metadata.continue : undefined;
    continueToken = typeof next === 'string' && next.length > 0 ? next : undefined;
    if (!continueToken) return { status: 'collected', items };
  }
}

type PolicySource = { path: string; apiVersion: string; kind: string };
const source = (group: string, version: string, plural: string, kind: string): PolicySource => ({ path: `/apis/${group}/${version}/${plural}`, apiVersion: `${group}/${version}`, kind });

/**
 * Where the cluster's own policies are listed (issue 23): the REST paths the custom objects API uses
 * (`/apis/<group>/<version>/<plural>`, all namespaces). A group the API server does not serve (404: the CRD or the
 * Kubernetes version is missing) makes the list `disabled` with the reason, never an empty "collected" list.
 */
export const POLICY_SOURCES: Record<Exclude<PolicyListName, 'gatekeeperconstraints'>, { notServed: string; sources: PolicySource[] }> = {
  validatingadmissionpolicies: {
    notServed: 'admissionregistration.k8s.io/v1 ValidatingAdmissionPolicies are not served (Kubernetes 1.30 or later)',
    sources: [source('admissionregistration.k8s.io', 'v1', 'validatingadmissionpolicies', 'ValidatingAdmissionPolicy')],
  },
  validatingadmissionpolicybindings: {
    notServed: 'admissionregistration.k8s.io/v1 ValidatingAdmissionPolicyBindings are not served (Kubernetes 1.30 or later)',
    sources: [source('admissionregistration.k8s.io', 'v1', 'validatingadmissionpolicybindings', 'ValidatingAdmissionPolicyBinding')],
  },
  kyvernopolicies: {
    notServed: 'kyverno.io not installed',
    sources: [source('kyverno.io', 'v1', 'clusterpolicies', 'ClusterPolicy'), source('kyverno.io', 'v1', 'policies', 'Policy')],
  },
  policyreports: {
    notServed: 'wgpolicyk8s.io not installed',
    sources: [source('wgpolicyk8s.io', 'v1alpha2', 'policyreports', 'PolicyReport'), source('wgpolicyk8s.io', 'v1alpha2', 'clusterpolicyreports', 'ClusterPolicyReport')],
  },
};
/** Gatekeeper has one resource per constraint template: found through the group's discovery document. */
export const GATEKEEPER_CONSTRAINTS_GROUP = { path: '/apis/constraints.gatekeeper.sh/v1beta1', apiVersion: 'constraints.gatekeeper.sh/v1beta1' };

/** Shaped page by page (policy report results can be many); buildSnapshot shapes again, to the same object. */
function shapePolicy(list: PolicyListName, kind: string, apiVersion: string): (item: Json) => Json {
  return (item) => preparePolicyObject(list, { ...item, apiVersion, kind });
}

/** One policy list from several sources: not served anywhere = disabled; any forbidden or failing = that. */
function combine(results: ListResult[], notServed: string): CollectionStatus & { items: Json[] } {
  const failed = results.find((r) => r.status === 'forbidden') ?? results.find((r) => r.status === 'error');
  if (failed && failed.status !== 'collected') return { status: failed.status === 'forbidden' ? 'forbidden' : 'error', count: 0, message: failed.message.slice(0, 2000), items: [] };
  if (results.length === 0 || results.every((r) => r.status === 'not-served')) return { status: 'disabled', count: 0, message: notServed, items: [] };
  const items = results.flatMap((r) => (r.status === 'collected' ? r.items : []));
  return { status: 'collected', count: items.length, items };
}

async function collectPolicyList(client: KubeClient, list: PolicyListName, options: { pageSize: number; log: Logger }): Promise<CollectionStatus & { items: Json[] }> {
  if (list !== 'gatekeeperconstraints') {
    const { sources, notServed } = POLICY_SOURCES[list];
    const results: ListResult[] = [];
    for (const { path, apiVersion, kind } of sources) {
      results.push(await listPath(client, path, { ...options, resource: list, shape: shapePolicy(list, kind, apiVersion) }));
    }
    return combine(results, notServed);
  }
  const notServed = 'constraints.gatekeeper.sh not installed';
  let discovery;
  try {
    discovery = await client.get(GATEKEEPER_CONSTRAINTS_GROUP.path);
  } catch (error) {
    return { status: 'error', count: 0, message: (error as Error).message.slice(0, 2000), items: [] };
  }
  if (discovery.status === 404) return { status: 'disabled', count: 0, message: notServed, items: [] };
  if (discovery.status === 401) throw new CollectError(`the API server refused the agent's credentials (401): ${statusMessage(discovery)}`);
  if (discovery.status === 403) return { status: 'forbidden', count: 0, message: statusMessage(discovery).slice(0, 2000), items: [] };
  const resources = discovery.status === 200 && isRecord(discovery.body) && Array.isArray(discovery.body.resources) ? discovery.body.resources.filter(isRecord) : null;
  if (!resources) return { status: 'error', count: 0, message: statusMessage(discovery).slice(0, 2000), items: [] };
  const results: ListResult[] = [];
  for (const resource of resources) {
    // Subresources (k8srequiredlabels/status) and anything that cannot be listed are not constraints to read.
    if (typeof resource.name !== 'string' || resource.name.includes('/') || typeof resource.kind !== 'string') continue;
    if (Array.isArray(resource.verbs) && !resource.verbs.includes('list')) continue;
    const path = `${GATEKEEPER_CONSTRAINTS_GROUP.path}/${resource.name}`;
    results.push(await listPath(client, path, { ...options, resource: list, shape: shapePolicy(list, resource.kind, GATEKEEPER_CONSTRAINTS_GROUP.apiVersion) }));
  }
  // Gatekeeper installed without any constraint template: nothing to list, and nothing missing.
  if (results.length === 0) return { status: 'collected', count: 0, items: [] };
  const combined = combine(results, notServed);
  // The default ClusterRole has no wildcard: say which optional role grants it.
  if (combined.status === 'forbidden') combined.message = `${combined.message ?? ''} (apply agent/deploy/optional/gatekeeper-constraints to let the agent list constraints)`.slice(0, 2000);
  return combined;
}

const PROVIDER_BY_LABEL: ReadonlyArray<[string, ClusterIdentity['provider']]> = [
  ['eks.amazonaws.com/nodegroup', 'eks'],
  ['alpha.eksctl.io/cluster-name', 'eks'],
  ['cloud.google.com/gke-nodepool', 'gke'],
  ['kubernetes.azure.com/cluster', 'aks'],
  ['node.openshift.io/os_id', 'openshift'],
  ['minikube.k8s.io/name', 'minikube'],
  ['rke.cattle.io/machine', 'rke'],
];
const PROVIDER_BY_ID: ReadonlyArray<[string, ClusterIdentity['provider']]> = [
  ['aws://', 'eks'],
  ['gce://', 'gke'],
  ['azure://', 'aks'],
  ['kind://', 'kind'],
  ['k3s://', 'k3s'],
];

/** A best guess at the distribution, from the version string and node labels/providerID. Informational only. */
export function guessProvider(gitVersion: string | undefined, nodes: Json[]): ClusterIdentity['provider'] {
  const labels = nodes.flatMap((node) => (isRecord(node.metadata) && isRecord(node.metadata.labels) ? Object.keys(node.metadata.labels) : []));
  for (const [label, provider] of PROVIDER_BY_LABEL) if (labels.includes(label)) return provider;
  const version = gitVersion ?? '';
  if (version.includes('-eks-')) return 'eks';
  if (version.includes('-gke.')) return 'gke';
  if (version.includes('+k3s')) return 'k3s';
  if (version.includes('+rke2')) return 'rke';
  const providerIds = nodes.map((node) => (isRecord(node.spec) && typeof node.spec.providerID === 'string' ? node.spec.providerID : ''));
  for (const [prefix, provider] of PROVIDER_BY_ID) if (providerIds.some((id) => id.startsWith(prefix))) return provider;
  return 'unknown';
}

export type CollectOptions = { includeSecrets: boolean; clusterName?: string; pageSize?: number; log: Logger };
export type CollectedCluster = { objects: Json[]; collection: Snapshot['collection']; cluster: ClusterIdentity };

/**
 * Lists every resource of the contract, one page at a time. A resource the agent may not list (403) or
 * that fails is recorded in `collection` and the rest of the snapshot goes on.
 */
export async function collectCluster(client: KubeClient, options: CollectOptions): Promise<CollectedCluster> {
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  // The kube-system namespace UID is the cluster's identity: without it a snapshot can't be attributed.
  const kubeSystem = await client.get('/api/v1/namespaces/kube-system').catch((error: Error) => {
    throw new CollectError(`cannot reach the API server at ${client.server}: ${error.message}`);
  });
  const uid = isRecord(kubeSystem.body) && isRecord(kubeSystem.body.metadata) ? kubeSystem.body.metadata.uid : undefined;
  if (kubeSystem.status !== 200 || typeof uid !== 'string') {
    throw new CollectError(`cannot read namespace kube-system, which identifies the cluster: ${statusMessage(kubeSystem)}`);
  }
  const version = await client.get('/version').catch(() => null);
  const gitVersion = version?.status === 200 && isRecord(version.body) && typeof version.body.gitVersion === 'string' ? version.body.gitVersion : undefined;
  if (!gitVersion) options.log.warn('server version unavailable');

  const objects: Json[] = [];
  const collection: Snapshot['collection'] = {};
  let nodes: Json[] = [];
  for (const resource of RESOURCE_NAMES) {
    if (resource === 'secrets' && !options.includeSecrets) {
      collection.secrets = { status: 'disabled', count: 0, message: 'Secrets are not collected unless the agent runs with --include-secrets' };
      continue;
    }
    const result = await listResource(client, resource, { pageSize, log: options.log });
    if (result.status === 'collected') {
      collection[resource] = { status: 'collected', count: result.items.length };
      objects.push(...result.items);
      if (resource === 'nodes') nodes = result.items;
      options.log.debug('collected', { resource, count: result.items.length });
    } else {
      const status: CollectionStatus = { status: result.status, count: 0, message: result.message.slice(0, 2000) };
      collection[resource] = status;
      options.log.warn(`could not list ${resource}`, { resource, status: result.status, message: status.message });
    }
  }

  for (const list of POLICY_LIST_NAMES) {
    const { items, ...status } = await collectPolicyList(client, list, { pageSize, log: options.log });
    collection[list] = status;
    objects.push(...items);
    if (status.status === 'collected') options.log.debug('collected', { resource: list, count: status.count });
    else if (status.status === 'disabled') options.log.info(`not collecting ${list}: ${status.message ?? ''}`, { resource: list });
    else options.log.warn(`could not list ${list}`, { resource: list, status: status.status, message: status.message });
  }

  const cluster: ClusterIdentity = {
    uid,
    name: options.clusterName ?? `cluster-${uid.slice(0, 8)}`,
    provider: guessProvider(gitVersion, nodes),
    ...(gitVersion ? { serverVersion: gitVersion.slice(0, 64) } : {}),
  };
  return { objects, collection, cluster };
}
