import { RESOURCE_NAMES, type KubeObject, type ResourceName, type Snapshot, type SnapshotObjects } from '@/lib/analysis/snapshot/schema';
import { apiGroupOf, namespaceOf, POD_BEARING_KINDS, POD_BEARING_RESOURCES, type AnyObject, type PodBearingKind } from './kube';
import { OwnerIndex } from './owners';
import { readNetworkPolicy, workloadOf, type NamespaceView, type NetworkPolicyView, type Workload } from './targets';
import { ephemeralContainersOf, podSpecOf } from './workload';

/** The snapshot read once into the lookups the controls need: every lookup is a Map, never a scan. */
export type SnapshotIndex = {
  objects: SnapshotObjects;
  workloads: Workload[];
  namespaces: NamespaceView[];
  isCollected: (resource: ResourceName) => boolean;
  /** "pods: forbidden (…)" for a resource that was not collected. */
  collectionReason: (resource: ResourceName) => string;
  findServiceAccount: (namespace: string, name: string) => KubeObject | undefined;
  policiesIn: (namespace: string) => readonly NetworkPolicyView[];
  workloadsIn: (namespace: string) => readonly Workload[];
  /**
   * Objects whose identity (API group, kind, namespace, name: what a finding's fingerprint names) another object
   * of the snapshot repeats. Empty for anything an API server sent; a hand-made or hostile snapshot can repeat an
   * object, and only findings on these objects need to be told apart by fingerprint.
   */
  repeated: ReadonlySet<AnyObject>;
};

const NO_POLICIES: readonly NetworkPolicyView[] = [];
const NO_WORKLOADS: readonly Workload[] = [];

export function indexSnapshot(snapshot: Snapshot, reportError: (object: AnyObject, error: unknown) => void): SnapshotIndex {
  const { objects, collection } = snapshot;
  // A list the snapshot does not carry at all (configmaps, from an agent older than that list) was not collected.
  const isCollected = (resource: ResourceName) => {
    const status = collection[resource];
    return objects[resource] !== undefined && (status === undefined || status.status === 'collected');
  };
  const collectionReason = (resource: ResourceName) => {
    if (objects[resource] === undefined) return `${resource}: not sent (the agent predates this list; upgrade it)`;
    const status = collection[resource];
    if (!status) return `${resource}: not collected`;
    return `${resource}: ${status.status}${status.message ? ` (${status.message})` : ''}`;
  };

  const workloads = indexWorkloads(objects, reportError);

  const workloadsByNamespace = new Map<string, Workload[]>();
  for (const workload of workloads) {
    const list = workloadsByNamespace.get(workload.namespace);
    if (list) list.push(workload);
    else workloadsByNamespace.set(workload.namespace, [workload]);
  }

  // By namespace, then name: several workload controls look a workload's account up, and a key built per lookup
  // (namespace + "/" + name) cost a string and its hash each time (2% of evaluate() at L).
  const serviceAccounts = new Map<string, Map<string, KubeObject>>();
  for (const account of objects.serviceaccounts) {
    const namespace = namespaceOf(account) ?? '';
    let byName = serviceAccounts.get(namespace);
    if (!byName) serviceAccounts.set(namespace, (byName = new Map()));
    byName.set(account.metadata.name, account);
  }

  const policies = new Map<string, NetworkPolicyView[]>();
  for (const object of objects.networkpolicies) {
    try {
      const policy = readNetworkPolicy(object);
      const namespace = namespaceOf(object) ?? 'default';
      const list = policies.get(namespace);
      if (list) list.push(policy);
      else policies.set(namespace, [policy]);
    } catch (error) {
      reportError(object, error);
    }
  }

  const namespaces = new Map<string, NamespaceView>();
  const namespaceView = (name: string, object: KubeObject | undefined): NamespaceView => {
    let view = namespaces.get(name);
    if (!view) {
      view = { name, object, labels: object?.metadata.labels ?? {}, policies: policies.get(name) ?? [], workloads: 0, workloadLabels: [] };
      namespaces.set(name, view);
    }
    return view;
  };
  for (const object of objects.namespaces) namespaceView(object.metadata.name, object);
  // A namespace we know only from its workloads (manifests without a Namespace object) still gets judged.
  for (const workload of workloads) {
    const view = namespaceView(workload.namespace, undefined);
    view.workloads += 1;
    view.workloadLabels.push(workload.spec.labels);
  }

  return {
    objects,
    workloads,
    namespaces: [...namespaces.values()],
    isCollected,
    collectionReason,
    findServiceAccount: (namespace, name) => serviceAccounts.get(namespace)?.get(name),
    policiesIn: (namespace) => policies.get(namespace) ?? NO_POLICIES,
    workloadsIn: (namespace) => workloadsByNamespace.get(namespace) ?? NO_WORKLOADS,
    repeated: repeatedIdentities(objects),
  };
}

/**
 * The objects of the snapshot lists whose identity another object repeats, in any list (a list's objects may
 * carry any kind). Looked up by the namespace and name strings the objects already hold, so no key is built per
 * object; objects that share a namespace and name (a Deployment and its Service) are told apart by kind and group.
 */
function repeatedIdentities(objects: SnapshotObjects): ReadonlySet<AnyObject> {
  const repeated = new Set<AnyObject>();
  // The first object of a namespace and name is kept as is. From a second one on, that bucket is keyed by kind and
  // group, so a hostile snapshot of 100,000 objects sharing one name costs a lookup each, never a scan of the others.
  const byNamespace = new Map<string, Map<string, AnyObject | Map<string, AnyObject>>>();
  for (const resource of RESOURCE_NAMES) {
    for (const object of (objects[resource] ?? []) as readonly AnyObject[]) {
      const { namespace = '', name } = object.metadata;
      let byName = byNamespace.get(namespace);
      if (!byName) byNamespace.set(namespace, (byName = new Map()));
      const same = byName.get(name);
      if (same === undefined) {
        byName.set(name, object);
        continue;
      }
      let byKind: Map<string, AnyObject>;
      if (same instanceof Map) byKind = same;
      else byName.set(name, (byKind = new Map([[kindKey(same), same]])));
      const key = kindKey(object);
      const first = byKind.get(key);
      if (first) {
        repeated.add(first);
        repeated.add(object);
      } else {
        byKind.set(key, object);
      }
    }
  }
  return repeated;
}

/** Kind and API group. A kind holding the separator can only make two objects look alike: more deduplication, never less. */
function kindKey(object: AnyObject): string {
  return `${object.kind}\n${apiGroupOf(object.apiVersion)}`;
}

const RESOURCE_OF_KIND = Object.fromEntries(POD_BEARING_KINDS.map((kind, i) => [kind, POD_BEARING_RESOURCES[i]])) as Record<
  PodBearingKind,
  (typeof POD_BEARING_RESOURCES)[number]
>;

/**
 * Top-level pod-bearing objects as workloads. ReplicaSets, Jobs and Pods owned by an object in the snapshot are
 * not evaluated on their own (their template is the owner's), except for the ephemeral containers of Pods, which
 * exist only there and are attributed to the top-level owner.
 */
function indexWorkloads(objects: SnapshotObjects, reportError: (object: AnyObject, error: unknown) => void): Workload[] {
  // A Pod never owns another pod-bearing object, and Pods are most of a cluster: the owner index leaves them out.
  const owners = new OwnerIndex(POD_BEARING_KINDS.filter((kind) => kind !== 'Pod').flatMap((kind) => objects[RESOURCE_OF_KIND[kind]]));
  const workloads: Workload[] = [];
  const owned: KubeObject[] = [];
  for (const kind of POD_BEARING_KINDS) {
    for (const object of objects[RESOURCE_OF_KIND[kind]]) {
      if (!owners.isTopLevel(object)) {
        // Only an owned Pod's ephemeral containers are its own (the rest is its owner's template).
        if (kind === 'Pod' && hasEphemeralContainers(object)) owned.push(object);
        continue;
      }
      try {
        workloads.push(workloadOf(object, kind, podSpecOf(object, kind)));
      } catch (error) {
        reportError(object, error);
      }
    }
  }
  if (owned.length === 0) return workloads;
  const byObject = new Map(workloads.map((workload) => [workload.object, workload]));
  for (const pod of owned) {
    const owner = byObject.get(owners.topOwnerOf(pod));
    if (!owner) continue;
    try {
      owner.containers.push(...ephemeralContainersOf(pod));
    } catch (error) {
      reportError(pod, error);
    }
  }
  return workloads;
}

function hasEphemeralContainers(pod: KubeObject): boolean {
  const spec = pod.spec;
  return typeof spec === 'object' && spec !== null && 'ephemeralContainers' in spec;
}
