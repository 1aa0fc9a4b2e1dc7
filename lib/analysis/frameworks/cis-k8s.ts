import evidence from './data/k8s-evidence-iso27001-2022.json';
import type { Requirement } from './types';

/**
 * CIS Kubernetes Benchmark v1.9, section 5 (policies). Ids and Bulwark's own paraphrase only: the benchmark text is
 * licensed CC BY-NC-SA and is not reproduced. Titles are the paraphrased topics of k8s-evidence-iso27001-2022.json.
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

export function cisRequirements(): Requirement[] {
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
