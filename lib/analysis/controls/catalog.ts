import { createHash } from 'node:crypto';
import type { Control } from '@/lib/analysis/model/control';
import { admissionWebhooks } from './rbac/admission-webhooks';
import { clusterAdminBinding } from './rbac/cluster-admin-binding';
import { csrApproval } from './rbac/csr-approval';
import { danglingRoleRef } from './rbac/dangling-role-ref';
import { danglingSubject } from './rbac/dangling-subject';
import { escalationVerbs } from './rbac/escalation-verbs';
import { nodesProxy } from './rbac/nodes-proxy';
import { persistentVolumeCreate } from './rbac/persistentvolume-create';
import { podCreate } from './rbac/pod-create';
import { podsEphemeralContainers } from './rbac/pods-ephemeral-containers';
import { podsExec } from './rbac/pods-exec';
import { secretsRead } from './rbac/secrets-read';
import { serviceAccountTokenCreate } from './rbac/serviceaccount-token-create';
import { systemGroupBinding } from './rbac/system-group-binding';
import { wildcardInRole } from './rbac/wildcard-in-role';
import { addedCapabilities } from './workload/added-capabilities';
import { allowPrivilegeEscalation } from './workload/allow-privilege-escalation';
import { appArmorProfile } from './workload/apparmor-profile';
import { capabilitiesNotDropped } from './workload/capabilities-not-dropped';
import { cpuLimits } from './workload/cpu-limits';
import { credentialInEnv } from './workload/credential-in-env';
import { defaultNamespace } from './workload/default-namespace';
import { defaultServiceAccount } from './workload/default-service-account';
import { hostIpc } from './workload/host-ipc';
import { hostNetwork } from './workload/host-network';
import { hostPathVolume } from './workload/host-path-volume';
import { hostPid } from './workload/host-pid';
import { hostPort } from './workload/host-port';
import { imageMutableTag } from './workload/image-mutable-tag';
import { imageNotPinned } from './workload/image-not-pinned';
import { imageRegistry } from './workload/image-registry';
import { memoryLimits } from './workload/memory-limits';
import { missingServiceAccount } from './workload/missing-service-account';
import { netRawCapability } from './workload/net-raw-capability';
import { networkIsolation } from './workload/network-isolation';
import { privilegedContainer } from './workload/privileged-container';
import { procMount } from './workload/proc-mount';
import { readOnlyRootFilesystem } from './workload/read-only-root-filesystem';
import { restrictedVolumeTypes } from './workload/restricted-volume-types';
import { runAsRoot } from './workload/run-as-root';
import { seccompProfile } from './workload/seccomp-profile';
import { secretEnvVar } from './workload/secret-env-var';
import { seLinuxOptions } from './workload/selinux-options';
import { serviceAccountTokenAutomount } from './workload/service-account-token-automount';
import { unsafeSysctls } from './workload/unsafe-sysctls';
import { windowsHostProcess } from './workload/windows-host-process';
import { defaultDenyMissing } from './namespace/default-deny-missing';
import { networkPolicyMissing } from './namespace/network-policy-missing';
import { podSecurityAdmission } from './namespace/pod-security-admission';
import { podSecurityLevelViolated } from './namespace/pod-security-level-violated';
import { exposedService } from './network/exposed-service';
import { ingressWithoutTls } from './network/ingress-without-tls';
import { legacyServiceAccountToken } from './secrets/legacy-service-account-token';
import { defaultServiceAccountAutomount } from './serviceaccount/default-automount';
import { credentialInArgs } from './workload/credential-in-args';
import { credentialInHttpHeaders } from './workload/credential-in-http-headers';
import { egressToInternet } from './workload/egress-to-internet';
import { reachableFromAllNamespaces } from './workload/reachable-from-all-namespaces';
import { reachableFromInternet } from './workload/reachable-from-internet';
import { policyIsolatesNothing } from './network/policy-isolates-nothing';
import { credentialInConfigMap } from './secrets/credential-in-configmap';
import { credentialInMetadata } from './secrets/credential-in-metadata';
import { CIS_NODE_CONTROLS } from './node/cis-node-controls';

/** Every control Bulwark evaluates, in the order results are listed. */
export const CATALOG: readonly Control[] = [
  admissionWebhooks,
  clusterAdminBinding,
  csrApproval,
  danglingRoleRef,
  danglingSubject,
  escalationVerbs,
  nodesProxy,
  persistentVolumeCreate,
  podCreate,
  podsEphemeralContainers,
  podsExec,
  secretsRead,
  serviceAccountTokenCreate,
  systemGroupBinding,
  wildcardInRole,
  addedCapabilities,
  allowPrivilegeEscalation,
  capabilitiesNotDropped,
  cpuLimits,
  credentialInEnv,
  defaultNamespace,
  defaultServiceAccount,
  hostIpc,
  hostNetwork,
  hostPathVolume,
  hostPid,
  hostPort,
  imageMutableTag,
  imageNotPinned,
  imageRegistry,
  memoryLimits,
  missingServiceAccount,
  netRawCapability,
  networkIsolation,
  privilegedContainer,
  procMount,
  readOnlyRootFilesystem,
  runAsRoot,
  seccompProfile,
  secretEnvVar,
  serviceAccountTokenAutomount,
  windowsHostProcess,
  appArmorProfile,
  restrictedVolumeTypes,
  seLinuxOptions,
  unsafeSysctls,
  defaultDenyMissing,
  networkPolicyMissing,
  podSecurityAdmission,
  podSecurityLevelViolated,
  exposedService,
  ingressWithoutTls,
  legacyServiceAccountToken,
  defaultServiceAccountAutomount,
  credentialInArgs,
  credentialInHttpHeaders,
  credentialInConfigMap,
  credentialInMetadata,
  policyIsolatesNothing,
  reachableFromAllNamespaces,
  reachableFromInternet,
  egressToInternet,
  // CIS sections 1-4, one control per kube-bench audit, generated from data (see node/cis-node-controls.ts).
  ...CIS_NODE_CONTROLS,
];

/**
 * Changes whenever a control is added, removed or its logic changes (its version is bumped): stored with each
 * evaluation so results from different catalogs are never compared as if they were the same test.
 */
export const CATALOG_VERSION: string = createHash('sha256')
  .update(CATALOG.map((control) => `${control.id}@${control.version}`).join('\n'))
  .digest('hex')
  .slice(0, 16);

const BY_ID = new Map(CATALOG.map((control) => [control.id, control]));

export function findControl(id: string): Control | undefined {
  return BY_ID.get(id);
}
