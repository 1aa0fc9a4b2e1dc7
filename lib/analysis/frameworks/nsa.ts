import type { Requirement } from './types';

/**
 * NSA/CISA Kubernetes Hardening Guide v1.2 (August 2022), by section. The names and descriptions are Bulwark's own
 * short wording of each recommendation.
 */
export const NSA_REQUIREMENTS: Requirement[] = [
  { id: 'pod-non-root', title: 'Run containers as non-root users', description: 'Containers run as a non-root user, enforced by runAsNonRoot.', assessment: 'automated' },
  { id: 'pod-immutable-filesystem', title: 'Use immutable container file systems', description: 'Containers run with a read-only root file system and write only to mounted volumes.', assessment: 'automated' },
  {
    id: 'image-scanning',
    title: 'Build secure container images',
    description: 'Images come from trusted registries, are scanned for vulnerabilities and misconfigurations, and are referenced immutably.',
    assessment: 'partial',
    manualEvidence: 'Image scanning reports from the build pipeline or registry, and the admission policy that blocks unscanned images.',
  },
  { id: 'pod-security-context', title: 'Harden pod security contexts', description: 'No privileged containers, host namespaces, hostPath, host ports, added capabilities or unconfined seccomp.', assessment: 'automated' },
  { id: 'pod-security-enforcement', title: 'Enforce pod security at admission', description: 'Pod Security Admission or a policy engine refuses pods that break the standard, including ephemeral containers.', assessment: 'automated' },
  { id: 'pod-service-account-tokens', title: 'Protect pod service account tokens', description: 'Tokens are mounted only where needed, are short-lived, and workloads use their own ServiceAccounts.', assessment: 'automated' },
  {
    id: 'container-hardening',
    title: 'Harden container environments',
    description: 'Sandboxed runtimes (gVisor, Kata) or hardened kernels isolate untrusted workloads.',
    assessment: 'manual',
    manualEvidence: 'RuntimeClass definitions and node configuration showing which workloads run sandboxed.',
  },
  { id: 'namespaces', title: 'Separate resources with namespaces', description: 'Workloads live in namespaces per team or application, never in default.', assessment: 'automated' },
  { id: 'network-policies', title: 'Restrict traffic with network policies', description: 'Every namespace denies traffic by default and allows only needed flows.', assessment: 'automated' },
  { id: 'network-separation', title: 'Limit network exposure', description: 'Workloads are exposed through reviewed entry points, not node ports, host ports or open load balancers.', assessment: 'automated' },
  { id: 'network-encryption', title: 'Encrypt traffic', description: 'Traffic into the cluster is TLS-protected; service-to-service encryption where required.', assessment: 'partial', manualEvidence: 'Service mesh or CNI encryption settings for east-west traffic.' },
  { id: 'resource-policies', title: 'Set resource policies', description: 'Containers have CPU and memory limits; namespaces have LimitRanges and ResourceQuotas.', assessment: 'automated' },
  {
    id: 'control-plane',
    title: 'Harden the control plane',
    description: 'API server, controller manager, scheduler and etcd use TLS, strong authentication and no insecure ports.',
    assessment: 'manual',
    manualEvidence: 'Control-plane flags (or the managed service\'s configuration) and a CIS section 1-2 scan of the control plane nodes.',
  },
  {
    id: 'secrets',
    title: 'Protect Secrets',
    description: 'Secrets are encrypted at rest, read by few, and consumed as files rather than environment variables.',
    assessment: 'partial',
    manualEvidence: 'Encryption-at-rest configuration (EncryptionConfiguration with KMS, or the managed-service setting).',
  },
  { id: 'authentication', title: 'Authenticate every user', description: 'Anonymous access is off, no one is bound through system:masters, and client certificates are issued under control.', assessment: 'partial', manualEvidence: 'API server authentication flags and the identity provider configuration.' },
  { id: 'rbac', title: 'Apply least privilege with RBAC', description: 'Roles grant only what is needed: no wildcards, no cluster-admin outside break-glass, no escalation verbs.', assessment: 'automated' },
  {
    id: 'audit-logging',
    title: 'Enable audit logging',
    description: 'API server audit logs are on, with a policy covering Secrets, RBAC and exec, and are shipped off-cluster.',
    assessment: 'manual',
    manualEvidence: 'The audit policy file and the log destination with its retention.',
  },
  {
    id: 'threat-detection',
    title: 'Detect threats',
    description: 'Runtime detection (Falco or similar) and alerting on suspicious API activity.',
    assessment: 'manual',
    manualEvidence: 'Runtime security tooling deployed on every node and its alert routing.',
  },
  { id: 'upgrades', title: 'Upgrade and patch', description: 'Kubernetes and images are kept current; image references name versions.', assessment: 'partial', manualEvidence: 'Cluster version history and the patch policy.' },
];
