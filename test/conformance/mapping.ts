/**
 * Which Bulwark controls answer each upstream check (polaris), rule (kubescape) or auditor (kubeaudit). A case is
 * covered when its upstream id is listed here; a case fails in Bulwark's eyes when any listed control reports a
 * finding. Upstream ids not listed are topics Bulwark does not check (see NOT_COVERED).
 */
export type Mapping = {
  controls: string[];
  /**
   * Narrow the comparison to the upstream rule's documented scope, where Bulwark's control covers more:
   * which binding kinds count, and whether platform objects (kube-system, system: names) are in scope.
   */
  bindingKinds?: ('RoleBinding' | 'ClusterRoleBinding')[];
  includePlatform?: boolean;
};

export const MAPPINGS: Record<string, Mapping> = {
  // polaris checks
  'polaris:runAsPrivileged': { controls: ['workload.privileged-container'] },
  'polaris:hostPIDSet': { controls: ['workload.host-pid'] },
  'polaris:hostIPCSet': { controls: ['workload.host-ipc'] },
  'polaris:hostNetworkSet': { controls: ['workload.host-network'] },
  'polaris:privilegeEscalationAllowed': { controls: ['workload.allow-privilege-escalation'] },
  'polaris:runAsRootAllowed': { controls: ['workload.run-as-root'] },
  'polaris:dangerousCapabilities': { controls: ['workload.added-capabilities'] },
  'polaris:insecureCapabilities': { controls: ['workload.capabilities-not-dropped'] },
  'polaris:hostProcess': { controls: ['workload.windows-host-process'] },
  'polaris:hostPathSet': { controls: ['workload.host-path-volume'] },
  'polaris:hostPortSet': { controls: ['workload.host-port'] },
  'polaris:notReadOnlyRootFilesystem': { controls: ['workload.read-only-root-filesystem'] },
  'polaris:procMount': { controls: ['workload.proc-mount'] },
  'polaris:cpuLimitsMissing': { controls: ['workload.cpu-limits'] },
  'polaris:memoryLimitsMissing': { controls: ['workload.memory-limits'] },
  'polaris:tagNotSpecified': { controls: ['workload.image-mutable-tag'] },
  'polaris:automountServiceAccountToken': { controls: ['workload.service-account-token-automount'] },
  'polaris:missingNetworkPolicy': { controls: ['workload.network-isolation'] },
  'polaris:sensitiveContainerEnvVar': { controls: ['workload.credential-in-env'] },
  'polaris:tlsSettingsMissing': { controls: ['network.ingress-without-tls'] },
  'polaris:clusterrolebindingClusterAdmin': { controls: ['rbac.cluster-admin-binding'] },
  'polaris:rolebindingClusterAdminClusterRole': { controls: ['rbac.cluster-admin-binding'] },
  'polaris:rolebindingClusterAdminRole': { controls: ['rbac.cluster-admin-binding'] },
  // A binding to a role that does not exist is reported by Bulwark as dangling.
  'polaris:rolebindingClusterRolePodExecAttach': { controls: ['rbac.pods-exec', 'rbac.dangling-role-ref'] },

  // kubescape rules (regolibrary and kubescape)
  // kubescape counts SYS_ADMIN as privileged; Bulwark reports it as an added capability.
  'kubescape:rule-privilege-escalation': { controls: ['workload.privileged-container', 'workload.added-capabilities'] },
  'kubescape:host-pid-privileges': { controls: ['workload.host-pid'] },
  'kubescape:host-ipc-privileges': { controls: ['workload.host-ipc'] },
  'kubescape:host-network-access': { controls: ['workload.host-network'] },
  'kubescape:rule-allow-privilege-escalation': { controls: ['workload.allow-privilege-escalation'] },
  'kubescape:non-root-containers': { controls: ['workload.run-as-root'] },
  'kubescape:drop-capability-netraw': { controls: ['workload.net-raw-capability'] },
  'kubescape:insecure-capabilities': { controls: ['workload.added-capabilities'] },
  'kubescape:set-hostprocess-true': { controls: ['workload.windows-host-process'] },
  'kubescape:alert-any-hostpath': { controls: ['workload.host-path-volume'] },
  'kubescape:container-hostPort': { controls: ['workload.host-port'] },
  'kubescape:immutable-container-filesystem': { controls: ['workload.read-only-root-filesystem'] },
  'kubescape:set-seccomp-profile-RuntimeDefault': { controls: ['workload.seccomp-profile'] },
  'kubescape:resources-cpu-limits': { controls: ['workload.cpu-limits'] },
  'kubescape:resources-memory-limits': { controls: ['workload.memory-limits'] },
  'kubescape:image-not-pinned-to-digest': { controls: ['workload.image-not-pinned'] },
  'kubescape:automount-service-account': { controls: ['workload.service-account-token-automount'] },
  'kubescape:automount-default-service-account': { controls: ['serviceaccount.default-automount'] },
  'kubescape:non-existent-service-account': { controls: ['workload.missing-service-account'] },
  'kubescape:rule-secrets-in-env-var': { controls: ['workload.secret-env-var'] },
  'kubescape:rule-credentials-in-env-var': { controls: ['workload.credential-in-env', 'workload.secret-env-var'] },
  'kubescape:internal-networking': { controls: ['namespace.network-policy-missing'] },
  'kubescape:ingress-and-egress-blocked': { controls: ['workload.network-isolation'] },
  'kubescape:pods-in-default-namespace': { controls: ['workload.default-namespace'] },
  'kubescape:pod-security-admission-baseline-applied-1': { controls: ['namespace.pod-security-admission'] },
  'kubescape:cluster-admin-role': { controls: ['rbac.cluster-admin-binding'] },
  'kubescape:rule-list-all-cluster-admins-v1': { controls: ['rbac.cluster-admin-binding', 'rbac.wildcard-in-role'] },
  'kubescape:rule-can-list-get-secrets-v1': { controls: ['rbac.secrets-read'] },
  'kubescape:rule-can-create-pod': { controls: ['rbac.pod-create'] },
  'kubescape:rule-can-bind-escalate': { controls: ['rbac.escalation-verbs'] },
  'kubescape:rule-can-impersonate-users-groups-v1': { controls: ['rbac.escalation-verbs'] },
  'kubescape:rule-can-create-pv': { controls: ['rbac.persistentvolume-create'] },
  'kubescape:rule-can-access-proxy-subresource': { controls: ['rbac.nodes-proxy'] },
  'kubescape:rule-can-approve-cert-signing-request': { controls: ['rbac.csr-approval'] },
  'kubescape:rule-can-modify-admission-webhooks': { controls: ['rbac.admission-webhooks'] },
  'kubescape:rule-can-create-service-account-token': { controls: ['rbac.serviceaccount-token-create'] },
  'kubescape:exec-into-container-v1': { controls: ['rbac.pods-exec'] },
  'kubescape:system-authenticated-allowed-to-take-over-cluster': { controls: ['rbac.system-group-binding'] },
  'kubescape:escalate-roles-clusterroles-v1': { controls: ['rbac.escalation-verbs'] },
  'kubescape:bind-roles-clusterroles-v1': { controls: ['rbac.escalation-verbs'] },
  'kubescape:impersonate-users-groups-v1': { controls: ['rbac.escalation-verbs'] },
  'kubescape:attach-ephemeral-container-v1': { controls: ['rbac.pods-ephemeral-containers'] },
  'kubescape:create-serviceaccount-token-v1': { controls: ['rbac.serviceaccount-token-create'] },
  'kubescape:node-proxy-access-v1': { controls: ['rbac.nodes-proxy'] },
  // "Weak namespace token access": namespace-scoped grants outside the system namespaces, by the rule's design.
  'kubescape:weak-namespace-token-access-v1': { controls: ['rbac.secrets-read'], bindingKinds: ['RoleBinding'], includePlatform: false },
  'kubescape:assign-serviceaccount-to-pod-v1': { controls: ['rbac.pod-create'] },

  // kubeaudit auditors
  'kubeaudit:privileged': { controls: ['workload.privileged-container'] },
  'kubeaudit:hostns': { controls: ['workload.host-pid', 'workload.host-ipc', 'workload.host-network'] },
  'kubeaudit:privesc': { controls: ['workload.allow-privilege-escalation'] },
  'kubeaudit:nonroot': { controls: ['workload.run-as-root'] },
  'kubeaudit:capabilities': { controls: ['workload.added-capabilities', 'workload.capabilities-not-dropped'] },
  'kubeaudit:rootfs': { controls: ['workload.read-only-root-filesystem'] },
  'kubeaudit:mounts': { controls: ['workload.host-path-volume'] },
  'kubeaudit:asat': { controls: ['workload.service-account-token-automount'] },
  'kubeaudit:netpols': { controls: ['namespace.network-policy-missing', 'namespace.default-deny-missing'] },
};

/** Upstream checks with no Bulwark counterpart, and why. They are listed, not silently dropped. */
export const NOT_COVERED: Record<string, string> = {
  'polaris:linuxHardening':
    'Passes a container that sets any one of seccomp, AppArmor, SELinux or a capability drop. Bulwark judges each on its own (workload.seccomp-profile, workload.apparmor-profile, workload.selinux-options, workload.capabilities-not-dropped), so no one control answers this check.',
  'polaris:clusterrolePodExecAttach':
    'Judges ClusterRoles that nobody is bound to. Bulwark reports exec where a binding grants it (rbac.pods-exec); an unbound role grants nothing.',
};

/** Single cases whose verdict hinges on something outside what Bulwark reads. */
export const CASES_NOT_COVERED: Record<string, string> = {
  'polaris/runAsRootAllowed/failure.yaml': 'Input is not a valid object (apiVersion v1 has no Deployment); the snapshot builder rejects it as Kubernetes would.',
  'kubescape/regolibrary/internal-networking/test/namespace-ccnp-passed': 'Decided by a CiliumClusterwideNetworkPolicy; the snapshot carries networking.k8s.io NetworkPolicies only.',
  'kubescape/regolibrary/internal-networking/test/namespace-ccnp-specs-passed': 'Decided by a CiliumClusterwideNetworkPolicy; the snapshot carries networking.k8s.io NetworkPolicies only.',
  'kubescape/regolibrary/internal-networking/test/namespace-cnp-passed': 'Decided by a CiliumNetworkPolicy; the snapshot carries networking.k8s.io NetworkPolicies only.',
  'kubescape/regolibrary/internal-networking/test/namespace-ccnp-match-expressions-selective-failed': 'Decided by a CiliumClusterwideNetworkPolicy; the snapshot carries networking.k8s.io NetworkPolicies only.',
  'kubescape/regolibrary/ingress-and-egress-blocked/test/ccnp-ingress-egress': 'Decided by a CiliumClusterwideNetworkPolicy; the snapshot carries networking.k8s.io NetworkPolicies only.',
  'kubescape/regolibrary/ingress-and-egress-blocked/test/ccnp-specs-list-passed': 'Decided by a CiliumClusterwideNetworkPolicy; the snapshot carries networking.k8s.io NetworkPolicies only.',
  'kubescape/regolibrary/ingress-and-egress-blocked/test/cnp-match-expressions-selective-failed': 'Decided by a CiliumNetworkPolicy; the snapshot carries networking.k8s.io NetworkPolicies only.',
  'kubescape/regolibrary/ingress-and-egress-blocked/test/cnp-specs-empty-failed': 'Decided by a CiliumNetworkPolicy; the snapshot carries networking.k8s.io NetworkPolicies only.',
};

/**
 * kubeaudit's `warn` verdict covers different things; what each warning rule means for Bulwark's verdict:
 * - RedundantAuditorOverride: an override label with nothing to override (the field is already safe): pass.
 * - PrivilegedNil: privileged is unset, which defaults to false: pass.
 * - AutomountServiceAccountTokenDeprecated: uses the deprecated `serviceAccount` field and does not turn the
 *   token off, so the token is mounted: fail.
 */
export const KUBEAUDIT_WARN_RULES: Record<string, 'pass' | 'fail'> = {
  RedundantAuditorOverride: 'pass',
  PrivilegedNil: 'pass',
  AutomountServiceAccountTokenDeprecated: 'fail',
};
