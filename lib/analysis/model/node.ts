import type { NodeComponent, NodeComponentName, NodeFile, NodeReport } from '@/lib/analysis/snapshot/node-report';
import type { KubeObject } from '@/lib/analysis/snapshot/schema';
import type { ResourceRef } from './kube';

/** The managed Kubernetes services whose control plane the provider runs (and the customer cannot read or change). */
export type ManagedProvider = 'aws' | 'gce' | 'azure';

export const MANAGED_PROVIDER_NAMES: Record<ManagedProvider, string> = {
  aws: 'Amazon EKS',
  gce: 'Google GKE',
  azure: 'Azure AKS',
};

/** A node as node controls see it: its report, its role in the cluster and the provider that manages it. */
export type NodeView = {
  name: string;
  report: NodeReport;
  ref: ResourceRef;
  /** control-plane: runs an API server, etcd, the controller manager or the scheduler, or is labelled so. */
  role: 'control-plane' | 'worker';
  provider: ManagedProvider | undefined;
  component: (name: NodeComponentName) => NodeComponent | undefined;
  /** The files the collector reported under one of these roles (node-report.ts NODE_FILE_ROLES). */
  filesWithRole: (roles: readonly string[]) => NodeFile[];
};

/** Every node report of the evaluation, read once. */
export type NodesModel = {
  nodes: readonly NodeView[];
  /** Set when any node says it runs on a managed service: the provider then owns the control plane. */
  managedProvider: ManagedProvider | undefined;
  hasControlPlane: boolean;
};

const CONTROL_PLANE_COMPONENTS: readonly NodeComponentName[] = ['apiserver', 'controllerManager', 'scheduler', 'etcd'];
const CONTROL_PLANE_LABELS = ['node-role.kubernetes.io/control-plane', 'node-role.kubernetes.io/master'];

/**
 * The provider from the node's providerID (the cloud controller's `aws://`, `gce://`, `azure://` scheme) or from
 * the labels the managed services put on their nodes. A self-managed cluster on cloud VMs also has a cloud
 * providerID but reports its own control-plane node: see managedProviderOf.
 */
export function providerOf(report: NodeReport): ManagedProvider | undefined {
  return providerFrom(report.node.providerID ?? '', report.node.labels);
}

function providerFrom(id: string, labels: Readonly<Record<string, unknown>>): ManagedProvider | undefined {
  const has = (prefix: string) => Object.keys(labels).some((key) => key.startsWith(prefix));
  if (id.startsWith('aws://') || has('eks.amazonaws.com/')) return 'aws';
  if (id.startsWith('gce://') || has('cloud.google.com/gke-')) return 'gce';
  if (id.startsWith('azure://') || has('kubernetes.azure.com/')) return 'azure';
  return undefined;
}

export function nodeViewOf(report: NodeReport): NodeView {
  const components = report.components;
  const isControlPlane =
    CONTROL_PLANE_COMPONENTS.some((name) => components[name] !== undefined) ||
    CONTROL_PLANE_LABELS.some((label) => label in report.node.labels);
  return {
    name: report.node.name,
    report,
    ref: { apiVersion: 'v1', kind: 'Node', namespace: null, name: report.node.name, uid: null },
    role: isControlPlane ? 'control-plane' : 'worker',
    provider: providerOf(report),
    component: (name) => components[name],
    filesWithRole: (roles) => report.files.filter((file) => file.role !== undefined && roles.includes(file.role)),
  };
}

/** A snapshot Node object's provider (spec.providerID, managed-service labels) and whether it is labelled control plane. */
function nodeObjectFacts(node: KubeObject): { provider: ManagedProvider | undefined; controlPlane: boolean } {
  const labels = node.metadata.labels ?? {};
  const spec = typeof node.spec === 'object' && node.spec !== null ? (node.spec as Record<string, unknown>) : {};
  const id = typeof spec.providerID === 'string' ? spec.providerID : '';
  return { provider: providerFrom(id, labels), controlPlane: CONTROL_PLANE_LABELS.some((label) => label in labels) };
}

/**
 * Reads the node reports, and the snapshot's Node objects when it has them. The cluster counts as managed when a
 * node (reported or listed) carries a managed service's providerID or labels and no node runs a control-plane
 * component or is labelled control plane: kubeadm on EC2 has `aws://` ids too, but then its own control-plane node
 * reports the API server (or carries node-role.kubernetes.io/control-plane) and sections 1-3 are the customer's.
 * The Node objects let a managed cluster without the node collector still mark control-plane items as the provider's.
 */
export function nodesModelOf(reports: readonly NodeReport[], nodeObjects: readonly KubeObject[] = []): NodesModel {
  const byName = new Map<string, NodeReport>();
  // The latest report per node wins (the pipeline passes the latest already; a duplicate must not count twice).
  for (const report of reports) {
    const previous = byName.get(report.node.name);
    if (!previous || previous.collectedAt < report.collectedAt) byName.set(report.node.name, report);
  }
  const nodes = [...byName.values()].sort((a, b) => a.node.name.localeCompare(b.node.name)).map(nodeViewOf);
  const hasControlPlane = nodes.some((node) => node.role === 'control-plane');
  const listed = nodeObjects.map(nodeObjectFacts);
  const provider = nodes.find((node) => node.provider !== undefined)?.provider ?? listed.find((node) => node.provider !== undefined)?.provider;
  const selfManaged = hasControlPlane || listed.some((node) => node.controlPlane);
  return { nodes, managedProvider: selfManaged ? undefined : provider, hasControlPlane };
}
