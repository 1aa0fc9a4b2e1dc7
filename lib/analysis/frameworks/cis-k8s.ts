import v112 from './data/cis-k8s-v1.12.json';
import v19 from './data/cis-k8s-v1.9.json';
import evidence from './data/k8s-evidence-iso27001-2022.json';
import type { Requirement } from './types';

import type { CisVersion } from './cis-versions';

export { CIS_VERSIONS, type CisVersion } from './cis-versions';

/**
 * Section 5 (policies): ids and Bulwark's own paraphrase only; the benchmark text is licensed CC BY-NC-SA and is not
 * reproduced. Titles are the paraphrased topics of k8s-evidence-iso27001-2022.json.
 */
const DESCRIPTIONS: Record<string, string> = {
  '5.1.1': 'Only the subjects that need it hold cluster-admin; bindings to it (or to an equivalent role) are reviewed.',
  '5.1.2': 'get, list and watch on Secrets is limited to the subjects that need it.',
  '5.1.3': 'Roles and ClusterRoles name the verbs, resources and API groups they grant instead of using wildcards.',
  '5.1.4': 'Creating pods, directly or through workload controllers, is limited, since it implies reading the namespace\'s Secrets.',
  '5.1.5': 'Workloads use their own ServiceAccounts; the default ServiceAccount is not used and does not mount a token.',
  '5.1.6': 'ServiceAccount tokens are mounted only into pods that call the Kubernetes API.',
  '5.1.7': 'The system:masters group is not used to grant access.',
  '5.1.8': 'bind, escalate and impersonate are limited to the subjects that need them.',
  '5.1.9': 'Creating PersistentVolumes is limited.',
  '5.1.10': 'Access to the nodes/proxy subresource is limited.',
  '5.1.11': 'Approving CertificateSigningRequests is limited.',
  '5.1.12': 'Changing validating and mutating admission webhook configurations is limited.',
  '5.1.13': 'Creating ServiceAccount tokens is limited.',
  '5.2.1': 'An admission mechanism (Pod Security Admission or equivalent) enforces pod security in every namespace with workloads.',
  '5.2.2': 'Privileged containers are not admitted.',
  '5.2.3': 'Pods sharing the host PID namespace are not admitted.',
  '5.2.4': 'Pods sharing the host IPC namespace are not admitted.',
  '5.2.5': 'Pods using the host network are not admitted.',
  '5.2.6': 'Containers that allow privilege escalation are not admitted.',
  '5.2.7': 'Containers running as root are not admitted.',
  '5.2.8': 'Containers keeping the NET_RAW capability are not admitted.',
  '5.2.9': 'Containers adding Linux capabilities are not admitted.',
  '5.2.10': 'Containers drop the capabilities they do not need.',
  '5.2.11': 'Windows HostProcess containers are not admitted.',
  '5.2.12': 'hostPath volumes are not admitted.',
  '5.2.13': 'Containers binding host ports are not admitted.',
  '5.3.1': 'The cluster\'s network plugin enforces NetworkPolicy.',
  '5.3.2': 'Every namespace has NetworkPolicies, starting from a default deny.',
  '5.4.1': 'Secrets reach containers as files rather than environment variables.',
  '5.4.2': 'Secrets are kept in an external secret store where the organization requires it.',
  '5.5.1': 'Image provenance is enforced at admission (signatures, allowed registries).',
  '5.7.1': 'Namespaces separate teams and applications and carry their own access rules.',
  '5.7.2': 'Pods run with the RuntimeDefault (or a Localhost) seccomp profile.',
  '5.7.3': 'Pods and containers declare a hardened securityContext.',
  '5.7.4': 'The default namespace holds no workloads.',
};

/** Items no API read can decide, with what the auditor should be shown instead. */
const MANUAL_EVIDENCE: Record<string, string> = {
  '5.3.1':
    'Name of the CNI plugin and version (e.g. `kubectl get pods -n kube-system -o wide`), and a test showing a deny-all NetworkPolicy actually blocks traffic between two pods.',
  '5.4.2':
    'Description of the secret store (Vault, cloud secret manager, External Secrets Operator) and which applications use it; the API server\'s encryption-at-rest configuration (EncryptionConfiguration with a KMS provider) or the managed-service setting.',
  '5.5.1':
    'Admission policy that verifies image signatures or restricts registries (Kyverno, Gatekeeper, Sigstore policy-controller) and its enforcement mode; Bulwark\'s allowed-registries control complements it when configured.',
  '5.7.1':
    'Namespace inventory with an owner per namespace, and the RBAC, quota and NetworkPolicy set applied to each; Bulwark lists namespaces and their policies from the snapshot.',
};

type EvidenceItem = { id: string; topic: string };

function section5V19(): Requirement[] {
  return (evidence.cisK8sV19Section5.items as EvidenceItem[]).map((item) => {
    const manual = MANUAL_EVIDENCE[item.id];
    return {
      id: item.id,
      title: item.topic.charAt(0).toUpperCase() + item.topic.slice(1),
      description: DESCRIPTIONS[item.id] ?? item.topic,
      assessment: manual ? 'manual' : 'automated',
      ...(manual ? { manualEvidence: manual } : {}),
    };
  });
}

type NodeItem = { id: string; section: string; nodeType: string; cisAssessment: 'automated' | 'manual'; check?: string; title: string; manualEvidence?: string };
type VersionData = { items: NodeItem[]; section5: { id: string; sameAsV19: string }[] };
const DATA: Record<CisVersion, VersionData> = { '1.9': v19 as VersionData, '1.12': v112 as VersionData };

const NODE_TYPE_TEXT: Record<string, string> = {
  master: 'Checked on control-plane nodes.',
  etcd: 'Checked on the nodes that run etcd.',
  controlplane: 'Control-plane configuration.',
  node: 'Checked on every node that runs a kubelet.',
};

/**
 * Sections 1-4 (control plane, etcd, control-plane configuration, worker nodes) from kube-bench's configuration
 * (data/cis-k8s-v<version>.json): an item whose audit a node report can answer is decided by its node control;
 * the few without a structured audit are manual, with what to bring instead.
 */
function nodeSections(version: CisVersion): Requirement[] {
  return DATA[version].items.map((item) => {
    const cisManual = item.cisAssessment === 'manual' ? ' CIS marks it manual; Bulwark reads the setting from the node reports.' : '';
    if (item.check) {
      return { id: item.id, title: item.title, description: `${item.title}. ${NODE_TYPE_TEXT[item.nodeType] ?? ''}${cisManual}`.trim(), assessment: 'automated' as const };
    }
    return {
      id: item.id,
      title: item.title,
      description: `${item.title}. ${NODE_TYPE_TEXT[item.nodeType] ?? ''}`.trim(),
      assessment: 'manual' as const,
      manualEvidence: item.manualEvidence ?? 'Evidence from the cluster\'s operators.',
    };
  });
}

/** Every requirement of one benchmark version, sections 1-5. */
export function cisRequirements(version: CisVersion = '1.9'): Requirement[] {
  const section5 = section5V19();
  if (version === '1.9') return [...nodeSections('1.9'), ...section5];
  const byV19 = new Map(section5.map((requirement) => [requirement.id, requirement]));
  const translated = DATA[version].section5.flatMap(({ id, sameAsV19 }) => {
    const same = byV19.get(sameAsV19);
    return same ? [{ ...same, id }] : [];
  });
  return [...nodeSections(version), ...translated];
}

/**
 * The item ids of a version that a control decides. Node controls (CIS sections 1-4) are found by their check key
 * in the version's data; section-5 controls carry v1.9 ids, translated to the version's numbering.
 */
export function cisItemIdsOf(control: { id: string; mappings: { cis: readonly string[] } }, version: CisVersion): readonly string[] {
  if (version === '1.9') return control.mappings.cis;
  const data = DATA[version];
  const node = data.items.filter((item) => item.check === control.id).map((item) => item.id);
  const fromV19 = control.mappings.cis.flatMap((v19Id) => data.section5.filter((entry) => entry.sameAsV19 === v19Id).map((entry) => entry.id));
  return [...node, ...fromV19];
}

/** v1.9's section-5 ids. */
const section5Ids = new Set(section5V19().map((requirement) => requirement.id));

/**
 * The items of version `to` that stand for item `id` of version `from`: the item with the same node check (sections
 * 1-4), or the same section-5 recommendation renumbered. For the organization's own controls, mapped to one version's
 * numbering, so that they count in the other version's score too.
 */
export function translateCisItem(id: string, from: CisVersion, to: CisVersion): string[] {
  if (from === to) return [id];
  const v19 = from === '1.9' ? [id] : DATA[from].section5.filter((entry) => entry.id === id).map((entry) => entry.sameAsV19);
  const section5 = to === '1.9' ? v19.filter((v19Id) => section5Ids.has(v19Id)) : DATA[to].section5.filter((entry) => v19.includes(entry.sameAsV19)).map((entry) => entry.id);
  const check = DATA[from].items.find((item) => item.id === id)?.check;
  const node = check ? DATA[to].items.filter((item) => item.check === check).map((item) => item.id) : [];
  return [...new Set([...node, ...section5])];
}
